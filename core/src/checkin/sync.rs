//! Uploads of offline gates. Each admission the gate made while offline is offered to the
//! same arbiter as an online scan, with the time the gate admitted it. One the database
//! cannot accept (admitted elsewhere first, or revoked) is recorded as a conflict for the
//! organizer, never dropped. Uploading the same admission again changes nothing.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{
    scan::{refusal, try_admit},
    CheckinError, CheckinSource, ConflictKind, Scanner,
};
use crate::ticket::{code, TicketKeys};

/// Upper bound of one upload; a gate with more pending sends several.
pub const MAX_ADMISSIONS_PER_SYNC: usize = 150;
/// How far ahead of the server's clock a gate's clock may be.
const CLOCK_SKEW: Duration = Duration::minutes(5);

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfflineAdmission {
    pub code: String,
    pub admitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum SyncOutcome {
    /// Now the ticket's admission.
    Recorded,
    /// This gate had uploaded it before.
    AlreadyRecorded,
    /// Kept as a conflict for the organizer (see `conflict`).
    Conflict,
    /// Not a ticket of this event, or an impossible time; nothing recorded.
    Invalid,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncResult {
    pub ticket_id: Option<Uuid>,
    pub outcome: SyncOutcome,
    pub conflict: Option<ConflictKind>,
    pub first_gate: Option<String>,
    pub first_admitted_at: Option<DateTime<Utc>>,
}

pub async fn sync(
    pool: &PgPool,
    keys: &TicketKeys,
    scanner: &Scanner,
    admissions: &[OfflineAdmission],
) -> Result<Vec<SyncResult>, CheckinError> {
    if admissions.len() > MAX_ADMISSIONS_PER_SYNC {
        return Err(CheckinError::field(
            "admissions",
            format!("at most {MAX_ADMISSIONS_PER_SYNC} admissions per upload"),
        ));
    }
    let key = keys.verifying_key(scanner.event_id);
    let now = Utc::now();
    let mut results = Vec::with_capacity(admissions.len());
    for admission in admissions {
        let result = match code::verify(&key, scanner.event_id, &admission.code) {
            Some(claims) if admission.admitted_at <= now + CLOCK_SKEW => {
                // Postgres keeps microseconds: compare what it will store.
                offer(
                    pool,
                    scanner,
                    claims.t,
                    admission.admitted_at.trunc_subsecs(6),
                )
                .await?
            }
            claims => SyncResult {
                ticket_id: claims.map(|c| c.t),
                outcome: SyncOutcome::Invalid,
                conflict: None,
                first_gate: None,
                first_admitted_at: None,
            },
        };
        let outcome = match result.outcome {
            SyncOutcome::Recorded => "recorded",
            SyncOutcome::AlreadyRecorded => "already_recorded",
            SyncOutcome::Conflict => "conflict",
            SyncOutcome::Invalid => "invalid",
        };
        metrics::counter!("tiketi_checkin_scans_total", "result" => outcome, "source" => "offline")
            .increment(1);
        if result.outcome == SyncOutcome::Recorded {
            metrics::counter!("tiketi_checkin_admitted_total", "gate" => scanner.gate.clone())
                .increment(1);
        }
        results.push(result);
    }
    Ok(results)
}

async fn offer(
    pool: &PgPool,
    scanner: &Scanner,
    ticket_id: Uuid,
    admitted_at: DateTime<Utc>,
) -> Result<SyncResult, CheckinError> {
    let mut result = SyncResult {
        ticket_id: Some(ticket_id),
        outcome: SyncOutcome::Recorded,
        conflict: None,
        first_gate: Some(scanner.gate.clone()),
        first_admitted_at: Some(admitted_at),
    };
    if try_admit(
        pool,
        scanner,
        ticket_id,
        Some(admitted_at),
        CheckinSource::Offline,
    )
    .await?
    .is_some()
    {
        return Ok(result);
    }
    let Some(refused) = refusal(pool, scanner.event_id, ticket_id).await? else {
        result.outcome = SyncOutcome::Invalid;
        result.first_gate = None;
        result.first_admitted_at = None;
        return Ok(result);
    };
    result.first_gate = refused.gate.clone();
    result.first_admitted_at = refused.admitted_at;
    let same_admission = refused.gate.as_deref() == Some(scanner.gate.as_str())
        && refused.scanned_by == Some(scanner.user_id)
        && refused.admitted_at == Some(admitted_at);
    if same_admission {
        result.outcome = SyncOutcome::AlreadyRecorded;
        return Ok(result);
    }
    let kind = if refused.valid {
        ConflictKind::Duplicate
    } else {
        ConflictKind::Revoked
    };
    sqlx::query!(
        "INSERT INTO checkin_conflicts (ticket_id, event_id, kind, gate, scanned_by, admitted_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ON CONSTRAINT checkin_conflicts_once DO NOTHING",
        ticket_id,
        scanner.event_id,
        kind as ConflictKind,
        scanner.gate,
        scanner.user_id,
        admitted_at,
    )
    .execute(pool)
    .await?;
    result.outcome = SyncOutcome::Conflict;
    result.conflict = Some(kind);
    Ok(result)
}
