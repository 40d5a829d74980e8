//! Gate check-in: who may scan (`gates`), the scan arbiter that admits a ticket at most
//! once across every gate (`scan`; the `checkins` primary key decides, as the seats'
//! constraints do for bookings), offline gates' uploads and their conflicts (`sync`), and
//! the live numbers organizers watch (`stats`).

pub mod gates;
pub mod scan;
pub mod stats;
pub mod sync;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ticket::SeatLabel;

#[derive(Debug, thiserror::Error)]
pub enum CheckinError {
    #[error("request is invalid")]
    Invalid(Vec<(String, String)>),
    #[error("{message}")]
    Forbidden {
        code: &'static str,
        message: &'static str,
    },
    #[error("no such event")]
    EventNotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl CheckinError {
    fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![(field.to_string(), message.into())])
    }
}

/// How a checkin reached the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[sqlx(type_name = "checkin_source", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum CheckinSource {
    Online,
    Offline,
}

/// What an offline gate did that could not be accepted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type, utoipa::ToSchema,
)]
#[sqlx(type_name = "checkin_conflict_kind", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum ConflictKind {
    /// Another gate had admitted the ticket first.
    Duplicate,
    /// The ticket was revoked before the gate admitted it.
    Revoked,
}

/// The answer shown at the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScanResult {
    Admitted,
    Duplicate,
    Invalid,
    Revoked,
}

impl ScanResult {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanResult::Admitted => "admitted",
            ScanResult::Duplicate => "duplicate",
            ScanResult::Invalid => "invalid",
            ScanResult::Revoked => "revoked",
        }
    }
}

/// The ticket as its signed code describes it (trusted once the signature verified).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScannedTicket {
    pub id: Uuid,
    pub seat: Option<SeatLabel>,
    pub ticket_type: Option<String>,
    pub holder_initials: String,
}

impl From<&crate::ticket::TicketClaims> for ScannedTicket {
    fn from(c: &crate::ticket::TicketClaims) -> Self {
        ScannedTicket {
            id: c.t,
            seat: c.s.as_ref().map(|(section, row, number)| SeatLabel {
                section: section.clone(),
                row: row.clone(),
                number: *number,
            }),
            ticket_type: c.y.clone(),
            holder_initials: c.h.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanOutcome {
    pub result: ScanResult,
    pub ticket: Option<ScannedTicket>,
    /// When and where the ticket was (first) admitted: this scan for `admitted`, the
    /// earlier one for `duplicate`.
    pub first_admitted_at: Option<DateTime<Utc>>,
    pub first_gate: Option<String>,
}

impl ScanOutcome {
    fn refused(result: ScanResult, ticket: Option<ScannedTicket>) -> Self {
        ScanOutcome {
            result,
            ticket,
            first_admitted_at: None,
            first_gate: None,
        }
    }
}

/// Who is scanning, at which gate, for which event (see `gates::authorize`).
#[derive(Debug, Clone)]
pub struct Scanner {
    pub user_id: Uuid,
    pub event_id: Uuid,
    pub gate: String,
}
