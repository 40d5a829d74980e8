//! Where each section (block, 구역) sits in the venue, so a fan can pick a block on an
//! overview before looking at seats, as Interpark, Melon and Ticketmaster do for big venues.
//!
//! Coordinates live in a normalized venue space of 0..=1000 on both axes. The stage is a bar
//! at the top centre ([`STAGE`]); when any block is a `bowl` block the venue is a stadium and
//! the field sits at the centre ([`FIELD`]) with the bowl around it. A layout either gives
//! every section a geometry (organizer-drawn, rows restart at A in every block) or none
//! (older layouts): those get [`generated`] bands stacked under the stage.

use serde::{Deserialize, Serialize};

use super::Section;

/// Largest coordinate of the venue space.
pub const EXTENT: f32 = 1000.0;
pub const MAX_POINTS: usize = 32;
pub const MAX_AISLES: usize = 10;
pub const MAX_LABEL_CHARS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// Seats on the stadium field or the stalls of a theater.
    Floor,
    /// A block of the stadium's stands around the field.
    Bowl,
    /// A theater's upper level.
    Balcony,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SectionGeometry {
    pub kind: BlockKind,
    /// The block number fans see on the overview ("101"); the section name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The block's outline in venue space, 3 to 32 points.
    pub polygon: Vec<Point>,
    /// Seat numbers after which an aisle runs through every row (ascending).
    #[serde(default)]
    pub aisles_after: Vec<i32>,
}

/// What the fans face: a stage bar, or the field of a stadium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FocusKind {
    Stage,
    Field,
}

pub const STAGE: [Point; 4] = rect(350.0, 20.0, 650.0, 70.0);
pub const FIELD: [Point; 4] = rect(330.0, 360.0, 670.0, 640.0);

const fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> [Point; 4] {
    [
        Point { x: x0, y: y0 },
        Point { x: x1, y: y0 },
        Point { x: x1, y: y1 },
        Point { x: x0, y: y1 },
    ]
}

/// The stage or field of a venue whose blocks are `geometries`.
pub fn focus(geometries: &[SectionGeometry]) -> (FocusKind, Vec<Point>) {
    if geometries.iter().any(|g| g.kind == BlockKind::Bowl) {
        (FocusKind::Field, FIELD.to_vec())
    } else {
        (FocusKind::Stage, STAGE.to_vec())
    }
}

/// Field errors of one section's geometry, keyed like the JSON input.
pub fn validate(i: usize, s: &Section, g: &SectionGeometry, errors: &mut super::FieldErrors) {
    let field = |name: &str| format!("sections[{i}].geometry.{name}");
    if let Some(label) = &g.label {
        let n = label.trim().chars().count();
        if n == 0 || n > MAX_LABEL_CHARS {
            errors.push((
                field("label"),
                format!("must be 1 to {MAX_LABEL_CHARS} characters"),
            ));
        }
    }
    if !(3..=MAX_POINTS).contains(&g.polygon.len()) {
        errors.push((
            field("polygon"),
            format!("must have 3 to {MAX_POINTS} points"),
        ));
    } else if g
        .polygon
        .iter()
        .any(|p| !(0.0..=EXTENT).contains(&p.x) || !(0.0..=EXTENT).contains(&p.y))
    {
        errors.push((
            field("polygon"),
            format!("points must be within 0 to {EXTENT}"),
        ));
    } else if area(&g.polygon).abs() < 1.0 {
        errors.push((field("polygon"), "must enclose an area".into()));
    }
    let ascending = g.aisles_after.windows(2).all(|w| w[0] < w[1]);
    let inside = g
        .aisles_after
        .iter()
        .all(|&a| a >= 1 && a < s.seats_per_row);
    if g.aisles_after.len() > MAX_AISLES || !ascending || !inside {
        errors.push((
            field("aislesAfter"),
            format!("must have at most {MAX_AISLES} aisles, ascending, each below seatsPerRow"),
        ));
    }
}

/// Shoelace area (signed); zero for a degenerate outline.
fn area(points: &[Point]) -> f32 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum::<f32>()
        / 2.0
}

/// Geometry for a layout drawn before geometry existed: bands stacked under the stage, as
/// tall as their share of the rows and as wide as their share of the widest row, with an
/// aisle about every 14 seats.
pub fn generated(sections: &[Section]) -> Vec<SectionGeometry> {
    let total_rows: i32 = sections.iter().map(|s| s.rows.max(1)).sum::<i32>().max(1);
    let widest = sections
        .iter()
        .map(|s| s.seats_per_row)
        .max()
        .unwrap_or(1)
        .max(1);
    let (top, bottom, gap) = (110.0_f32, 980.0_f32, 14.0_f32);
    let usable = bottom - top - gap * (sections.len().saturating_sub(1)) as f32;
    let mut y = top;
    sections
        .iter()
        .map(|s| {
            let h = usable * s.rows.max(1) as f32 / total_rows as f32;
            let w = (900.0 * s.seats_per_row as f32 / widest as f32).max(360.0);
            let x0 = (EXTENT - w) / 2.0;
            let polygon = rect(x0, y, x0 + w, y + h).to_vec();
            y += h + gap;
            SectionGeometry {
                kind: BlockKind::Floor,
                label: None,
                polygon,
                aisles_after: generated_aisles(s.seats_per_row),
            }
        })
        .collect()
}

fn generated_aisles(per_row: i32) -> Vec<i32> {
    if per_row <= 16 {
        return vec![];
    }
    let parts = (per_row + 13) / 14;
    (1..parts).map(|k| per_row * k / parts).collect()
}

/// The outline of a stand block: the ring between two ellipses around the field, between
/// two angles (degrees, clockwise from 12 o'clock), as `steps + 1` points on each edge.
pub fn bowl_block(
    radii_inner: (f32, f32),
    radii_outer: (f32, f32),
    from_deg: f32,
    to_deg: f32,
    steps: usize,
) -> Vec<Point> {
    let centre = EXTENT / 2.0;
    let at = |(rx, ry): (f32, f32), deg: f32| {
        let rad = deg.to_radians();
        Point {
            x: (centre + rx * rad.sin()).clamp(0.0, EXTENT),
            y: (centre - ry * rad.cos()).clamp(0.0, EXTENT),
        }
    };
    let angle = |k: usize| from_deg + (to_deg - from_deg) * k as f32 / steps as f32;
    let outer = (0..=steps).map(|k| at(radii_outer, angle(k)));
    let inner = (0..=steps).rev().map(|k| at(radii_inner, angle(k)));
    outer.chain(inner).collect()
}

/// An axis-aligned block outline.
pub fn rectangle(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<Point> {
    rect(x0, y0, x1, y1).to_vec()
}
