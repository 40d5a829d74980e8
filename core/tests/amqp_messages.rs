//! The api↔worker contract on RabbitMQ, pinned by golden files (`tests/golden/amqp/`):
//! each message is written exactly as its golden file and read back from it, other
//! versions are refused, and the reservation a reply carries is its own type, so the HTTP
//! view can rename a field without touching the queue. A change that fails here changes
//! the wire format: bump `wire::VERSION` (and keep reading the old one while old messages
//! may be queued), then rewrite the files with `BLESS=1`.

use chrono::{DateTime, Utc};
use tiketi_core::reservation::{
    commands::{Decision, Order, Rejection, Reply, ReserveCommand, TicketLine},
    wire::{self, WireError},
    Reservation, ReservationEvent, ReservationItem, ReservationStatus,
};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

fn golden_path(name: &str) -> String {
    format!(
        "{}/tests/golden/amqp/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn golden(name: &str) -> String {
    let path = golden_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `message` is written as the golden file says and read back from it unchanged.
fn pinned<T>(name: &str, message: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let written: serde_json::Value =
        serde_json::from_slice(&wire::encode(message).unwrap()).unwrap();
    // `BLESS=1` rewrites the golden files after a deliberate change of the format.
    if std::env::var_os("BLESS").is_some() {
        let pretty = serde_json::to_string_pretty(&written).unwrap() + "\n";
        std::fs::write(golden_path(name), pretty).unwrap();
    }
    let text = golden(name);
    let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        written,
        expected,
        "{name}: the wire format changed; written:\n{}",
        serde_json::to_string_pretty(&written).unwrap()
    );
    assert_eq!(
        &wire::decode::<T>(text.as_bytes()).unwrap(),
        message,
        "{name}"
    );
}

fn command(order: Order) -> ReserveCommand {
    ReserveCommand {
        request_id: id(1),
        user_id: id(2),
        event_id: id(3),
        order,
        requested_at: at(1_780_000_000),
        hold_until: Some(at(1_780_000_600)),
        deadline: Some(at(1_780_000_005)),
    }
}

/// The HTTP view of a new hold, as the worker reads it in its deciding transaction.
fn view() -> Reservation {
    Reservation {
        id: id(10),
        code: "TK-ABCD-EFGH-JKMN".into(),
        event: ReservationEvent {
            id: id(3),
            title: "Concert".into(),
            venue: "Hall".into(),
            starts_at: "2026-06-01T19:00:00+09:00".into(),
            timezone: "Asia/Seoul".into(),
        },
        status: ReservationStatus::Pending,
        total_amount: 110_000,
        expires_at: "2026-05-28T05:31:40+09:00".into(),
        created_at: "2026-05-28T05:26:40+09:00".into(),
        confirmed_at: None,
        cancelled_at: None,
        expired_at: None,
        items: vec![ReservationItem {
            seat_id: Some(id(4)),
            section: Some("A".into()),
            row_label: Some("1".into()),
            number: Some(7),
            ticket_type_id: None,
            ticket_type_name: None,
            quantity: 1,
            unit_price: 110_000,
        }],
        payment: None,
    }
}

#[test]
fn reserve_commands_match_their_golden_files() {
    pinned(
        "reserve_seats",
        &command(Order::Seats {
            seat_ids: vec![id(4), id(5)],
        }),
    );
    let mut tickets = command(Order::Tickets {
        items: vec![TicketLine {
            ticket_type_id: id(6),
            quantity: 2,
        }],
    });
    tickets.hold_until = None;
    tickets.deadline = None;
    pinned("reserve_tickets", &tickets);
}

#[test]
fn replies_match_their_golden_files() {
    pinned(
        "reply_reserved",
        &Reply {
            request_id: id(1),
            decision: Decision::Reserved {
                reservation_id: id(10),
            },
            reservation: Some(Box::new(view().into())),
        },
    );
    pinned(
        "reply_rejected",
        &Reply {
            request_id: id(1),
            decision: Decision::Rejected(Rejection::SeatUnavailable {
                seat_ids: vec![id(4)],
            }),
            reservation: None,
        },
    );
}

#[test]
fn the_reply_carries_its_own_reservation_type_not_the_http_view() {
    // The HTTP view calls the row `row`; the queue calls it `rowLabel`: two types, two
    // contracts, and the view survives the trip unchanged.
    let http = serde_json::to_value(view()).unwrap();
    assert_eq!(http["items"][0]["row"], "1");
    let reply: Reply = wire::decode(golden("reply_reserved").as_bytes()).unwrap();
    let carried = serde_json::to_value(reply.reservation.as_deref().unwrap()).unwrap();
    assert_eq!(carried["items"][0]["rowLabel"], "1");
    assert!(carried["items"][0].get("row").is_none());
    assert_eq!(Reservation::from(*reply.reservation.unwrap()), view());
}

#[test]
fn other_versions_and_unversioned_messages_are_refused() {
    let current = golden("reserve_seats");
    let mut other: serde_json::Value = serde_json::from_str(&current).unwrap();
    other["v"] = 2.into();
    let err = wire::decode::<ReserveCommand>(other.to_string().as_bytes()).unwrap_err();
    assert!(matches!(err, WireError::UnsupportedVersion(2)), "{err}");
    assert!(
        err.to_string().contains("version 2 is not supported"),
        "{err}"
    );

    other.as_object_mut().unwrap().remove("v");
    let err = wire::decode::<ReserveCommand>(other.to_string().as_bytes()).unwrap_err();
    assert!(matches!(err, WireError::NoVersion), "{err}");

    let err = wire::decode::<ReserveCommand>(b"not json").unwrap_err();
    assert!(matches!(err, WireError::Malformed(_)), "{err}");
}
