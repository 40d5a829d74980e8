//! What organizers take away or weigh before acting: the rows of an event's reservations
//! and sales for a spreadsheet, and what cancelling the event would touch. Rows come as a
//! stream in a stable order so an export of a sold-out stadium never sits in memory whole.

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::AdminError;
use crate::event::time::EventZone;

/// One reservation of the event, with its fan, what it holds and its latest payment.
#[derive(Debug, Clone)]
pub struct ReservationRow {
    pub code: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub expired_at: Option<DateTime<Utc>>,
    pub fan_name: String,
    pub fan_email: String,
    /// Seats as `section row-number`, or ticket types as `name ×quantity`, `; `-separated.
    pub items: String,
    pub quantity: i64,
    pub total_amount: i64,
    pub payment_method: Option<String>,
    pub payment_status: Option<String>,
}

/// One payment attempt on a reservation of the event (completed, declined or refunded).
#[derive(Debug, Clone)]
pub struct SaleRow {
    pub paid_at: DateTime<Utc>,
    pub refunded_at: Option<DateTime<Utc>>,
    pub reservation_code: String,
    pub fan_name: String,
    pub fan_email: String,
    pub method: String,
    pub status: String,
    pub amount: i64,
    pub provider_ref: Option<String>,
}

/// The event's time zone, which export times are written in; `NotFound` if there is no
/// such event.
pub async fn event_zone(pool: &PgPool, event_id: Uuid) -> Result<EventZone, AdminError> {
    let zone = sqlx::query_scalar!("SELECT timezone FROM events WHERE id = $1", event_id)
        .fetch_optional(pool)
        .await?
        .ok_or(AdminError::NotFound("event"))?;
    Ok(EventZone::from_db(&zone))
}

/// The event's reservations, oldest first.
pub fn reservation_rows(
    pool: &PgPool,
    event_id: Uuid,
) -> BoxStream<'_, Result<ReservationRow, sqlx::Error>> {
    sqlx::query_as!(
        ReservationRow,
        r#"
        SELECT r.code, r.status, r.created_at, r.confirmed_at, r.cancelled_at, r.expired_at,
               u.name AS fan_name, u.email AS fan_email,
               COALESCE(it.items, '') AS "items!", COALESCE(it.quantity, 0) AS "quantity!",
               r.total_amount, p.method AS "payment_method?", p.status AS "payment_status?"
        FROM reservations r
        JOIN users u ON u.id = r.user_id
        LEFT JOIN LATERAL (
            SELECT string_agg(
                       CASE WHEN s.id IS NOT NULL THEN s.section || ' ' || s.row_label || '-' || s.number
                            ELSE t.name || ' ×' || i.quantity END,
                       '; ' ORDER BY s.section_index, s.row_index, s.number, t.sort_order) AS items,
                   SUM(i.quantity)::bigint AS quantity
            FROM reservation_items i
            LEFT JOIN seats s ON s.id = i.seat_id
            LEFT JOIN ticket_types t ON t.id = i.ticket_type_id
            WHERE i.reservation_id = r.id
        ) it ON true
        LEFT JOIN LATERAL (
            SELECT method, status FROM payments
            WHERE reservation_id = r.id
            ORDER BY (status <> 'declined') DESC, created_at DESC LIMIT 1
        ) p ON true
        WHERE r.event_id = $1
        ORDER BY r.created_at, r.id
        "#,
        event_id,
    )
    .fetch(pool)
}

/// Every payment on the event's reservations, oldest first.
pub fn sale_rows(pool: &PgPool, event_id: Uuid) -> BoxStream<'_, Result<SaleRow, sqlx::Error>> {
    sqlx::query_as!(
        SaleRow,
        r#"
        SELECT p.created_at AS paid_at, p.refunded_at, r.code AS reservation_code,
               u.name AS fan_name, u.email AS fan_email, p.method, p.status, p.amount,
               p.provider_ref
        FROM reservations r
        JOIN payments p ON p.reservation_id = r.id
        JOIN users u ON u.id = p.user_id
        WHERE r.event_id = $1
        ORDER BY p.created_at, p.id
        "#,
        event_id,
    )
    .fetch(pool)
}

/// What cancelling the event would do now: the live bookings it ends, the money it gives
/// back and the fans it writes to. The same rows `events::cancel` acts on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelImpact {
    /// Unpaid holds that would be released.
    pub pending_reservations: i64,
    /// Paid bookings that would be cancelled and refunded.
    pub confirmed_reservations: i64,
    /// Completed payments that would be refunded.
    pub refund_payments: i64,
    /// KRW that would be refunded.
    pub refund_amount: i64,
    /// Distinct fans who would get the cancellation e-mail.
    pub fans_to_notify: i64,
}

pub async fn cancel_impact(pool: &PgPool, event_id: Uuid) -> Result<CancelImpact, AdminError> {
    event_zone(pool, event_id).await?;
    let row = sqlx::query_as!(
        CancelImpact,
        r#"
        SELECT (SELECT COUNT(*) FROM reservations
                WHERE event_id = $1 AND status = 'pending') AS "pending_reservations!",
               (SELECT COUNT(*) FROM reservations
                WHERE event_id = $1 AND status = 'confirmed') AS "confirmed_reservations!",
               COUNT(p.id) AS "refund_payments!",
               COALESCE(SUM(p.amount), 0)::bigint AS "refund_amount!",
               (SELECT COUNT(DISTINCT user_id) FROM reservations
                WHERE event_id = $1 AND status IN ('pending', 'confirmed')) AS "fans_to_notify!"
        FROM reservations r
        JOIN payments p ON p.reservation_id = r.id AND p.status = 'completed'
        WHERE r.event_id = $1 AND r.status IN ('pending', 'confirmed')
        "#,
        event_id,
    )
    .fetch_one(pool)
    .await?;
    Ok(row)
}
