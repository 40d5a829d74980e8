//! Prices per grade of a reserved-seating event. A grade is a section of the event's
//! layout; the layout's price is the default, and the organizer may price each grade per
//! event when creating or editing it. The grade's price is stored with the event and
//! copied onto its seats in the same transaction: a seat sells at its own price, and
//! reservations already made keep the unit price they were made at.

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::FieldErrors;
use crate::layout::{Section, MAX_PRICE};

/// One grade's price, as the organizer sets it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GradePrice {
    /// The section's name in the layout.
    pub grade: String,
    /// KRW per seat.
    pub price: i64,
}

/// Checks `given` against the layout's sections into per-field errors
/// (`gradePrices[1].price`); returns the prices that passed.
pub fn check(
    given: &[GradePrice],
    sections: &[Section],
    errors: &mut FieldErrors,
) -> Vec<GradePrice> {
    let mut seen = std::collections::HashSet::new();
    let mut valid = Vec::new();
    for (i, p) in given.iter().enumerate() {
        let grade = p.grade.trim();
        let mut ok = true;
        if !sections.iter().any(|s| s.name == grade) {
            errors.push((
                format!("gradePrices[{i}].grade"),
                "no such grade in the layout".into(),
            ));
            ok = false;
        } else if !seen.insert(grade.to_string()) {
            errors.push((format!("gradePrices[{i}].grade"), "must be unique".into()));
            ok = false;
        }
        if !(1..=MAX_PRICE).contains(&p.price) {
            errors.push((
                format!("gradePrices[{i}].price"),
                format!("must be 1 to {MAX_PRICE} KRW"),
            ));
            ok = false;
        }
        if ok {
            valid.push(GradePrice {
                grade: grade.to_string(),
                price: p.price,
            });
        }
    }
    valid
}

/// The event's grade prices in layout order (empty for general admission).
pub async fn of_event(
    conn: &mut PgConnection,
    event_id: Uuid,
) -> Result<Vec<GradePrice>, sqlx::Error> {
    sqlx::query_as!(
        GradePrice,
        r#"SELECT g.grade, g.price FROM event_grade_prices g
           LEFT JOIN (SELECT section, MIN(section_index) AS i FROM seats WHERE event_id = $1 GROUP BY section) s
             ON s.section = g.grade
           WHERE g.event_id = $1 ORDER BY s.i, g.grade"#,
        event_id,
    )
    .fetch_all(conn)
    .await
}

/// Sets `prices` on the event and its seats; returns whether any price changed.
pub async fn write(
    conn: &mut PgConnection,
    event_id: Uuid,
    prices: &[GradePrice],
) -> Result<bool, sqlx::Error> {
    let mut changed = false;
    for p in prices {
        let updated = sqlx::query!(
            "UPDATE event_grade_prices SET price = $3
             WHERE event_id = $1 AND grade = $2 AND price <> $3",
            event_id,
            p.grade,
            p.price,
        )
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if updated > 0 {
            changed = true;
            sqlx::query!(
                "UPDATE seats SET price = $3 WHERE event_id = $1 AND section = $2",
                event_id,
                p.grade,
                p.price,
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(name: &str) -> Section {
        Section {
            name: name.into(),
            rows: 1,
            seats_per_row: 1,
            price: 1000,
            color: None,
            geometry: None,
        }
    }

    #[test]
    fn grades_must_be_the_layouts_once_each_at_a_valid_price() {
        let sections = [section("VIP"), section("R")];
        let given = [
            GradePrice {
                grade: " VIP ".into(),
                price: 150_000,
            },
            GradePrice {
                grade: "S".into(),
                price: 10,
            },
            GradePrice {
                grade: "VIP".into(),
                price: 1,
            },
            GradePrice {
                grade: "R".into(),
                price: 0,
            },
        ];
        let mut errors = FieldErrors::new();
        let valid = check(&given, &sections, &mut errors);
        assert_eq!(
            valid,
            [GradePrice {
                grade: "VIP".into(),
                price: 150_000
            }]
        );
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "gradePrices[1].grade",
                "gradePrices[2].grade",
                "gradePrices[3].price"
            ]
        );
    }
}
