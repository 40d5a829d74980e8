//! Every server-push message, as one enum: which topic it goes to, its event name and its
//! payload. The api (`/ws`, Socket.IO), the worker and the sweeper build a [`Live`] and
//! publish it; [`Live::to_json`] is the only place a message becomes the JSON clients
//! receive (`{"topic", "event", "seq"?, "data"}`, ARCHITECTURE.md, WebSocket), so a
//! message cannot be spelled two ways in two crates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use crate::{
    checkin::stats::LiveNumbers,
    event::EventStatus,
    live::seat_events::{SeatChange, SeatStatus},
    reservation::commands::{Decision, Rejection},
};

/// A message for the fans watching an event, or for one fan.
#[derive(Debug, Clone, PartialEq)]
pub enum Live {
    /// `seats:<event>`: seats changed status (`seat-locked`, `seat-released`, `seat-sold`),
    /// with the event's seat `seq`.
    Seats(SeatChange),
    /// `event:<event>` `ticket-updated`: remaining tickets of a general-admission event.
    TicketsUpdated {
        event_id: Uuid,
        ticket_types: Vec<TicketsLeft>,
    },
    /// `event:<event>` `event-status`: the event moved to another status.
    EventStatus { event_id: Uuid, status: EventStatus },
    /// `event:<event>` `event-cancelled`: the organizer cancelled the event.
    EventCancelled {
        event_id: Uuid,
        reason: Option<String>,
        /// In the event's zone, as the API writes it.
        cancelled_at: String,
    },
    /// `user:<fan>` `reservation-result`: how the fan's request was decided.
    ReservationResult {
        user_id: Uuid,
        request_id: Uuid,
        decision: Decision,
    },
    /// `user:<fan>` `queue-position`: the fan's place in a waiting room.
    QueuePosition {
        user_id: Uuid,
        event_id: Uuid,
        ticket: u64,
        ahead: u64,
        eta_seconds: Option<u64>,
    },
    /// `user:<fan>` `admitted`: the fan may shop now, with this admission token.
    Admitted {
        user_id: Uuid,
        event_id: Uuid,
        admission_token: String,
        /// In the event's zone, as the API writes it.
        expires_at: String,
    },
    /// `user:<fan>` `hold-expiring`: the fan's hold ends soon.
    HoldExpiring {
        user_id: Uuid,
        reservation_id: Uuid,
        expires_at: DateTime<Utc>,
    },
    /// `user:<fan>` `hold-expired`: the fan's hold ended unpaid.
    HoldExpired { user_id: Uuid, reservation_id: Uuid },
    /// `admin:<event>` `checkin-stats`: the event's gate numbers (sold, admitted, share,
    /// per gate) after scans, coalesced; only admins may follow the topic.
    CheckinStats(LiveNumbers),
}

/// Remaining tickets of one ticket type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketsLeft {
    pub id: Uuid,
    pub remaining: i64,
}

/// The envelope clients receive.
#[derive(Serialize)]
struct Wire<'a, D: Serialize> {
    topic: &'a str,
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    seq: Option<i64>,
    data: D,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SeatsData<'a> {
    seat_ids: &'a [Uuid],
    status: SeatStatus,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TicketsData<'a> {
    ticket_types: &'a [TicketsLeft],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventStatusData {
    event_id: Uuid,
    status: EventStatus,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventCancelledData<'a> {
    event_id: Uuid,
    reason: Option<&'a str>,
    cancelled_at: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all_fields = "camelCase", tag = "outcome")]
enum ResultData {
    #[serde(rename = "reserved")]
    Reserved {
        request_id: Uuid,
        reservation_id: Uuid,
    },
    #[serde(rename = "rejected")]
    Rejected {
        request_id: Uuid,
        code: &'static str,
        details: serde_json::Value,
    },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QueuePositionData {
    event_id: Uuid,
    ticket: u64,
    ahead: u64,
    eta_seconds: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AdmittedData<'a> {
    event_id: Uuid,
    admission_token: &'a str,
    expires_at: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HoldData {
    reservation_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "rfc3339")]
    expires_at: Option<DateTime<Utc>>,
}

/// As `DateTime::to_rfc3339` writes it (`+00:00`), which clients have always received.
fn rfc3339<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&at.to_rfc3339()),
        None => s.serialize_none(),
    }
}

impl Live {
    /// The topic subscribers follow: `seats:<event>`, `event:<event>` or `user:<fan>`.
    pub fn topic(&self) -> String {
        match self {
            Live::Seats(change) => seats_topic(change.event_id),
            Live::TicketsUpdated { event_id, .. }
            | Live::EventStatus { event_id, .. }
            | Live::EventCancelled { event_id, .. } => event_topic(*event_id),
            Live::ReservationResult { user_id, .. }
            | Live::QueuePosition { user_id, .. }
            | Live::Admitted { user_id, .. }
            | Live::HoldExpiring { user_id, .. }
            | Live::HoldExpired { user_id, .. } => user_topic(*user_id),
            Live::CheckinStats(numbers) => admin_topic(numbers.event_id),
        }
    }

