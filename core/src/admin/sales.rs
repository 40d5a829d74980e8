//! Sales figures of events: capacity, sold, held, available and revenue, counted from the
//! seats (reserved seating) or the live reservation items (general admission) and the
//! completed payments. One lookup per event on its own indexes, so the cost follows the
//! events asked about, not the size of the tables; the seating test sits inside each
//! lookup so that the planner skips the lookups of the other kind outright.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sales {
    /// Seats, or tickets of every type.
    pub total: i64,
    /// In confirmed (paid) reservations.
    pub sold: i64,
    /// In pending holds.
    pub held: i64,
    pub available: i64,
    /// KRW of completed (not refunded) payments.
    pub revenue: i64,
}

struct SalesRow {
    id: Uuid,
    total: i64,
    sold: i64,
    held: i64,
    available: i64,
    revenue: i64,
}

/// Sales of `event_ids`; events that do not exist are missing from the map.
pub async fn of_events(
    executor: impl sqlx::PgExecutor<'_>,
    event_ids: &[Uuid],
) -> Result<HashMap<Uuid, Sales>, sqlx::Error> {
    if event_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = sqlx::query_as!(
        SalesRow,
        r#"
        SELECT e.id,
               CASE WHEN e.seating = 'reserved' THEN e.seats_total::bigint ELSE COALESCE(tt.total, 0) END AS "total!",
               CASE WHEN e.seating = 'reserved' THEN COALESCE(st.sold, 0) ELSE COALESCE(ga.sold, 0) END AS "sold!",
               CASE WHEN e.seating = 'reserved' THEN COALESCE(st.held, 0) ELSE COALESCE(ga.held, 0) END AS "held!",
               CASE WHEN e.seating = 'reserved' THEN e.seats_available::bigint ELSE COALESCE(tt.remaining, 0) END AS "available!",
               COALESCE(rev.revenue, 0) AS "revenue!"
        FROM UNNEST($1::uuid[]) AS q(id)
        JOIN events e ON e.id = q.id
        LEFT JOIN LATERAL (
            SELECT COUNT(*) FILTER (WHERE status = 'held') AS held,
                   COUNT(*) FILTER (WHERE status = 'sold') AS sold
            FROM seats WHERE event_id = e.id AND e.seating = 'reserved'
        ) st ON true
        LEFT JOIN LATERAL (
            SELECT SUM(total_quantity)::bigint AS total, SUM(remaining)::bigint AS remaining
            FROM ticket_types WHERE event_id = e.id AND e.seating = 'general'
        ) tt ON true
        LEFT JOIN LATERAL (
            -- One equality per status, so both columns of the index bound the scan.
            SELECT (SELECT COALESCE(SUM(i.quantity), 0)::bigint
                    FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id AND i.live
                    WHERE r.event_id = e.id AND r.status = 'pending' AND e.seating = 'general') AS held,
                   (SELECT COALESCE(SUM(i.quantity), 0)::bigint
                    FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id AND i.live
                    WHERE r.event_id = e.id AND r.status = 'confirmed' AND e.seating = 'general') AS sold
        ) ga ON true
        LEFT JOIN LATERAL (
            SELECT SUM(p.amount)::bigint AS revenue
            FROM reservations r JOIN payments p ON p.reservation_id = r.id AND p.status = 'completed'
            WHERE r.event_id = e.id AND r.status = 'confirmed'
        ) rev ON true
        "#,
        event_ids,
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                Sales {
                    total: r.total,
                    sold: r.sold,
                    held: r.held,
                    available: r.available,
                    revenue: r.revenue,
                },
            )
        })
        .collect())
}
