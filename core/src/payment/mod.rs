//! Paying for a hold. The (mock) provider is called with no transaction open and no pooled
//! connection held; the payment row, the reservation becoming confirmed and its seats
//! becoming sold then commit together. An `Idempotency-Key` makes retries safe: the same
//! key and body give the same payment, the same key with another body is refused.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    event::time::EventZone,
    live::seat_events::{self, OutboxRow, SeatStatus},
    mail::{self, MailKind},
    reservation::{lock_events, ReservationStatus},
};

/// `payments.method`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum PaymentMethod {
    NaverPay,
    KakaoPay,
    BankTransfer,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 3] = [
        PaymentMethod::NaverPay,
        PaymentMethod::KakaoPay,
        PaymentMethod::BankTransfer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::NaverPay => "naver_pay",
            PaymentMethod::KakaoPay => "kakao_pay",
            PaymentMethod::BankTransfer => "bank_transfer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn korean_name(self) -> &'static str {
        match self {
            PaymentMethod::NaverPay => "네이버페이",
            PaymentMethod::KakaoPay => "카카오페이",
            PaymentMethod::BankTransfer => "계좌이체",
        }
    }

    pub fn english_name(self) -> &'static str {
        match self {
            PaymentMethod::NaverPay => "Naver Pay",
            PaymentMethod::KakaoPay => "Kakao Pay",
            PaymentMethod::BankTransfer => "Bank transfer",
        }
    }
}

/// The mock payment provider: waits `latency` like a real one would, approves unless asked
/// to decline (tests and demos only; the api refuses that switch in production).
#[derive(Debug, Clone)]
pub struct MockProvider {
    pub latency: Duration,
}

impl MockProvider {
    async fn charge(&self, amount: i64, decline: bool) -> Result<String, &'static str> {
        tokio::time::sleep(self.latency).await;
        if decline {
            Err("the card issuer declined the payment")
        } else if amount < 0 {
            Err("invalid amount")
        } else {
            Ok(format!("mock_{}", Uuid::new_v4().simple()))
        }
    }
}

/// `payments.status`: what one payment attempt came to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum PaymentStatus {
    Completed,
    Declined,
    Refunded,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub id: Uuid,
    pub reservation_id: Uuid,
    pub method: PaymentMethod,
    pub amount: i64,
    pub status: PaymentStatus,
    pub provider_ref: Option<String>,
    pub failure_reason: Option<String>,
    pub created_at: String,
    pub refunded_at: Option<String>,
}

struct PaymentRow {
    id: Uuid,
    reservation_id: Uuid,
    method: PaymentMethod,
    amount: i64,
    status: PaymentStatus,
    provider_ref: Option<String>,
    failure_reason: Option<String>,
    created_at: DateTime<Utc>,
    refunded_at: Option<DateTime<Utc>>,
    request_hash: String,
    timezone: String,
}

impl PaymentRow {
    fn view(self) -> Payment {
        let zone = EventZone::from_db(&self.timezone);
        Payment {
            id: self.id,
            reservation_id: self.reservation_id,
            method: self.method,
            amount: self.amount,
            status: self.status,
            provider_ref: self.provider_ref,
            failure_reason: self.failure_reason,
            created_at: zone.format(self.created_at),
            refunded_at: self.refunded_at.map(|t| zone.format(t)),
        }
    }
}

pub struct PaymentRequest {
    pub user_id: Uuid,
    pub reservation_id: Uuid,
    pub method: PaymentMethod,
    pub idempotency_key: String,
    /// Ask the mock provider to decline.
    pub simulate_decline: bool,
}

