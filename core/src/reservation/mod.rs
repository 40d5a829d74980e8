//! Reservations: deciding queued reserve commands (the arbiter of who gets a seat), the
//! fan's view of a reservation, cancellation and expiry. Every transition is one conditional
//! UPDATE checked against the database clock; every transaction that changes seats locks
//! the event row first, so seat-changing transactions of one event cannot deadlock.

pub mod arbiter;
pub mod audit;
mod batch;
pub mod commands;
pub mod seat_state;
pub mod wire;

pub use batch::{decide_batch, BatchOutcome};

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::{
    event::time::EventZone,
    live::seat_events::{self, OutboxRow, SeatStatus},
    mail::{self, MailKind},
    payment::{PaymentMethod, PaymentStatus},
    reservation::commands::{Decision, Rejection, ReserveCommand},
};

/// `reservations.status`; an unknown value read back is a decode error.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum ReservationStatus {
    Pending,
    Confirmed,
    Cancelled,
    Expired,
}

impl ReservationStatus {
    pub const ALL: [ReservationStatus; 4] = [
        ReservationStatus::Pending,
        ReservationStatus::Confirmed,
        ReservationStatus::Cancelled,
        ReservationStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReservationStatus::Pending => "pending",
            ReservationStatus::Confirmed => "confirmed",
            ReservationStatus::Cancelled => "cancelled",
            ReservationStatus::Expired => "expired",
        }
    }
}

/// `reservation_requests.outcome`: what a decided reserve command came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum RequestOutcome {
    Reserved,
    Rejected,
}

/// Locks the rows of `event_ids` in id order. Every seat-changing transaction does this
/// first: the seat triggers update the event row anyway, and taking it up front in one
/// global order is what keeps concurrent transactions from deadlocking.
pub async fn lock_events(conn: &mut PgConnection, event_ids: &[Uuid]) -> Result<(), sqlx::Error> {
    let mut ids = event_ids.to_vec();
    ids.sort();
    ids.dedup();
    sqlx::query!(
        "SELECT id FROM events WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
        &ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(())
}

/// A human-friendly, unguessable reservation number: `TK-XXXX-XXXX-XXXX` (60 random bits).
pub fn reservation_code() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut v = Uuid::new_v4().as_u128();
    let mut out = String::from("TK");
    for i in 0..12 {
        if i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[(v & 31) as usize] as char);
        v >>= 5;
    }
    out
}

pub(crate) async fn recorded_decisions(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Decision>, sqlx::Error> {
    // A winner whose request record was pruned (past the idempotency horizon) is still
    // found by its reservation, so a late redelivery never books twice.
    let rows = sqlx::query!(
        r#"SELECT request_id AS "request_id!", reservation_id,
                details AS "details: sqlx::types::Json<serde_json::Value>"
         FROM reservation_requests WHERE request_id = ANY($1)
         UNION ALL
         SELECT r.request_id, r.id, NULL FROM reservations r
         WHERE r.request_id = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM reservation_requests q WHERE q.request_id = r.request_id)"#,
        ids,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.request_id, decision_from_row(r.reservation_id, r.details)))
        .collect())
}

fn decision_from_row(
    reservation_id: Option<Uuid>,
    details: Option<sqlx::types::Json<serde_json::Value>>,
) -> Decision {
    match reservation_id {
        Some(reservation_id) => Decision::Reserved { reservation_id },
        None => details
            .and_then(|d| serde_json::from_value::<Rejection>(d.0).ok())
            .map(Decision::Rejected)
            .unwrap_or(Decision::Rejected(Rejection::InvalidOrder)),
    }
}

