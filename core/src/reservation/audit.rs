//! The invariants of the reservation system, checked against the rows. Tests assert there
//! are no violations after concurrent workloads; `tiketi-api audit` runs the same checks
//! against a live database after a load test.

use sqlx::PgPool;
use uuid::Uuid;

use crate::{live::seat_events::SeatStatus, reservation::ReservationStatus};

/// Every violated invariant, described; empty when the data is consistent.
pub async fn violations(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Vec::new();

    let double = sqlx::query!(
        r#"SELECT i.seat_id AS "seat_id!", COUNT(*) AS "n!"
         FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
         WHERE r.status IN ('pending', 'confirmed') AND i.seat_id IS NOT NULL
         GROUP BY i.seat_id HAVING COUNT(*) > 1"#,
    )
    .fetch_all(pool)
    .await?;
    found.extend(double.into_iter().map(|r| {
        format!(
            "double booking: seat {} has {} live reservations",
            r.seat_id, r.n
        )
    }));

    let disagreeing = sqlx::query!(
        r#"SELECT s.id, s.status AS "status: SeatStatus" FROM seats s
         LEFT JOIN LATERAL (
             SELECT r.id, r.status FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
             WHERE i.seat_id = s.id AND r.status IN ('pending', 'confirmed')
         ) live ON true
         WHERE NOT ((s.status = 'available' AND live.id IS NULL AND s.reservation_id IS NULL)
                 OR (s.status = 'held' AND live.status = 'pending' AND s.reservation_id = live.id)
                 OR (s.status = 'sold' AND live.status = 'confirmed' AND s.reservation_id = live.id))"#,
    )
    .fetch_all(pool)
    .await?;
    found.extend(disagreeing.into_iter().map(|r| {
        format!(
            "seat {} is {} but its reservations disagree",
            r.id,
            r.status.as_str()
        )
    }));

    let stock = sqlx::query!(
        r#"SELECT t.id, t.total_quantity, t.remaining,
                COALESCE((SELECT SUM(i.quantity) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
                          WHERE i.ticket_type_id = t.id AND r.status IN ('pending', 'confirmed')), 0)::bigint AS "live!"
         FROM ticket_types t"#,
    )
    .fetch_all(pool)
    .await?;
    for t in stock {
        let (id, total, remaining, live) = (t.id, t.total_quantity, t.remaining, t.live);
        if i64::from(remaining) + live != i64::from(total) {
            found.push(format!(
                "ticket type {id}: {remaining} remaining + {live} reserved != {total}"
            ));
        }
    }

    let payments = sqlx::query!(
        r#"SELECT r.id, r.status AS "status: ReservationStatus",
                r.confirmed_at IS NOT NULL AS "was_confirmed!",
                COUNT(p.id) FILTER (WHERE p.status = 'completed') AS "completed!",
                COUNT(p.id) FILTER (WHERE p.status = 'refunded') AS "refunded!"
         FROM reservations r LEFT JOIN payments p ON p.reservation_id = r.id GROUP BY r.id"#,
    )
    .fetch_all(pool)
    .await?;
    for r in payments {
        let (completed, refunded) = (r.completed, r.refunded);
        let ok = match (r.status, r.was_confirmed) {
            (ReservationStatus::Confirmed, _) => completed == 1 && refunded == 0,
            (ReservationStatus::Cancelled, true) => completed == 0 && refunded == 1,
            _ => completed == 0 && refunded == 0,
        };
        if !ok {
            found.push(format!(
                "{} reservation {} has {completed} completed and {refunded} refunded payments",
                r.status.as_str(),
                r.id
            ));
        }
    }

    let counters = sqlx::query!(
        r#"SELECT e.id, e.seats_available,
                (SELECT COUNT(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'available') AS "actual!"
         FROM events e"#,
    )
    .fetch_all(pool)
    .await?;
    for e in counters {
        let (id, counter, actual) = (e.id, e.seats_available, e.actual);
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
    let events = sqlx::query!("SELECT id, title FROM events WHERE queue_enabled ORDER BY id")
        .fetch_all(pool)
        .await?;
    let room = crate::waiting_room::WaitingRoom::new(keys.clone());
    let mut out = Vec::new();
    for e in events {
        out.push((e.id, e.title, room.order_audit(redis, e.id).await?));
    }
    Ok(out)
}
