//! The reservation command pipeline's contract: the AMQP topology (one exchange, a durable
//! quorum queue per partition with a single active consumer, a quorum dead-letter queue for
//! poison messages, all replicated across a RabbitMQ cluster) and the messages that travel on it.

use chrono::{DateTime, Utc};
use lapin::{
    options::{ExchangeDeclareOptions, QueueBindOptions, QueueDeclareOptions, QueueDeleteOptions},
    types::{AMQPValue, FieldTable},
    Channel, ExchangeKind,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A redelivered message is retried this many times before it is dead-lettered.
pub const DELIVERY_LIMIT: i32 = 5;

#[derive(Debug, Clone)]
pub struct Topology {
    prefix: String,
    partitions: u16,
    quorum_group_size: Option<u16>,
}

impl Topology {
    pub fn new(prefix: impl Into<String>, partitions: u16) -> Self {
        Self {
            prefix: prefix.into(),
            partitions: partitions.max(1),
            quorum_group_size: None,
        }
    }

    /// Replicas of each partition queue (`AMQP_QUORUM_GROUP_SIZE`); `None` leaves the
    /// number to the broker. RabbitMQ compares it when a queue is declared again, so
    /// changing it for existing queues means deleting them first.
    pub fn with_quorum_group_size(mut self, size: Option<u16>) -> Self {
        self.quorum_group_size = size;
        self
    }

    pub fn partitions(&self) -> u16 {
        self.partitions
    }

    pub fn exchange(&self) -> String {
        format!("{}.commands", self.prefix)
    }

    pub fn dead_letter_exchange(&self) -> String {
        format!("{}.dead-letter", self.prefix)
    }

    /// A quorum queue, so that losing a cluster node loses neither the poison messages nor
    /// every later declaration (a classic queue whose node is down makes each redeclare
    /// fail with NOT_FOUND). Named apart from the classic `<prefix>.dead` of earlier
    /// versions, which RabbitMQ would refuse to redeclare with another queue type.
    pub fn dead_letter_queue(&self) -> String {
        format!("{}.dead-letters", self.prefix)
    }

    /// Arguments every quorum queue of the topology shares.
    fn quorum_args(&self) -> FieldTable {
        let mut args = FieldTable::default();
        args.insert(
            "x-queue-type".into(),
            AMQPValue::LongString("quorum".into()),
        );
        if let Some(size) = self.quorum_group_size {
            args.insert(
                "x-quorum-initial-group-size".into(),
                AMQPValue::LongInt(size.into()),
            );
        }
        args
    }

    pub fn queue(&self, partition: u16) -> String {
        format!("{}.reserve.{partition}", self.prefix)
    }

    pub fn routing_key(&self, partition: u16) -> String {
        format!("reserve.{partition}")
    }

    /// A stable partition for an event, the same in every process: all commands of one
    /// event go through one queue, so they are decided in arrival order.
    pub fn partition_of(&self, event_id: Uuid) -> u16 {
        let v = event_id.as_u128();
        let mixed = (v as u64) ^ ((v >> 64) as u64);
        (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u16 % self.partitions
    }

    /// Declares everything; idempotent, so every process calls it at start-up.
    pub async fn declare(&self, channel: &Channel) -> lapin::Result<()> {
        let durable = ExchangeDeclareOptions {
            durable: true,
            ..Default::default()
        };
        channel
            .exchange_declare(
                &self.exchange(),
                ExchangeKind::Direct,
                durable,
                FieldTable::default(),
            )
            .await?;
        channel
            .exchange_declare(
                &self.dead_letter_exchange(),
                ExchangeKind::Fanout,
                durable,
                FieldTable::default(),
            )
            .await?;
        let queue = QueueDeclareOptions {
            durable: true,
            ..Default::default()
        };
        channel
            .queue_declare(&self.dead_letter_queue(), queue, self.quorum_args())
            .await?;
        channel
            .queue_bind(
                &self.dead_letter_queue(),
                &self.dead_letter_exchange(),
                "",
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
        for p in 0..self.partitions {
            let mut args = self.quorum_args();
            args.insert("x-single-active-consumer".into(), AMQPValue::Boolean(true));
            args.insert(
                "x-delivery-limit".into(),
                AMQPValue::LongInt(DELIVERY_LIMIT),
            );
            args.insert(
                "x-dead-letter-exchange".into(),
                AMQPValue::LongString(self.dead_letter_exchange().into()),
            );
            channel.queue_declare(&self.queue(p), queue, args).await?;
            channel
                .queue_bind(
                    &self.queue(p),
                    &self.exchange(),
                    &self.routing_key(p),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        Ok(())
    }

    /// Removes every queue and exchange (tests clean up after themselves).
    pub async fn delete(&self, channel: &Channel) -> lapin::Result<()> {
        for p in 0..self.partitions {
            channel
                .queue_delete(&self.queue(p), QueueDeleteOptions::default())
                .await?;
        }
        channel
            .queue_delete(&self.dead_letter_queue(), QueueDeleteOptions::default())
            .await?;
        channel
            .exchange_delete(&self.exchange(), Default::default())
            .await?;
        channel
            .exchange_delete(&self.dead_letter_exchange(), Default::default())
            .await?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TicketLine {
    pub ticket_type_id: Uuid,
    pub quantity: i32,
}

/// What a fan asked for: seats on a seat map, or general-admission tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Order {
    Seats { seat_ids: Vec<Uuid> },
    Tickets { items: Vec<TicketLine> },
}

/// The command the api publishes and a worker decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReserveCommand {
    pub request_id: Uuid,
    pub user_id: Uuid,
    pub event_id: Uuid,
    pub order: Order,
    pub requested_at: DateTime<Utc>,
    /// The end of the fan's waiting-room admission: a hold made under it ends no later,
    /// so nobody keeps seats they can no longer pay for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_until: Option<DateTime<Utc>>,
    /// After this the requester has stopped waiting: the worker refuses the command
    /// rather than turn it into a hold nobody expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DateTime<Utc>>,
}

impl Order {
    /// What was asked for, independent of the order the client listed it in: the same
    /// Idempotency-Key must come with the same request.
    pub fn fingerprint(&self, event_id: Uuid) -> String {
        use sha2::{Digest, Sha256};
        let mut parts: Vec<String> = match self {
            Order::Seats { seat_ids } => seat_ids.iter().map(|s| format!("s{s}")).collect(),
            Order::Tickets { items } => items
                .iter()
                .map(|i| format!("t{}x{}", i.ticket_type_id, i.quantity))
                .collect(),
        };
        parts.sort();
        let body = format!("{event_id}|{}", parts.join(","));
        hex::encode(Sha256::digest(body.as_bytes()))
    }

    /// Seats or tickets this order adds to the fan's total for the event.
    pub fn quantity(&self) -> i64 {
        match self {
            Order::Seats { seat_ids } => seat_ids.len() as i64,
            Order::Tickets { items } => items.iter().map(|i| i64::from(i.quantity)).sum(),
        }
    }
}

impl ReserveCommand {
    /// The request id of a retry-safe request: one fan, one event, one key. Scoping it by
    /// event keeps two events (two partitions) from ever sharing a request id.
    pub fn request_id_for(user_id: Uuid, event_id: Uuid, idempotency_key: &str) -> Uuid {
        Uuid::new_v5(&user_id, format!("{event_id}:{idempotency_key}").as_bytes())
    }
}

/// Why a request was turned down. The codes are the API's error codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rejection {
    /// Some of the seats are held or sold.
    SeatUnavailable {
        #[serde(rename = "seatIds")]
        seat_ids: Vec<Uuid>,
    },
    /// Not enough tickets left of these types.
    SoldOut {
        #[serde(rename = "ticketTypeIds")]
        ticket_type_ids: Vec<Uuid>,
    },
    /// The fan already holds a pending reservation for this event.
    AlreadyHolding {
        #[serde(rename = "reservationId")]
        reservation_id: Uuid,
    },
    EventNotOnSale,
    /// Seats or ticket types that are not this event's.
    InvalidOrder,
    /// The order would take the fan past the event's per-fan cap.
    PurchaseLimitReached {
        limit: i32,
        owned: i64,
    },
    /// The command waited in the queue past its deadline; the fan was told to try again.
    RequestExpired,
    /// The waiting-room admission it was made under has ended.
    AdmissionEnded,
    /// The command could never be decided (it breaks a database rule); set aside.
    RequestNotProcessable,
}

impl Rejection {
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::SeatUnavailable { .. } => "SEAT_UNAVAILABLE",
            Rejection::SoldOut { .. } => "SOLD_OUT",
            Rejection::AlreadyHolding { .. } => "ALREADY_HOLDING",
            Rejection::EventNotOnSale => "EVENT_NOT_ON_SALE",
            Rejection::InvalidOrder => "INVALID_ORDER",
            Rejection::PurchaseLimitReached { .. } => "PURCHASE_LIMIT_REACHED",
            Rejection::RequestExpired => "REQUEST_EXPIRED",
            Rejection::AdmissionEnded => "ADMISSION_ENDED",
            Rejection::RequestNotProcessable => "REQUEST_NOT_PROCESSABLE",
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            Rejection::SeatUnavailable { .. } => "some of the seats are no longer available",
            Rejection::SoldOut { .. } => "not enough tickets are left",
            Rejection::AlreadyHolding { .. } => {
                "you already hold seats for this event; pay or cancel that reservation first"
            }
            Rejection::EventNotOnSale => "this event is not on sale",
            Rejection::InvalidOrder => {
                "the order names seats or ticket types that are not this event's"
            }
            Rejection::PurchaseLimitReached { .. } => {
                "this order would take you past the event's limit of tickets per fan"
            }
            Rejection::RequestExpired => {
                "the request waited too long in line and was not processed; please try again"
            }
            Rejection::AdmissionEnded => {
                "your waiting-room admission ended before the request was processed"
            }
            Rejection::RequestNotProcessable => "this request cannot be processed",
        }
    }

    /// The `details` object of the API error.
    pub fn details(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.remove("code");
        }
        v
    }
}

/// How a request ended; the reply a worker sends and what `GET /api/seats/requests/:id`
/// reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Decision {
    Reserved {
        #[serde(rename = "reservationId")]
        reservation_id: Uuid,
    },
    Rejected(Rejection),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub request_id: Uuid,
    pub decision: Decision,
    /// The new reservation as its fan sees it, when the worker had it at hand; the api
    /// then answers without reading it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<Box<crate::reservation::Reservation>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_stable_and_spread() {
        let t = Topology::new("t", 8);
        let id = Uuid::parse_str("5eed0000-0000-4000-8000-000000000003").unwrap();
        assert_eq!(t.partition_of(id), t.partition_of(id));
        let mut used = std::collections::HashSet::new();
        for _ in 0..200 {
            used.insert(t.partition_of(Uuid::new_v4()));
        }
        assert_eq!(used.len(), 8);
        let seeded: std::collections::HashSet<_> = (1..=25u128)
            .map(|n| t.partition_of(crate::seed::event_id(n)))
            .collect();
        assert!(
            seeded.len() >= 5,
            "seed events spread over partitions: {seeded:?}"
        );
    }

    #[test]
    fn messages_round_trip_and_rejections_carry_details() {
        let cmd = ReserveCommand {
            request_id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            event_id: Uuid::new_v4(),
            order: Order::Seats {
                seat_ids: vec![Uuid::nil()],
            },
            requested_at: Utc::now(),
            hold_until: None,
            deadline: Some(Utc::now()),
        };
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<ReserveCommand>(&json).unwrap(), cmd);
        let r = Rejection::SeatUnavailable {
            seat_ids: vec![Uuid::nil()],
        };
        assert_eq!(r.code(), "SEAT_UNAVAILABLE");
        assert_eq!(r.details(), serde_json::json!({"seatIds": [Uuid::nil()]}));
        let d = Decision::Rejected(Rejection::EventNotOnSale);
        let back: Decision = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }
}