pub(crate) async fn record_decisions(
    conn: &mut PgConnection,
    records: &[(ReserveCommand, Decision)],
) -> Result<(), sqlx::Error> {
    if records.is_empty() {
        return Ok(());
    }
    let mut request_ids = Vec::new();
    let mut users = Vec::new();
    let mut events = Vec::new();
    let mut outcomes = Vec::new();
    let mut codes: Vec<Option<&str>> = Vec::new();
    let mut details: Vec<Option<serde_json::Value>> = Vec::new();
    let mut reservations: Vec<Option<Uuid>> = Vec::new();
    let mut fingerprints = Vec::new();
    for (cmd, decision) in records {
        request_ids.push(cmd.request_id);
        fingerprints.push(cmd.order.fingerprint(cmd.event_id));
        users.push(cmd.user_id);
        events.push(cmd.event_id);
        match decision {
            Decision::Reserved { reservation_id } => {
                outcomes.push(RequestOutcome::Reserved);
                codes.push(None);
                details.push(None);
                reservations.push(Some(*reservation_id));
            }
            Decision::Rejected(r) => {
                outcomes.push(RequestOutcome::Rejected);
                codes.push(Some(r.code()));
                details.push(serde_json::to_value(r).ok());
                reservations.push(None);
            }
        }
    }
    sqlx::query!(
        "INSERT INTO reservation_requests (request_id, user_id, event_id, outcome, code, details, reservation_id, fingerprint)
         SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::uuid[], $8::text[])
         ON CONFLICT (request_id) DO NOTHING",
        &request_ids,
        &users,
        &events,
        &outcomes as &[RequestOutcome],
        &codes as &[Option<&str>],
        &details as &[Option<serde_json::Value>],
        &reservations as &[Option<Uuid>],
        &fingerprints,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the answer given to a command that could not be decided, best effort: the
/// offender may break the very rule that makes its record impossible.
pub async fn record_rejection(
    pool: &PgPool,
    cmd: &ReserveCommand,
    rejection: Rejection,
) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    record_decisions(&mut conn, &[(cmd.clone(), Decision::Rejected(rejection))]).await
}

/// How long request records (the Postgres row and the Redis "pending" key) are kept: an
/// Idempotency-Key retried within this horizon gets the first answer back.
pub const IDEMPOTENCY_HORIZON: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes request records older than the idempotency horizon, at most `limit` per call.
pub async fn prune_requests(pool: &PgPool, limit: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query!(
        "DELETE FROM reservation_requests WHERE request_id IN (
             SELECT request_id FROM reservation_requests
             WHERE decided_at < now() - make_interval(secs => $1) ORDER BY decided_at LIMIT $2)",
        IDEMPOTENCY_HORIZON.as_secs_f64(),
        limit,
    )
    .execute(pool)
    .await?
    .rows_affected())
}

/// The recorded decision of a request, only for the fan who made it.
pub async fn request_decision(
    pool: &PgPool,
    request_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Decision>, sqlx::Error> {
    Ok(request_record(pool, request_id, user_id)
        .await?
        .map(|(d, _)| d))
}

/// The recorded decision of a request and the fingerprint of what it asked for (see
/// [`Order::fingerprint`]), only for the fan who made it.
pub async fn request_record(
    pool: &PgPool,
    request_id: Uuid,
    user_id: Uuid,
) -> Result<Option<(Decision, Option<String>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT reservation_id, details AS "details: sqlx::types::Json<serde_json::Value>",
                fingerprint
        FROM reservation_requests WHERE request_id = $1 AND user_id = $2"#,
        request_id,
        user_id,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            decision_from_row(r.reservation_id, r.details),
            r.fingerprint,
        )
    }))
}

