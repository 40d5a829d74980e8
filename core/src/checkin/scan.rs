//! The scan arbiter. A ticket is admitted by inserting its `checkins` row, whose primary key
//! is the ticket id: of any number of gates scanning the same ticket at the same moment,
//! exactly one insert wins and every other scan reads the winner's gate and time.

use sqlx::PgPool;
use uuid::Uuid;

use super::{CheckinError, CheckinSource, ScanOutcome, ScanResult, ScannedTicket, Scanner};
use crate::ticket::{code, TicketKeys};

/// What the database says about a ticket that could not be admitted.
pub(super) struct Refusal {
    pub valid: bool,
    pub gate: Option<String>,
    pub admitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub scanned_by: Option<Uuid>,
}

/// Admits the ticket now if it is valid, not revoked and not admitted yet; the revocation
/// check and the insert are one statement.
pub(super) async fn try_admit(
    pool: &PgPool,
    scanner: &Scanner,
    ticket_id: Uuid,
    admitted_at: Option<chrono::DateTime<chrono::Utc>>,
    source: CheckinSource,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"INSERT INTO checkins (ticket_id, event_id, gate, scanned_by, admitted_at, source)
           SELECT t.id, t.event_id, $3, $4, COALESCE($5, now()), $6
           FROM tickets t
           JOIN reservations r ON r.id = t.reservation_id
           JOIN events e ON e.id = t.event_id
           WHERE t.id = $1 AND t.event_id = $2 AND r.status = 'confirmed' AND e.status <> 'cancelled'
           ON CONFLICT (ticket_id) DO NOTHING
           RETURNING admitted_at"#,
        ticket_id,
        scanner.event_id,
        scanner.gate,
        scanner.user_id,
        admitted_at,
        source as CheckinSource,
    )
    .fetch_optional(pool)
    .await
}

/// Why `try_admit` admitted nothing; `None` when the ticket does not exist for the event.
/// A separate statement, so it sees the winner a concurrent insert committed.
pub(super) async fn refusal(
    pool: &PgPool,
    event_id: Uuid,
    ticket_id: Uuid,
) -> Result<Option<Refusal>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT (r.status = 'confirmed' AND e.status <> 'cancelled') AS "valid!",
                  c.gate AS "gate?", c.admitted_at AS "admitted_at?", c.scanned_by AS "scanned_by?"
           FROM tickets t
           JOIN reservations r ON r.id = t.reservation_id
           JOIN events e ON e.id = t.event_id
           LEFT JOIN checkins c ON c.ticket_id = t.id
           WHERE t.id = $1 AND t.event_id = $2"#,
        ticket_id,
        event_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Refusal {
        valid: r.valid,
        gate: r.gate,
        admitted_at: r.admitted_at,
        scanned_by: r.scanned_by,
    }))
}

/// One online scan at `scanner`'s gate.
pub async fn scan(
    pool: &PgPool,
    keys: &TicketKeys,
    scanner: &Scanner,
    ticket_code: &str,
) -> Result<ScanOutcome, CheckinError> {
    let outcome = decide(pool, keys, scanner, ticket_code).await?;
    metrics::counter!("tiketi_checkin_scans_total", "result" => outcome.result.as_str(), "source" => "online")
        .increment(1);
    if outcome.result == ScanResult::Admitted {
        metrics::counter!("tiketi_checkin_admitted_total", "gate" => scanner.gate.clone())
            .increment(1);
    }
    Ok(outcome)
}

async fn decide(
    pool: &PgPool,
    keys: &TicketKeys,
    scanner: &Scanner,
    ticket_code: &str,
) -> Result<ScanOutcome, CheckinError> {
    let key = keys.verifying_key(scanner.event_id);
    let Some(claims) = code::verify(&key, scanner.event_id, ticket_code) else {
        return Ok(ScanOutcome::refused(ScanResult::Invalid, None));
    };
    let ticket = ScannedTicket::from(&claims);
    if let Some(at) = try_admit(pool, scanner, claims.t, None, CheckinSource::Online).await? {
        return Ok(ScanOutcome {
            result: ScanResult::Admitted,
            ticket: Some(ticket),
            first_admitted_at: Some(at),
            first_gate: Some(scanner.gate.clone()),
        });
    }
    Ok(match refusal(pool, scanner.event_id, claims.t).await? {
        // Signed by our key but unknown: the ticket was deleted with its reservation.
        None => ScanOutcome::refused(ScanResult::Invalid, Some(ticket)),
        Some(r) if !r.valid => ScanOutcome::refused(ScanResult::Revoked, Some(ticket)),
        Some(r) => ScanOutcome {
            result: ScanResult::Duplicate,
            ticket: Some(ticket),
            first_admitted_at: r.admitted_at,
            first_gate: r.gate,
        },
    })
}
