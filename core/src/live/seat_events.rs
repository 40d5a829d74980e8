//! Announcing changes. Every transaction that changes seats or stock writes an outbox row
//! (with the seat `seq` the change produced) in the same transaction; after commit the
//! writer relays its rows to Redis (seat state, seat log, pub/sub) and marks them
//! published, and the sweeper relays rows a crashed writer left behind. Personal and event
//! notifications that carry no state are published directly.

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{infra::redis::Keys, live::Live, reservation::seat_state::SeatState};

/// `seats.status`; also the status a live seat change announces.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum SeatStatus {
    Available,
    Held,
    Sold,
}

impl SeatStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SeatStatus::Available => "available",
            SeatStatus::Held => "held",
            SeatStatus::Sold => "sold",
        }
    }

    /// The WebSocket event name for a change into this status.
    pub fn event_name(self) -> &'static str {
        match self {
            SeatStatus::Available => "seat-released",
            SeatStatus::Held => "seat-locked",
            SeatStatus::Sold => "seat-sold",
        }
    }
}

/// One statement's worth of seat changes of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeatChange {
    pub event_id: Uuid,
    pub seq: i64,
    pub seat_ids: Vec<Uuid>,
    pub status: SeatStatus,
}

/// An outbox row to relay after commit.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub event_id: Uuid,
    pub topic: String,
    pub payload: sqlx::types::Json<serde_json::Value>,
}

/// Records that `seat_ids` of `event_id` became `status`. Call it right after the statement
/// that changed them, inside the same transaction, so the row carries that statement's seq.
pub async fn record_seats(
    conn: &mut PgConnection,
    event_id: Uuid,
    seat_ids: &[Uuid],
    status: SeatStatus,
) -> Result<OutboxRow, sqlx::Error> {
    sqlx::query_as!(
        OutboxRow,
        r#"INSERT INTO outbox (event_id, topic, payload)
         SELECT e.id, 'seats:' || e.id::text,
                jsonb_build_object('topic', 'seats:' || e.id::text, 'event', $3::text, 'seq', e.seat_seq,
                                   'data', jsonb_build_object('seatIds', $2::uuid[], 'status', $4::text))
         FROM events e WHERE e.id = $1
         RETURNING id, event_id, topic, payload AS "payload: sqlx::types::Json<serde_json::Value>""#,
        event_id,
        seat_ids,
        status.event_name(),
        status as SeatStatus,
    )
    .fetch_one(conn)
    .await
}

/// Records the current remaining counts of an event's ticket types (general admission).
pub async fn record_tickets(
    conn: &mut PgConnection,
    event_id: Uuid,
) -> Result<OutboxRow, sqlx::Error> {
    sqlx::query_as!(
        OutboxRow,
        r#"INSERT INTO outbox (event_id, topic, payload)
         SELECT $1::uuid, 'event:' || $1::uuid::text,
                jsonb_build_object('topic', 'event:' || $1::uuid::text, 'event', 'ticket-updated',
                    'data', jsonb_build_object('ticketTypes',
                        COALESCE((SELECT jsonb_agg(jsonb_build_object('id', t.id, 'remaining', t.remaining) ORDER BY t.sort_order)
                                  FROM ticket_types t WHERE t.event_id = $1), '[]'::jsonb)))
         RETURNING id, event_id, topic, payload AS "payload: sqlx::types::Json<serde_json::Value>""#,
        event_id,
    )
    .fetch_one(conn)
    .await
}

/// Relays outbox rows: seat changes go through the seat-state script (state, log and
/// publish at once), other rows are published; then the rows are marked published. A
/// failure leaves rows unmarked for the sweeper to retry; clients drop duplicates by seq.
pub async fn relay(
    pool: &PgPool,
    redis: &mut crate::infra::redis::RedisConn,
    seats: &SeatState,
    rows: &[OutboxRow],
) -> anyhow::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut done = Vec::with_capacity(rows.len());
    for row in rows {
        let result = match live_message(row) {
            Some(message) => match &message {
                Live::Seats(change) => seats.apply(redis, change, &message.to_json()).await,
                _ => publish(redis, seats.keys(), &message).await,
            },
            None => {
                tracing::warn!(id = row.id, topic = %row.topic, "outbox row not understood; skipped");
                Ok(())
            }
        };
        match result {
            Ok(()) => done.push(row.id),
            Err(e) => {
                tracing::warn!(error = %e, "relaying seat events failed; the sweeper will retry");
                break;
            }
        }
    }
    sqlx::query!(
        "UPDATE outbox SET published_at = now() WHERE id = ANY($1)",
        &done
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The live message an outbox row records (written by `record_seats` or `record_tickets`).
fn live_message(row: &OutboxRow) -> Option<Live> {
    let p = &row.payload.0;
    if row.topic.starts_with("seats:") {
        let status: SeatStatus = serde_json::from_value(p["data"]["status"].clone()).ok()?;
        return Some(Live::Seats(SeatChange {
            event_id: row.event_id,
            seq: p["seq"].as_i64()?,
            seat_ids: serde_json::from_value(p["data"]["seatIds"].clone()).ok()?,
            status,
        }));
    }
    (p["event"] == "ticket-updated").then_some(())?;
    Some(Live::TicketsUpdated {
        event_id: row.event_id,
        ticket_types: serde_json::from_value(p["data"]["ticketTypes"].clone()).ok()?,
    })
}

/// Relays rows that stayed unpublished for `older_than` (their writer crashed or Redis was
/// away), oldest first. Returns how many were relayed.
pub async fn relay_stale(
    pool: &PgPool,
    redis: &mut crate::infra::redis::RedisConn,
    seats: &SeatState,
    older_than: std::time::Duration,
) -> anyhow::Result<usize> {
    let rows = sqlx::query_as!(
        OutboxRow,
        r#"SELECT id, event_id, topic, payload AS "payload: sqlx::types::Json<serde_json::Value>"
        FROM outbox
        WHERE published_at IS NULL AND created_at < now() - make_interval(secs => $1)
        ORDER BY id LIMIT 1000"#,
        older_than.as_secs_f64(),
    )
    .fetch_all(pool)
    .await?;
    relay(pool, redis, seats, &rows).await?;
    Ok(rows.len())
}

/// Publishes a message with no state behind it (personal notifications, event status).
pub async fn publish(
    redis: &mut crate::infra::redis::RedisConn,
    keys: &Keys,
    message: &Live,
) -> redis::RedisResult<()> {
    crate::infra::redis::publish(
        redis,
        &keys.ws_channel(&message.topic()),
        &message.to_json(),
    )
    .await
}

pub use super::message::{event_topic, seats_topic, user_topic};
