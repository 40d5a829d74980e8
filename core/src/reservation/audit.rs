//! The invariants of the reservation system, checked against the rows. Tests assert there
//! are no violations after concurrent workloads; `tiketi-api audit` runs the same checks
//! against a live database after a load test.

use sqlx::PgPool;
use uuid::Uuid;

/// Every violated invariant, described; empty when the data is consistent.
pub async fn violations(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Vec::new();

    let double: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT i.seat_id, COUNT(*) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
         WHERE r.status IN ('pending', 'confirmed') AND i.seat_id IS NOT NULL
         GROUP BY i.seat_id HAVING COUNT(*) > 1",
    )
    .fetch_all(pool)
    .await?;
    found.extend(
        double
            .into_iter()
            .map(|(seat, n)| format!("double booking: seat {seat} has {n} live reservations")),
    );

    let disagreeing: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT s.id, s.status FROM seats s
         LEFT JOIN LATERAL (
             SELECT r.id, r.status FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
             WHERE i.seat_id = s.id AND r.status IN ('pending', 'confirmed')
         ) live ON true
         WHERE NOT ((s.status = 'available' AND live.id IS NULL AND s.reservation_id IS NULL)
                 OR (s.status = 'held' AND live.status = 'pending' AND s.reservation_id = live.id)
                 OR (s.status = 'sold' AND live.status = 'confirmed' AND s.reservation_id = live.id))",
    )
    .fetch_all(pool)
    .await?;
    found.extend(
        disagreeing
            .into_iter()
            .map(|(seat, status)| format!("seat {seat} is {status} but its reservations disagree")),
    );

    let stock: Vec<(Uuid, i32, i32, i64)> = sqlx::query_as(
        "SELECT t.id, t.total_quantity, t.remaining,
                COALESCE((SELECT SUM(i.quantity) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
                          WHERE i.ticket_type_id = t.id AND r.status IN ('pending', 'confirmed')), 0)::bigint
         FROM ticket_types t",
    )
    .fetch_all(pool)
    .await?;
    for (id, total, remaining, live) in stock {
        if i64::from(remaining) + live != i64::from(total) {
            found.push(format!(
                "ticket type {id}: {remaining} remaining + {live} reserved != {total}"
            ));
        }
    }

    let payments: Vec<(Uuid, String, bool, i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.status, r.confirmed_at IS NOT NULL,
                COUNT(p.id) FILTER (WHERE p.status = 'completed'),
                COUNT(p.id) FILTER (WHERE p.status = 'refunded')
         FROM reservations r LEFT JOIN payments p ON p.reservation_id = r.id GROUP BY r.id",
    )
    .fetch_all(pool)
    .await?;
    for (id, status, was_confirmed, completed, refunded) in payments {
        let ok = match (status.as_str(), was_confirmed) {
            ("confirmed", _) => completed == 1 && refunded == 0,
            ("cancelled", true) => completed == 0 && refunded == 1,
            _ => completed == 0 && refunded == 0,
        };
        if !ok {
            found.push(format!("{status} reservation {id} has {completed} completed and {refunded} refunded payments"));
        }
    }

    let counters: Vec<(Uuid, i32, i64)> = sqlx::query_as(
        "SELECT e.id, e.seats_available,
                (SELECT COUNT(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'available')
         FROM events e",
    )
    .fetch_all(pool)
    .await?;
    for (id, counter, actual) in counters {
        if i64::from(counter) != actual {
            found.push(format!(
                "event {id}: available counter {counter} but {actual} seats available"
            ));
        }
    }

    // Records are pruned after the idempotency horizon; a record that exists must
    // still name its reservation.
    let unrecorded: i64 = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!" FROM reservations r WHERE NOT EXISTS
            (SELECT 1 FROM reservation_requests q WHERE q.request_id = r.request_id AND q.reservation_id = r.id)
          AND (r.created_at > now() - make_interval(secs => $1)
               OR EXISTS (SELECT 1 FROM reservation_requests q WHERE q.request_id = r.request_id))"#,
        crate::reservation::IDEMPOTENCY_HORIZON.as_secs_f64()
    )
    .fetch_one(pool)
    .await?;
    if unrecorded > 0 {
        found.push(format!(
            "{unrecorded} reservations without their recorded decision"
        ));
    }
    Ok(found)
}

/// The fairness audit of every queued event's waiting room: (event, title, fans admitted,
/// admission-order inversions). Inversions must be zero.
pub async fn admission_order(
    pool: &PgPool,
    redis: &mut crate::infra::redis::RedisConn,
    keys: &crate::infra::redis::Keys,
) -> anyhow::Result<Vec<(Uuid, String, crate::waiting_room::OrderAudit)>> {
    let events: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, title FROM events WHERE queue_enabled ORDER BY id")
            .fetch_all(pool)
            .await?;
    let room = crate::waiting_room::WaitingRoom::new(keys.clone());
    let mut out = Vec::new();
    for (id, title) in events {
        out.push((id, title, room.order_audit(redis, id).await?));
    }
    Ok(out)
}