/// The fan's live hold for an event, if any.
pub async fn pending_for(
    executor: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
    event_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM reservations WHERE user_id = $1 AND event_id = $2 AND status = 'pending'",
        user_id,
        event_id,
    )
    .fetch_optional(executor)
    .await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservationItem {
    pub seat_id: Option<Uuid>,
    pub section: Option<String>,
    #[serde(rename = "row")]
    pub row_label: Option<String>,
    pub number: Option<i32>,
    pub ticket_type_id: Option<Uuid>,
    pub ticket_type_name: Option<String>,
    pub quantity: i32,
    pub unit_price: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentSummary {
    pub id: Uuid,
    pub method: PaymentMethod,
    pub amount: i64,
    pub status: PaymentStatus,
    pub created_at: String,
    pub refunded_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservationEvent {
    pub id: Uuid,
    pub title: String,
    pub venue: String,
    pub starts_at: String,
    pub timezone: String,
}

/// A reservation as its owner sees it; instants in the event's zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    pub id: Uuid,
    pub code: String,
    pub event: ReservationEvent,
    pub status: ReservationStatus,
    pub total_amount: i64,
    pub expires_at: String,
    pub created_at: String,
    pub confirmed_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub expired_at: Option<String>,
    pub items: Vec<ReservationItem>,
    pub payment: Option<PaymentSummary>,
}

struct ReservationRow {
    id: Uuid,
    code: String,
    event_id: Uuid,
    title: String,
    venue: String,
    starts_at: DateTime<Utc>,
    timezone: String,
    status: ReservationStatus,
    total_amount: i64,
    expires_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    confirmed_at: Option<DateTime<Utc>>,
    cancelled_at: Option<DateTime<Utc>>,
    expired_at: Option<DateTime<Utc>>,
    payment_id: Option<Uuid>,
    payment_method: Option<PaymentMethod>,
    payment_amount: Option<i64>,
    payment_status: Option<PaymentStatus>,
    payment_created_at: Option<DateTime<Utc>>,
    payment_refunded_at: Option<DateTime<Utc>>,
}

/// `query_as!` of [`ReservationRow`] with the rest of the statement (`WHERE ...`) and its
/// binds; a macro because the query macros take literals only.
macro_rules! select_reservation_rows {
    ($rest:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            ReservationRow,
            r#"
    SELECT r.id, r.code, r.event_id, e.title, e.venue, e.starts_at, e.timezone,
           r.status AS "status: ReservationStatus",
           r.total_amount, r.expires_at, r.created_at, r.confirmed_at, r.cancelled_at, r.expired_at,
           p.id AS "payment_id?", p.method AS "payment_method?: PaymentMethod",
           p.amount AS "payment_amount?", p.status AS "payment_status?: PaymentStatus",
           p.created_at AS "payment_created_at?", p.refunded_at AS "payment_refunded_at?"
    FROM reservations r
    JOIN events e ON e.id = r.event_id
    LEFT JOIN LATERAL (
        SELECT * FROM payments p WHERE p.reservation_id = r.id AND p.status <> 'declined' LIMIT 1
    ) p ON true
    "# + $rest
            $(, $arg)*
        )
    };
}

async fn items_of(
    executor: impl sqlx::PgExecutor<'_>,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<ReservationItem>>, sqlx::Error> {
    // Per-item key lookups (LATERAL): the planner cannot size `= ANY($1)` and would
    // otherwise hash-join every seat of every event for one reservation.
    let rows: Vec<(Uuid, ReservationItemRow)> = sqlx::query_as!(
        ReservationItemRow,
        r#"SELECT i.reservation_id, i.seat_id, s.section AS "section?", s.row_label AS "row_label?",
                s.number AS "number?", i.ticket_type_id, t.name AS "ticket_type_name?",
                i.quantity, i.unit_price
         FROM reservation_items i
         LEFT JOIN LATERAL (SELECT section, row_label, number, section_index, row_index
                            FROM seats WHERE id = i.seat_id) s ON true
         LEFT JOIN LATERAL (SELECT name, sort_order FROM ticket_types WHERE id = i.ticket_type_id) t ON true
         WHERE i.reservation_id = ANY($1)
         ORDER BY s.section_index, s.row_index, s.number, t.sort_order"#,
        ids,
    )
    .fetch_all(executor)
    .await?
    .into_iter()
    .map(|r| (r.reservation_id, r))
    .collect();
    let mut map: HashMap<Uuid, Vec<ReservationItem>> = HashMap::new();
    for (id, r) in rows {
        map.entry(id).or_default().push(ReservationItem {
            seat_id: r.seat_id,
            section: r.section,
            row_label: r.row_label,
            number: r.number,
            ticket_type_id: r.ticket_type_id,
            ticket_type_name: r.ticket_type_name,
            quantity: r.quantity,
            unit_price: r.unit_price,
        });
    }
    Ok(map)
}

struct ReservationItemRow {
    reservation_id: Uuid,
    seat_id: Option<Uuid>,
    section: Option<String>,
    row_label: Option<String>,
    number: Option<i32>,
    ticket_type_id: Option<Uuid>,
    ticket_type_name: Option<String>,
    quantity: i32,
    unit_price: i64,
}