impl PaymentRequest {
    fn hash(&self) -> String {
        let body = format!(
            "{}|{}|{}",
            self.reservation_id,
            self.method.as_str(),
            self.simulate_decline
        );
        hex::encode(Sha256::digest(body.as_bytes()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("no such reservation")]
    NotFound,
    #[error("this Idempotency-Key was used with a different request")]
    KeyReused,
    #[error("this reservation is {} and cannot be paid", .0.as_str())]
    NotPayable(ReservationStatus),
    #[error("the payment was declined")]
    Declined(Box<Payment>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A successful (or replayed) payment and the seat changes to relay.
#[derive(Debug)]
pub struct Paid {
    pub payment: Payment,
    pub event_id: Uuid,
    pub outbox: Vec<OutboxRow>,
    /// False when this answered a retry with the original payment.
    pub fresh: bool,
}

async fn by_key(pool: &PgPool, req: &PaymentRequest) -> Result<Option<PaymentRow>, sqlx::Error> {
    sqlx::query_as!(
        PaymentRow,
        r#"SELECT p.id, p.reservation_id, p.method AS "method: PaymentMethod", p.amount,
                p.status AS "status: PaymentStatus", p.provider_ref, p.failure_reason,
                p.created_at, p.refunded_at, p.request_hash, e.timezone
        FROM payments p JOIN reservations r ON r.id = p.reservation_id
        JOIN events e ON e.id = r.event_id
        WHERE p.user_id = $1 AND p.idempotency_key = $2"#,
        req.user_id,
        req.idempotency_key,
    )
    .fetch_optional(pool)
    .await
}

/// The reservation's state as a payment sees it: `pending` while its hold lasts, else the
/// state that ended it (`expired` for a hold past its time the sweeper has not reached).
fn payable_state(status: ReservationStatus, live: bool) -> ReservationStatus {
    if status == ReservationStatus::Pending && !live {
        ReservationStatus::Expired
    } else {
        status
    }
}

/// The answer for a key that was used before: the same payment, or a refusal. A declined
/// attempt is only "declined, your seats are still held" while they are: once the
/// reservation was paid with another key, cancelled or expired, that is the answer.
fn replay(
    row: PaymentRow,
    req: &PaymentRequest,
    event_id: Uuid,
    state: ReservationStatus,
) -> Result<Paid, PaymentError> {
    if row.request_hash != req.hash() {
        return Err(PaymentError::KeyReused);
    }
    let payment = row.view();
    if payment.status == PaymentStatus::Declined {
        if state != ReservationStatus::Pending {
            return Err(PaymentError::NotPayable(state));
        }
        return Err(PaymentError::Declined(Box::new(payment)));
    }
    Ok(Paid {
        payment,
        event_id,
        outbox: vec![],
        fresh: false,
    })
}

pub async fn process(
    pool: &PgPool,
    provider: &MockProvider,
    req: PaymentRequest,
) -> Result<Paid, PaymentError> {
    let hold = sqlx::query!(
        r#"SELECT event_id, status AS "status: ReservationStatus", total_amount,
                expires_at > now() AS "live!"
        FROM reservations WHERE id = $1 AND user_id = $2"#,
        req.reservation_id,
        req.user_id,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(PaymentError::NotFound)?;
    let (event_id, amount) = (hold.event_id, hold.total_amount);
    let state = payable_state(hold.status, hold.live);
    if let Some(row) = by_key(pool, &req).await? {
        return replay(row, &req, event_id, state);
    }
    if state != ReservationStatus::Pending {
        return Err(PaymentError::NotPayable(state));
    }

    // No connection is held while the provider thinks.
    let charge = provider.charge(amount, req.simulate_decline).await;
    let provider_ref = match charge {
        Ok(r) => r,
        Err(reason) => {
            let row = record_failure(pool, &req, amount, reason).await?;
            return replay(row, &req, event_id, state);
        }
    };

    let mut tx = pool.begin().await?;
    lock_events(&mut tx, &[event_id]).await?;
    let confirmed = sqlx::query!(
        "UPDATE reservations SET status = 'confirmed', confirmed_at = now()
         WHERE id = $1 AND user_id = $2 AND status = 'pending' AND expires_at > now()",
        req.reservation_id,
        req.user_id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if confirmed == 0 {
        tx.rollback().await?;
        let now = sqlx::query!(
            r#"SELECT status AS "status: ReservationStatus", expires_at > now() AS "live!"
            FROM reservations WHERE id = $1"#,
            req.reservation_id,
        )
        .fetch_one(pool)
        .await?;
        let state = payable_state(now.status, now.live);
        // A concurrent retry with this key may have won; it answers for us.
        if let Some(row) = by_key(pool, &req).await? {
            return replay(row, &req, event_id, state);
        }
        // The hold ended while the provider worked: the charge is voided, not kept.
        record_failure(
            pool,
            &req,
            amount,
            "the hold ended before the payment completed",
        )
        .await?;
        return Err(PaymentError::NotPayable(state));
    }
    if !insert(
        &mut *tx,
        &req,
        amount,
        Outcome::Completed {
            provider_ref: &provider_ref,
        },
    )
    .await?
    {
        // The key was taken meanwhile: never confirm without this payment's row.
        tx.rollback().await?;
        let row = by_key(pool, &req).await?.ok_or(PaymentError::NotFound)?;
        return replay(row, &req, event_id, ReservationStatus::Pending);
    }
    let sold = sqlx::query_scalar!(
        "UPDATE seats SET status = 'sold' WHERE reservation_id = $1 AND status = 'held' RETURNING id",
        req.reservation_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut outbox = Vec::new();
    if !sold.is_empty() {
        outbox.push(seat_events::record_seats(&mut tx, event_id, &sold, SeatStatus::Sold).await?);
    }
    mail::outbox::enqueue(&mut tx, MailKind::BookingConfirmed, &[req.reservation_id]).await?;
    tx.commit().await?;
    let row = by_key(pool, &req).await?.ok_or(PaymentError::NotFound)?;
    Ok(Paid {
        payment: row.view(),
        event_id,
        outbox,
        fresh: true,
    })
}

enum Outcome<'a> {
    Completed { provider_ref: &'a str },
    Declined { reason: &'a str },
}

/// Records one payment attempt under its idempotency key; `false` when the key already
/// has a record (the first record of a key wins).
async fn insert(
    executor: impl sqlx::PgExecutor<'_>,
    req: &PaymentRequest,
    amount: i64,
    outcome: Outcome<'_>,
) -> Result<bool, sqlx::Error> {
    let (status, provider_ref, reason) = match outcome {
        Outcome::Completed { provider_ref } => (PaymentStatus::Completed, Some(provider_ref), None),
        Outcome::Declined { reason } => (PaymentStatus::Declined, None, Some(reason)),
    };
    let inserted = sqlx::query!(
        "INSERT INTO payments (reservation_id, user_id, idempotency_key, request_hash, method, amount, status,
                               provider_ref, failure_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ON CONSTRAINT payments_idempotency_key DO NOTHING",
        req.reservation_id,
        req.user_id,
        req.idempotency_key,
        req.hash(),
        req.method as PaymentMethod,
        amount,
        status as PaymentStatus,
        provider_ref,
        reason,
    )
    .execute(executor)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

async fn record_failure(
    pool: &PgPool,
    req: &PaymentRequest,
    amount: i64,
    reason: &str,
) -> Result<PaymentRow, sqlx::Error> {
    insert(pool, req, amount, Outcome::Declined { reason }).await?;
    by_key(pool, req).await?.ok_or(sqlx::Error::RowNotFound)
}