    /// The event name clients dispatch on.
    pub fn event(&self) -> &'static str {
        match self {
            Live::Seats(change) => change.status.event_name(),
            Live::TicketsUpdated { .. } => "ticket-updated",
            Live::EventStatus { .. } => "event-status",
            Live::EventCancelled { .. } => "event-cancelled",
            Live::ReservationResult { .. } => "reservation-result",
            Live::QueuePosition { .. } => "queue-position",
            Live::Admitted { .. } => "admitted",
            Live::HoldExpiring { .. } => "hold-expiring",
            Live::HoldExpired { .. } => "hold-expired",
            Live::CheckinStats(_) => "checkin-stats",
        }
    }

    /// The message as clients receive it.
    pub fn to_json(&self) -> String {
        let topic = self.topic();
        let event = self.event();
        let wire = |seq, data| {
            serde_json::to_string(&Wire {
                topic: &topic,
                event,
                seq,
                data,
            })
        };
        let json = match self {
            Live::Seats(change) => wire(
                Some(change.seq),
                to_value(SeatsData {
                    seat_ids: &change.seat_ids,
                    status: change.status,
                }),
            ),
            Live::TicketsUpdated { ticket_types, .. } => {
                wire(None, to_value(TicketsData { ticket_types }))
            }
            Live::EventStatus { event_id, status } => wire(
                None,
                to_value(EventStatusData {
                    event_id: *event_id,
                    status: *status,
                }),
            ),
            Live::EventCancelled {
                event_id,
                reason,
                cancelled_at,
            } => wire(
                None,
                to_value(EventCancelledData {
                    event_id: *event_id,
                    reason: reason.as_deref(),
                    cancelled_at,
                }),
            ),
            Live::ReservationResult {
                request_id,
                decision,
                ..
            } => wire(
                None,
                to_value(match decision {
                    Decision::Reserved { reservation_id } => ResultData::Reserved {
                        request_id: *request_id,
                        reservation_id: *reservation_id,
                    },
                    Decision::Rejected(r) => ResultData::Rejected {
                        request_id: *request_id,
                        code: r.code(),
                        details: Rejection::details(r),
                    },
                }),
            ),
            Live::QueuePosition {
                event_id,
                ticket,
                ahead,
                eta_seconds,
                ..
            } => wire(
                None,
                to_value(QueuePositionData {
                    event_id: *event_id,
                    ticket: *ticket,
                    ahead: *ahead,
                    eta_seconds: *eta_seconds,
                }),
            ),
            Live::Admitted {
                event_id,
                admission_token,
                expires_at,
                ..
            } => wire(
                None,
                to_value(AdmittedData {
                    event_id: *event_id,
                    admission_token,
                    expires_at,
                }),
            ),
            Live::HoldExpiring {
                reservation_id,
                expires_at,
                ..
            } => wire(
                None,
                to_value(HoldData {
                    reservation_id: *reservation_id,
                    expires_at: Some(*expires_at),
                }),
            ),
            Live::HoldExpired { reservation_id, .. } => wire(
                None,
                to_value(HoldData {
                    reservation_id: *reservation_id,
                    expires_at: None,
                }),
            ),
            Live::CheckinStats(numbers) => wire(None, to_value(numbers)),
        };
        json.expect("live messages serialize")
    }
}

/// Payloads go through a JSON value so their keys come out sorted, as clients have always
/// received them.
fn to_value(data: impl Serialize) -> serde_json::Value {
    serde_json::to_value(data).expect("live payloads serialize")
}

/// The personal topic of a fan.
pub fn user_topic(user_id: Uuid) -> String {
    format!("user:{user_id}")
}

pub fn seats_topic(event_id: Uuid) -> String {
    format!("seats:{event_id}")
}

pub fn event_topic(event_id: Uuid) -> String {
    format!("event:{event_id}")
}

