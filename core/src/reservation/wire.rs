//! The api↔worker messages as they travel on RabbitMQ: a version field `v` beside the
//! message's own fields, written by [`encode`] and checked by [`decode`] before anything
//! else is read, so a message of another version is refused clearly (the worker
//! dead-letters it as it does any unreadable command) instead of half understood.
//!
//! The messages are their own types. The reservation a reply carries is [`ReservationV1`],
//! not the HTTP view [`Reservation`]: the two convert into each other, so renaming a field
//! of the HTTP API never changes what is on the queue (the golden files of
//! `core/tests/amqp_messages.rs` pin the format).

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use uuid::Uuid;

use crate::reservation::{
    PaymentSummary, Reservation, ReservationEvent, ReservationItem, ReservationStatus,
};

/// The version of the command and reply formats this build writes and reads.
pub const VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("message has no version field `v`")]
    NoVersion,
    #[error("message version {0} is not supported (this build reads version {VERSION})")]
    UnsupportedVersion(u64),
    #[error("malformed message: {0}")]
    Malformed(#[from] serde_json::Error),
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    v: u32,
    #[serde(flatten)]
    message: &'a T,
}

#[derive(Deserialize)]
struct Version {
    v: Option<serde_json::Value>,
}

/// `message` with the current version, as JSON.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&Envelope {
        v: VERSION,
        message,
    })
}

/// A message of the current version; any other version is an error.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, WireError> {
    let Version { v } = serde_json::from_slice(body)?;
    match v {
        None => return Err(WireError::NoVersion),
        Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
        Some(v) => {
            return Err(WireError::UnsupportedVersion(
                v.as_u64().unwrap_or(u64::MAX),
            ))
        }
    }
    let mut object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(body)?;
    object.remove("v");
    Ok(serde_json::from_value(serde_json::Value::Object(object))?)
}

/// The reservation a worker's reply carries: what the api needs to answer the fan at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReservationV1 {
    pub id: Uuid,
    pub code: String,
    pub event: ReservationEventV1,
    pub status: ReservationStatusV1,
    pub total_amount: i64,
    pub expires_at: String,
    pub created_at: String,
    pub confirmed_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub expired_at: Option<String>,
    pub items: Vec<ReservationItemV1>,
    pub payment: Option<PaymentV1>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservationStatusV1 {
    Pending,
    Confirmed,
    Cancelled,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReservationEventV1 {
    pub id: Uuid,
    pub title: String,
    pub venue: String,
    pub starts_at: String,
    pub timezone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReservationItemV1 {
    pub seat_id: Option<Uuid>,
    pub section: Option<String>,
    pub row_label: Option<String>,
    pub number: Option<i32>,
    pub ticket_type_id: Option<Uuid>,
    pub ticket_type_name: Option<String>,
    pub quantity: i32,
    pub unit_price: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentV1 {
    pub id: Uuid,
    pub method: crate::payment::PaymentMethod,
    pub amount: i64,
    pub status: crate::payment::PaymentStatus,
    pub created_at: String,
    pub refunded_at: Option<String>,
}

impl From<ReservationStatus> for ReservationStatusV1 {
    fn from(s: ReservationStatus) -> Self {
        match s {
            ReservationStatus::Pending => Self::Pending,
            ReservationStatus::Confirmed => Self::Confirmed,
            ReservationStatus::Cancelled => Self::Cancelled,
            ReservationStatus::Expired => Self::Expired,
        }
    }
}

impl From<ReservationStatusV1> for ReservationStatus {
    fn from(s: ReservationStatusV1) -> Self {
        match s {
            ReservationStatusV1::Pending => Self::Pending,
            ReservationStatusV1::Confirmed => Self::Confirmed,
            ReservationStatusV1::Cancelled => Self::Cancelled,
            ReservationStatusV1::Expired => Self::Expired,
        }
    }
}

impl From<Reservation> for ReservationV1 {
    fn from(r: Reservation) -> Self {
        let ReservationEvent {
            id,
            title,
            venue,
            starts_at,
            timezone,
        } = r.event;
        Self {
            id: r.id,
            code: r.code,
            event: ReservationEventV1 {
                id,
                title,
                venue,
                starts_at,
                timezone,
            },
            status: r.status.into(),
            total_amount: r.total_amount,
            expires_at: r.expires_at,
            created_at: r.created_at,
            confirmed_at: r.confirmed_at,
            cancelled_at: r.cancelled_at,
            expired_at: r.expired_at,
            items: r
                .items
                .into_iter()
                .map(|i| ReservationItemV1 {
                    seat_id: i.seat_id,
                    section: i.section,
                    row_label: i.row_label,
                    number: i.number,
                    ticket_type_id: i.ticket_type_id,
                    ticket_type_name: i.ticket_type_name,
                    quantity: i.quantity,
                    unit_price: i.unit_price,
                })
                .collect(),
            payment: r.payment.map(|p| PaymentV1 {
                id: p.id,
                method: p.method,
                amount: p.amount,
                status: p.status,
                created_at: p.created_at,
                refunded_at: p.refunded_at,
            }),
        }
    }
}

impl From<ReservationV1> for Reservation {
    fn from(r: ReservationV1) -> Self {
        let ReservationEventV1 {
            id,
            title,
            venue,
            starts_at,
            timezone,
        } = r.event;
        Self {
            id: r.id,
            code: r.code,
            event: ReservationEvent {
                id,
                title,
                venue,
                starts_at,
                timezone,
            },
            status: r.status.into(),
            total_amount: r.total_amount,
            expires_at: r.expires_at,
            created_at: r.created_at,
            confirmed_at: r.confirmed_at,
            cancelled_at: r.cancelled_at,
            expired_at: r.expired_at,
            items: r
                .items
                .into_iter()
                .map(|i| ReservationItem {
                    seat_id: i.seat_id,
                    section: i.section,
                    row_label: i.row_label,
                    number: i.number,
                    ticket_type_id: i.ticket_type_id,
                    ticket_type_name: i.ticket_type_name,
                    quantity: i.quantity,
                    unit_price: i.unit_price,
                })
                .collect(),
            payment: r.payment.map(|p| PaymentSummary {
                id: p.id,
                method: p.method,
                amount: p.amount,
                status: p.status,
                created_at: p.created_at,
                refunded_at: p.refunded_at,
            }),
        }
    }
}
