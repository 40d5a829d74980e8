//! The mail outbox's SQL: rows written inside the transactions that make the changes, and
//! the claim → outcome steps senders take. Every outcome is fenced by the claim it answers,
//! so a sender whose lease ran out cannot overwrite what the sender that took over decided.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{MailKind, MailStatus};

/// Queues `kind` for each reservation, addressed to its fan; a reservation that already
/// has this kind of mail keeps the one it has. Call it inside the change's transaction.
pub async fn enqueue(
    conn: &mut PgConnection,
    kind: MailKind,
    reservation_ids: &[Uuid],
) -> Result<u64, sqlx::Error> {
    if reservation_ids.is_empty() {
        return Ok(0);
    }
    let inserted = sqlx::query!(
        "INSERT INTO mail_outbox (kind, reservation_id, user_id)
         SELECT $1, id, user_id FROM reservations WHERE id = ANY($2)
         ON CONFLICT ON CONSTRAINT mail_outbox_once_key DO NOTHING",
        kind as MailKind,
        reservation_ids
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected())
}

/// Queues the hold-expiring reminder for holds ending within `before`, once per hold.
/// Holds shorter than `before` get none: they were that close to ending from the start.
pub async fn enqueue_hold_reminders(pool: &PgPool, before: Duration) -> Result<u64, sqlx::Error> {
    let inserted = sqlx::query!(
        "INSERT INTO mail_outbox (kind, reservation_id, user_id)
         SELECT 'hold_expiring', id, user_id FROM reservations
         WHERE status = 'pending' AND expires_at > now()
           AND expires_at <= now() + make_interval(secs => $1)
           AND expires_at - created_at > make_interval(secs => $1)
         ON CONFLICT ON CONSTRAINT mail_outbox_once_key DO NOTHING",
        before.as_secs_f64()
    )
    .execute(pool)
    .await?;
    Ok(inserted.rows_affected())
}

/// A row a sender claimed: it may send it until the lease ends.
#[derive(Debug, Clone, Copy)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: MailKind,
    /// Including this one.
    pub attempts: i32,
    pub claim_id: Uuid,
}

/// Claims up to `limit` due rows (pending and due, or sending with an expired lease),
/// skipping rows another sender is claiming at this moment.
pub async fn claim(
    pool: &PgPool,
    limit: i64,
    lease: Duration,
    claim_id: Uuid,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"WITH due AS (
               SELECT id FROM mail_outbox
               WHERE (status = 'pending' AND next_attempt_at <= now())
                  OR (status = 'sending' AND lease_until <= now())
               ORDER BY next_attempt_at
               LIMIT $1
               FOR UPDATE SKIP LOCKED)
           UPDATE mail_outbox m
           SET status = 'sending', claim_id = $2, lease_until = now() + make_interval(secs => $3),
               attempts = m.attempts + 1
           FROM due WHERE m.id = due.id
           RETURNING m.id, m.kind AS "kind: MailKind", m.attempts"#,
        limit,
        claim_id,
        lease.as_secs_f64()
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            id: r.id,
            kind: r.kind,
            attempts: r.attempts,
            claim_id,
        })
        .collect())
}

/// The SMTP server accepted the mail. False when the claim had lapsed and another sender
/// owns the row now (the residual duplicate the module documents).
pub async fn mark_sent(pool: &PgPool, row: &Claimed) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE mail_outbox
         SET status = 'sent', sent_at = now(), claim_id = NULL, lease_until = NULL, last_error = NULL
         WHERE id = $1 AND claim_id = $2 AND status = 'sending'",
        row.id,
        row.claim_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A failure worth retrying: back to pending, due again after `delay`.
pub async fn mark_retry(
    pool: &PgPool,
    row: &Claimed,
    delay: Duration,
    error: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE mail_outbox
         SET status = 'pending', next_attempt_at = now() + make_interval(secs => $3),
             claim_id = NULL, lease_until = NULL, last_error = left($4, 1000)
         WHERE id = $1 AND claim_id = $2 AND status = 'sending'",
        row.id,
        row.claim_id,
        delay.as_secs_f64(),
        error
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A permanent failure (or the last attempt failed): never tried again.
pub async fn mark_failed(pool: &PgPool, row: &Claimed, error: &str) -> Result<bool, sqlx::Error> {
    end(pool, row, MailStatus::Failed, error).await
}

/// The mail no longer applies (the hold was paid or ended, the booking was cancelled).
pub async fn mark_skipped(pool: &PgPool, row: &Claimed, why: &str) -> Result<bool, sqlx::Error> {
    end(pool, row, MailStatus::Skipped, why).await
}

async fn end(
    pool: &PgPool,
    row: &Claimed,
    status: MailStatus,
    note: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE mail_outbox
         SET status = $3, claim_id = NULL, lease_until = NULL, last_error = left($4, 1000)
         WHERE id = $1 AND claim_id = $2 AND status = 'sending'",
        row.id,
        row.claim_id,
        status as MailStatus,
        note
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What the queue looks like, for the metrics.
#[derive(Debug, Clone, Copy)]
pub struct Depth {
    /// Rows not yet sent, failed or skipped.
    pub unsent: i64,
    pub oldest: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

pub async fn depth(pool: &PgPool) -> Result<Depth, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "unsent!", min(created_at) AS oldest, now() AS "now!"
           FROM mail_outbox WHERE status IN ('pending', 'sending')"#
    )
    .fetch_one(pool)
    .await?;
    Ok(Depth {
        unsent: row.unsent,
        oldest: row.oldest,
        now: row.now,
    })
}