/// The organizer's live numbers of an event; admins only.
pub fn admin_topic(event_id: Uuid) -> String {
    format!("admin:{event_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// The exact text clients have received, message by message.
    #[test]
    fn every_message_is_written_as_clients_expect() {
        let at = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        let cases = [
            (
                Live::Seats(SeatChange {
                    event_id: id(1),
                    seq: 7,
                    seat_ids: vec![id(2)],
                    status: SeatStatus::Held,
                }),
                r#"{"topic":"seats:00000000-0000-0000-0000-000000000001","event":"seat-locked","seq":7,"data":{"seatIds":["00000000-0000-0000-0000-000000000002"],"status":"held"}}"#,
            ),
            (
                Live::TicketsUpdated {
                    event_id: id(1),
                    ticket_types: vec![TicketsLeft {
                        id: id(3),
                        remaining: 4,
                    }],
                },
                r#"{"topic":"event:00000000-0000-0000-0000-000000000001","event":"ticket-updated","data":{"ticketTypes":[{"id":"00000000-0000-0000-0000-000000000003","remaining":4}]}}"#,
            ),
            (
                Live::EventStatus {
                    event_id: id(1),
                    status: EventStatus::SoldOut,
                },
                r#"{"topic":"event:00000000-0000-0000-0000-000000000001","event":"event-status","data":{"eventId":"00000000-0000-0000-0000-000000000001","status":"sold_out"}}"#,
            ),
            (
                Live::EventCancelled {
                    event_id: id(1),
                    reason: None,
                    cancelled_at: "2026-05-28T05:26:40+09:00".into(),
                },
                r#"{"topic":"event:00000000-0000-0000-0000-000000000001","event":"event-cancelled","data":{"cancelledAt":"2026-05-28T05:26:40+09:00","eventId":"00000000-0000-0000-0000-000000000001","reason":null}}"#,
            ),
            (
                Live::ReservationResult {
                    user_id: id(9),
                    request_id: id(5),
                    decision: Decision::Rejected(Rejection::SeatUnavailable {
                        seat_ids: vec![id(2)],
                    }),
                },
                r#"{"topic":"user:00000000-0000-0000-0000-000000000009","event":"reservation-result","data":{"code":"SEAT_UNAVAILABLE","details":{"seatIds":["00000000-0000-0000-0000-000000000002"]},"outcome":"rejected","requestId":"00000000-0000-0000-0000-000000000005"}}"#,
            ),
            (
                Live::ReservationResult {
                    user_id: id(9),
                    request_id: id(5),
                    decision: Decision::Reserved {
                        reservation_id: id(6),
                    },
                },
                r#"{"topic":"user:00000000-0000-0000-0000-000000000009","event":"reservation-result","data":{"outcome":"reserved","requestId":"00000000-0000-0000-0000-000000000005","reservationId":"00000000-0000-0000-0000-000000000006"}}"#,
            ),
            (
                Live::QueuePosition {
                    user_id: id(9),
                    event_id: id(1),
                    ticket: 12,
                    ahead: 3,
                    eta_seconds: None,
                },
                r#"{"topic":"user:00000000-0000-0000-0000-000000000009","event":"queue-position","data":{"ahead":3,"etaSeconds":null,"eventId":"00000000-0000-0000-0000-000000000001","ticket":12}}"#,
            ),
            (
                Live::Admitted {
                    user_id: id(9),
                    event_id: id(1),
                    admission_token: "tok".into(),
                    expires_at: "2026-05-28T05:26:40+09:00".into(),
                },
                r#"{"topic":"user:00000000-0000-0000-0000-000000000009","event":"admitted","data":{"admissionToken":"tok","eventId":"00000000-0000-0000-0000-000000000001","expiresAt":"2026-05-28T05:26:40+09:00"}}"#,
            ),
            (
                Live::HoldExpiring {
                    user_id: id(9),
                    reservation_id: id(6),
                    expires_at: at,
                },
                r#"{"topic":"user:00000000-0000-0000-0000-000000000009","event":"hold-expiring","data":{"expiresAt":"2026-05-28T20:26:40+00:00","reservationId":"00000000-0000-0000-0000-000000000006"}}"#,
            ),
            (
                Live::HoldExpired {
                    user_id: id(9),
                    reservation_id: id(6),
                },
                r#"{"topic":"user:00000000-0000-0000-0000-000000000009","event":"hold-expired","data":{"reservationId":"00000000-0000-0000-0000-000000000006"}}"#,
            ),
            (
                Live::CheckinStats(LiveNumbers {
                    event_id: id(1),
                    sold: 4,
                    admitted: 1,
                    admitted_share: 0.25,
                    per_gate: vec![crate::checkin::stats::GateCount {
                        gate: "North".into(),
                        admitted: 1,
                        last_admitted_at: at,
                    }],
                }),
                r#"{"topic":"admin:00000000-0000-0000-0000-000000000001","event":"checkin-stats","data":{"admitted":1,"admittedShare":0.25,"eventId":"00000000-0000-0000-0000-000000000001","perGate":[{"admitted":1,"gate":"North","lastAdmittedAt":"2026-05-28T20:26:40Z"}],"sold":4}}"#,
            ),
        ];
        for (message, json) in cases {
            assert_eq!(message.to_json(), json, "{message:?}");
        }
    }
}