fn to_view(r: ReservationRow, items: Vec<ReservationItem>) -> Reservation {
    let zone = EventZone::from_db(&r.timezone);
    let f = |t: Option<DateTime<Utc>>| t.map(|t| zone.format(t));
    Reservation {
        id: r.id,
        code: r.code,
        event: ReservationEvent {
            id: r.event_id,
            title: r.title,
            venue: r.venue,
            starts_at: zone.format(r.starts_at),
            timezone: zone.name().to_string(),
        },
        status: r.status,
        total_amount: r.total_amount,
        expires_at: zone.format(r.expires_at),
        created_at: zone.format(r.created_at),
        confirmed_at: f(r.confirmed_at),
        cancelled_at: f(r.cancelled_at),
        expired_at: f(r.expired_at),
        items,
        payment: match (
            r.payment_id,
            r.payment_method,
            r.payment_amount,
            r.payment_status,
            r.payment_created_at,
        ) {
            (Some(id), Some(method), Some(amount), Some(status), Some(created)) => {
                Some(PaymentSummary {
                    id,
                    method,
                    amount,
                    status,
                    created_at: zone.format(created),
                    refunded_at: f(r.payment_refunded_at),
                })
            }
            _ => None,
        },
    }
}

/// Completes reservation rows with their items, in the rows' order.
async fn with_items(
    conn: &mut PgConnection,
    rows: Vec<ReservationRow>,
) -> Result<Vec<Reservation>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut items = items_of(&mut *conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let i = items.remove(&r.id).unwrap_or_default();
            to_view(r, i)
        })
        .collect())
}

/// A reservation if `user_id` owns it (anyone else gets `None`, answered as 404).
pub async fn find_owned(
    pool: &PgPool,
    id: Uuid,
    user_id: Uuid,
) -> Result<Option<Reservation>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows = select_reservation_rows!("WHERE r.id = $1 AND r.user_id = $2", id, user_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(with_items(&mut conn, rows).await?.pop())
}

