//! Seat layouts: ordered sections of rows × seats at one price. Seats for an event are
//! generated from its layout in one SQL statement, so the seat order the layout defines
//! (section, then row, then number) is stored with every seat.
//!
//! Sections may carry a [`geometry::SectionGeometry`] (where the block sits, its number,
//! its aisles). A layout gives it for every section or for none: drawn layouts may be as big
//! as a 60,000-seat stadium and number rows per block; older layouts keep the smaller limits
//! and rows lettered across sections, and get a generated geometry when read.

pub mod blocks;
pub mod geometry;
pub mod seat_map;

use serde::{Deserialize, Serialize};
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

pub const MAX_SECTIONS: usize = 20;
pub const MAX_ROWS: i32 = 100;
pub const MAX_SEATS_PER_ROW: i32 = 100;
pub const MAX_TOTAL_SEATS: i32 = 20_000;
/// Limits of layouts whose sections are drawn blocks (every section has a geometry).
pub const MAX_BLOCKS: usize = 120;
pub const MAX_BLOCK_SEATS: i32 = 80_000;
pub const MAX_PRICE: i64 = 10_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Section {
    pub name: String,
    pub rows: i32,
    pub seats_per_row: i32,
    /// KRW per seat.
    pub price: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Where the block sits in the venue; give it for every section or for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geometry: Option<geometry::SectionGeometry>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Layout {
    pub id: Uuid,
    pub name: String,
    /// The venue this layout was drawn for; empty when it fits any.
    pub venue: String,
    pub description: String,
    pub total_seats: i32,
    pub sections: Vec<Section>,
}

/// Sections that passed every rule; the only input [`create`] accepts.
#[derive(Debug, Clone)]
pub struct ValidSections {
    sections: Vec<Section>,
    total: i32,
}

/// Field-level problems, keyed like the JSON input (`sections[1].rows`).
pub type FieldErrors = Vec<(String, String)>;

impl ValidSections {
    pub fn parse(sections: Vec<Section>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let drawn = sections.iter().filter(|s| s.geometry.is_some()).count();
        let blocks = drawn > 0;
        let (max_sections, max_total) = if blocks {
            (MAX_BLOCKS, MAX_BLOCK_SEATS)
        } else {
            (MAX_SECTIONS, MAX_TOTAL_SEATS)
        };
        if sections.is_empty() || sections.len() > max_sections {
            errors.push((
                "sections".into(),
                format!("must have 1 to {max_sections} sections"),
            ));
        }
        let mut total: i64 = 0;
        let mut names = std::collections::HashSet::new();
        for (i, s) in sections.iter().enumerate() {
            let name = s.name.trim();
            if name.is_empty() || name.chars().count() > 30 {
                errors.push((
                    format!("sections[{i}].name"),
                    "must be 1 to 30 characters".into(),
                ));
            } else if !names.insert(name.to_lowercase()) {
                errors.push((format!("sections[{i}].name"), "must be unique".into()));
            }
            if !(1..=MAX_ROWS).contains(&s.rows) {
                errors.push((
                    format!("sections[{i}].rows"),
                    format!("must be 1 to {MAX_ROWS}"),
                ));
            }
            if !(1..=MAX_SEATS_PER_ROW).contains(&s.seats_per_row) {
                errors.push((
                    format!("sections[{i}].seatsPerRow"),
                    format!("must be 1 to {MAX_SEATS_PER_ROW}"),
                ));
            }
            if !(1..=MAX_PRICE).contains(&s.price) {
                errors.push((
                    format!("sections[{i}].price"),
                    format!("must be 1 to {MAX_PRICE} KRW"),
                ));
            }
            if let Some(c) = &s.color {
                let ok = c.len() == 7
                    && c.starts_with('#')
                    && c[1..].chars().all(|h| h.is_ascii_hexdigit());
                if !ok {
                    errors.push((
                        format!("sections[{i}].color"),
                        "must be a #rrggbb colour".into(),
                    ));
                }
            }
            match &s.geometry {
                Some(g) => geometry::validate(i, s, g, &mut errors),
                None if blocks => errors.push((
                    format!("sections[{i}].geometry"),
                    "give every section a geometry, or none".into(),
                )),
                None => {}
            }
            total += i64::from(s.rows.max(0)) * i64::from(s.seats_per_row.max(0));
        }
        if total > i64::from(max_total) {
            errors.push((
                "sections".into(),
                format!("at most {max_total} seats in all"),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let sections = sections
            .into_iter()
            .map(|s| Section {
                name: s.name.trim().to_string(),
                geometry: s.geometry.map(|g| geometry::SectionGeometry {
                    label: g.label.map(|l| l.trim().to_string()),
                    ..g
                }),
                ..s
            })
            .collect();
        Ok(Self {
            sections,
            total: total as i32,
        })
    }

    pub fn total_seats(&self) -> i32 {
        self.total
    }
}

struct LayoutRow {
    id: Uuid,
    name: String,
    venue: String,
    description: String,
    total_seats: i32,
    sections: sqlx::types::Json<Vec<Section>>,
}

impl Layout {
    /// Every section's geometry: the drawn one, or a generated one for older layouts.
    pub fn geometries(&self) -> Vec<geometry::SectionGeometry> {
        match self
            .sections
            .iter()
            .map(|s| s.geometry.clone())
            .collect::<Option<Vec<_>>>()
        {
            Some(drawn) => drawn,
            None => geometry::generated(&self.sections),
        }
    }
}

impl From<LayoutRow> for Layout {
    fn from(r: LayoutRow) -> Self {
        Layout {
            id: r.id,
            name: r.name,
            venue: r.venue,
            description: r.description,
            total_seats: r.total_seats,
            sections: r.sections.0,
        }
    }
}

pub async fn list(pool: &PgPool) -> Result<Vec<Layout>, sqlx::Error> {
    let rows = sqlx::query_as!(
        LayoutRow,
        r#"SELECT id, name, venue, description, total_seats,
                sections AS "sections: sqlx::types::Json<Vec<Section>>"
        FROM seat_layouts ORDER BY total_seats, name"#,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Layout::from).collect())
}

pub async fn find(executor: impl PgExecutor<'_>, id: Uuid) -> Result<Option<Layout>, sqlx::Error> {
    let row = sqlx::query_as!(
        LayoutRow,
        r#"SELECT id, name, venue, description, total_seats,
                sections AS "sections: sqlx::types::Json<Vec<Section>>"
        FROM seat_layouts WHERE id = $1"#,
        id,
    )
    .fetch_optional(executor)
    .await?;
    Ok(row.map(Layout::from))
}

#[derive(Debug, thiserror::Error)]
pub enum CreateLayoutError {
    #[error("a layout with this name exists")]
    NameTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates a layout, or with `id` given, makes sure it exists (idempotent for seeding).
pub async fn create(
    executor: impl PgExecutor<'_>,
    id: Option<Uuid>,
    name: &str,
    description: &str,
    sections: &ValidSections,
) -> Result<Uuid, CreateLayoutError> {
    insert(
        executor,
        &NewLayout {
            id,
            name,
            venue: "",
            description,
            sections,
        },
    )
    .await
}

/// A layout to store; `name` must be 1 to 100 characters (the table checks it too).
pub struct NewLayout<'a> {
    pub id: Option<Uuid>,
    pub name: &'a str,
    pub venue: &'a str,
    pub description: &'a str,
    pub sections: &'a ValidSections,
}

/// Stores a layout, or with a fixed `id` that exists already, changes nothing.
pub async fn insert(
    executor: impl PgExecutor<'_>,
    new: &NewLayout<'_>,
) -> Result<Uuid, CreateLayoutError> {
    sqlx::query_scalar!(
        "INSERT INTO seat_layouts (id, name, venue, description, sections, total_seats)
         VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
         RETURNING id",
        new.id,
        new.name.trim(),
        new.venue.trim(),
        new.description,
        sqlx::types::Json(&new.sections.sections) as _,
        new.sections.total,
    )
    .fetch_one(executor)
    .await
    .map_err(|e| match crate::infra::db::violated_constraint(&e) {
        Some("seat_layouts_name_key") => CreateLayoutError::NameTaken,
        _ => CreateLayoutError::Db(e),
    })
}

/// Generates every seat of `event_id` from `layout_id`: rows are labelled A, B, … AA, AB
/// continuously across sections in layout order (older layouts), or from A again in every
/// block of a drawn layout; numbers start at 1 in each row. Returns
/// the number of seats created (0 if they already existed).
pub async fn generate_seats(
    executor: impl PgExecutor<'_>,
    event_id: Uuid,
    layout_id: Uuid,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query!(
        r#"
        WITH sections AS (
            SELECT (ord - 1)::int AS section_index,
                   s->>'name' AS name,
                   (s->>'rows')::int AS rows,
                   (s->>'seatsPerRow')::int AS per_row,
                   (s->>'price')::bigint AS price,
                   (SUM((s->>'rows')::int) OVER (ORDER BY ord) - (s->>'rows')::int)::int AS row_offset,
                   (s ? 'geometry') AS drawn
            FROM seat_layouts l,
                 jsonb_array_elements(l.sections) WITH ORDINALITY AS t(s, ord)
            WHERE l.id = $2
        )
        INSERT INTO seats (event_id, section, section_index, row_label, row_index, number, price)
        SELECT $1, sec.name, sec.section_index,
               CASE WHEN g.l <= 26 THEN chr(64 + g.l)
                    ELSE chr(64 + (g.l - 1) / 26) || chr(65 + (g.l - 1) % 26) END,
               g.i, n, sec.price
        FROM sections sec
        CROSS JOIN LATERAL generate_series(1, sec.rows) AS r
        CROSS JOIN LATERAL (SELECT sec.row_offset + r AS i,
                                   CASE WHEN sec.drawn THEN r ELSE sec.row_offset + r END AS l) AS g
        CROSS JOIN LATERAL generate_series(1, sec.per_row) AS n
        ON CONFLICT ON CONSTRAINT seats_position_key DO NOTHING
        "#,
        event_id,
        layout_id,
    )
    .execute(executor)
    .await?;
    Ok(result.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(name: &str, rows: i32, per_row: i32, price: i64) -> Section {
        Section {
            name: name.into(),
            rows,
            seats_per_row: per_row,
            price,
            color: None,
            geometry: None,
        }
    }

    fn drawn(name: &str, per_row: i32) -> Section {
        Section {
            geometry: Some(geometry::SectionGeometry {
                kind: geometry::BlockKind::Bowl,
                label: Some(" 101 ".into()),
                polygon: geometry::rectangle(0.0, 0.0, 100.0, 50.0),
                aisles_after: vec![10, 20],
            }),
            ..section(name, 10, per_row, 1000)
        }
    }

    #[test]
    fn drawn_layouts_allow_a_big_stadium_and_keep_their_geometry() {
        let blocks: Vec<_> = (0..48)
            .map(|i| drawn(&format!("{}", 101 + i), 30))
            .collect();
        let mut big = blocks.clone();
        big.extend((0..48).map(|i| Section {
            rows: 30,
            ..drawn(&format!("{}", 301 + i), 30)
        }));
        // 48 × 300 + 48 × 900 seats: beyond the 20,000 of undrawn layouts.
        let v = ValidSections::parse(big).unwrap();
        assert_eq!(v.total_seats(), 57_600);
        assert_eq!(
            v.sections[0].geometry.as_ref().unwrap().label.as_deref(),
            Some("101")
        );
        // The same size without geometry is refused.
        let plain: Vec<_> = (0..30)
            .map(|i| section(&format!("S{i}"), 30, 30, 1))
            .collect();
        let errors = ValidSections::parse(plain).unwrap_err();
        assert!(errors.iter().any(|(f, _)| f == "sections"), "{errors:?}");
    }

    #[test]
    fn bad_geometry_is_reported_per_field() {
        let mut mixed = vec![drawn("101", 30), section("102", 10, 30, 1)];
        let g = mixed[0].geometry.as_mut().unwrap();
        g.polygon = vec![
            geometry::Point { x: 0.0, y: 0.0 },
            geometry::Point { x: 5.0, y: 5.0 },
        ];
        g.aisles_after = vec![20, 10, 30];
        g.label = Some("far too long".into());
        let errors = ValidSections::parse(mixed.clone()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "sections[0].geometry.label",
                "sections[0].geometry.polygon",
                "sections[0].geometry.aislesAfter",
                "sections[1].geometry",
            ]
        );
        // Outside the venue space, or a flat outline.
        let mut out = drawn("101", 30);
        out.geometry.as_mut().unwrap().polygon = geometry::rectangle(0.0, 0.0, 1001.0, 5.0);
        let mut flat = drawn("102", 30);
        flat.geometry.as_mut().unwrap().polygon = vec![
            geometry::Point { x: 0.0, y: 0.0 },
            geometry::Point { x: 5.0, y: 5.0 },
            geometry::Point { x: 10.0, y: 10.0 },
        ];
        let errors = ValidSections::parse(vec![out, flat]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "sections[0].geometry.polygon",
                "sections[1].geometry.polygon"
            ]
        );
        // An aisle after the last seat is no aisle.
        let mut edge = drawn("101", 30);
        edge.geometry.as_mut().unwrap().aisles_after = vec![30];
        assert!(ValidSections::parse(vec![edge]).is_err());
    }

    #[test]
    fn undrawn_layouts_get_stacked_bands_with_aisles() {
        let layout = Layout {
            id: Uuid::nil(),
            name: "x".into(),
            venue: String::new(),
            description: String::new(),
            total_seats: 0,
            sections: vec![section("VIP", 3, 10, 1), section("R", 9, 50, 1)],
        };
        let g = layout.geometries();
        assert_eq!(g.len(), 2);
        assert!(g.iter().all(|g| g.kind == geometry::BlockKind::Floor));
        // The second band is below the first and three times as tall.
        let (a, b) = (&g[0].polygon, &g[1].polygon);
        assert!(b[0].y > a[2].y);
        let h = |p: &[geometry::Point]| p[2].y - p[0].y;
        assert!((h(b) / h(a) - 3.0).abs() < 0.01);
        assert!(g[0].aisles_after.is_empty());
        assert_eq!(g[1].aisles_after, [12, 25, 37]);
        assert_eq!(geometry::focus(&g).0, geometry::FocusKind::Stage);
    }

    #[test]
    fn valid_sections_count_their_seats() {
        let v = ValidSections::parse(vec![
            section("VIP", 3, 10, 150_000),
            section("R", 5, 15, 100_000),
        ])
        .unwrap();
        assert_eq!(v.total_seats(), 105);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors =
            ValidSections::parse(vec![section("VIP", 0, 10, 1), section("vip", 1, 101, 0)])
                .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "sections[0].rows",
                "sections[1].name",
                "sections[1].seatsPerRow",
                "sections[1].price"
            ]
        );
        assert!(ValidSections::parse(vec![]).is_err());
        assert!(ValidSections::parse(vec![
            section("A", 100, 100, 1),
            section("B", 100, 100, 1),
            section("C", 1, 1, 1)
        ])
        .is_err());
    }
}