/// Several reservations by id (for the worker, inside the transaction that made them).
pub(crate) async fn find_many(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<Reservation>, sqlx::Error> {
    let rows = select_reservation_rows!("WHERE r.id = ANY($1)", ids)
        .fetch_all(&mut *conn)
        .await?;
    with_items(conn, rows).await
}

/// The fan's reservations, newest first.
pub async fn list_owned(
    pool: &PgPool,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Reservation>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows = select_reservation_rows!(
        "WHERE r.user_id = $1 ORDER BY r.created_at DESC LIMIT $2",
        user_id,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    with_items(&mut conn, rows).await
}

#[derive(Debug, thiserror::Error)]
pub enum CancelError {
    #[error("no such reservation")]
    NotFound,
    #[error("this reservation can no longer be cancelled")]
    NotCancellable,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What a release did, for the caller to relay and announce.
#[derive(Debug, Default)]
pub struct Released {
    pub reservation_ids: Vec<Uuid>,
    pub users: Vec<(Uuid, Uuid)>,
    pub outbox: Vec<OutboxRow>,
    pub refunded: u64,
}

/// Ends reservations of one event (already locked by the caller): frees the seats still
/// theirs, restores ticket stock, refunds completed payments and records the changes.
pub(crate) async fn release(
    conn: &mut PgConnection,
    event_id: Uuid,
    ids: &[Uuid],
    out: &mut Released,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let freed: Vec<Uuid> = sqlx::query_scalar!(
        "UPDATE seats SET status = 'available', reservation_id = NULL
         WHERE event_id = $1 AND reservation_id = ANY($2) RETURNING id",
        event_id,
        ids,
    )
    .fetch_all(&mut *conn)
    .await?;
    if !freed.is_empty() {
        out.outbox.push(
            seat_events::record_seats(&mut *conn, event_id, &freed, SeatStatus::Available).await?,
        );
    }
    let restored = sqlx::query!(
        "UPDATE ticket_types t SET remaining = t.remaining + x.quantity
         FROM (SELECT ticket_type_id, SUM(quantity)::int AS quantity FROM reservation_items
               WHERE reservation_id = ANY($1) AND ticket_type_id IS NOT NULL GROUP BY ticket_type_id) x
         WHERE t.id = x.ticket_type_id",
        ids,
    )
    .execute(&mut *conn)
    .await?;
    if restored.rows_affected() > 0 {
        out.outbox
            .push(seat_events::record_tickets(&mut *conn, event_id).await?);
    }
    out.refunded += sqlx::query!(
        "UPDATE payments SET status = 'refunded', refunded_at = now()
         WHERE reservation_id = ANY($1) AND status = 'completed'",
        ids,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(())
}

/// The fan cancels: a pending hold any time, a confirmed booking before the event starts
/// (refunded). Cancelled and expired reservations stay as they are.
pub async fn cancel(pool: &PgPool, id: Uuid, user_id: Uuid) -> Result<Released, CancelError> {
    let event_id: Uuid = sqlx::query_scalar!(
        "SELECT event_id FROM reservations WHERE id = $1 AND user_id = $2",
        id,
        user_id,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(CancelError::NotFound)?;
    let mut tx = pool.begin().await?;
    lock_events(&mut tx, &[event_id]).await?;
    let cancelled: Option<Uuid> = sqlx::query_scalar!(
        "UPDATE reservations r SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'fan'
         FROM events e
         WHERE r.id = $1 AND r.user_id = $2 AND e.id = r.event_id
           AND (r.status = 'pending' OR (r.status = 'confirmed' AND e.starts_at > now()))
         RETURNING r.id",
        id,
        user_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if cancelled.is_none() {
        return Err(CancelError::NotCancellable);
    }
    let mut out = Released {
        reservation_ids: vec![id],
        users: vec![(user_id, id)],
        ..Default::default()
    };
    release(&mut tx, event_id, &[id], &mut out).await?;
    // A paid booking gets its cancellation and refund in writing; a dropped hold does not.
    if out.refunded > 0 {
        mail::outbox::enqueue(&mut tx, MailKind::ReservationCancelled, &[id]).await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// Expires holds whose time has passed by the database clock, at most `limit` of them,
/// event by event. Only seats the expiring reservation still holds are freed.
pub async fn expire_due(pool: &PgPool, limit: i64) -> Result<Released, sqlx::Error> {
    let due = sqlx::query!(
        "SELECT event_id, id FROM reservations WHERE status = 'pending' AND expires_at <= now()
         ORDER BY expires_at LIMIT $1",
        limit,
    )
    .fetch_all(pool)
    .await?;
    let mut by_event: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for r in due {
        by_event.entry(r.event_id).or_default().push(r.id);
    }
    let mut out = Released::default();
    for (event_id, ids) in by_event {
        let mut tx = pool.begin().await?;
        lock_events(&mut tx, &[event_id]).await?;
        let expired: Vec<(Uuid, Uuid)> = sqlx::query!(
            "UPDATE reservations SET status = 'expired', expired_at = now()
             WHERE id = ANY($1) AND status = 'pending' AND expires_at <= now()
             RETURNING id, user_id",
            &ids,
        )
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.id, r.user_id))
        .collect();
        let ids: Vec<Uuid> = expired.iter().map(|(id, _)| *id).collect();
        release(&mut tx, event_id, &ids, &mut out).await?;
        tx.commit().await?;
        out.reservation_ids.extend(&ids);
        out.users
            .extend(expired.into_iter().map(|(id, user)| (user, id)));
    }
    Ok(out)
}

/// Pending holds that end within `within` and have not been warned yet; marks them warned.
pub async fn take_expiry_warnings(
    pool: &PgPool,
    within: std::time::Duration,
) -> Result<Vec<(Uuid, Uuid, DateTime<Utc>)>, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE reservations SET expiry_warned = true
         WHERE status = 'pending' AND NOT expiry_warned AND expires_at <= now() + make_interval(secs => $1)
         RETURNING user_id, id, expires_at",
        within.as_secs_f64(),
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.user_id, r.id, r.expires_at))
    .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_readable_and_distinct() {
        let a = reservation_code();
        assert_eq!(a.len(), "TK-XXXX-XXXX-XXXX".len(), "{a}");
        assert!(a.starts_with("TK-"));
        let many: HashSet<String> = (0..10_000).map(|_| reservation_code()).collect();
        assert_eq!(many.len(), 10_000);
    }
}
