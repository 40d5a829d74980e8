//! The `events` row as one record type, read by one column list. The public [`Event`], the
//! waiting room's [`Room`](crate::waiting_room::Room) and the organizer's editable fields
//! are views derived from it, so a new column is read in one place and every status or kind
//! arrives typed (an unknown value is a decode error).
//!
//! [`Event`]: super::Event

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{EventStatus, QueueStrategy, Seating};

/// Every column of `events`, as stored.
#[derive(Debug, Clone)]
pub struct EventRecord {
    pub id: Uuid,
    pub title: String,
    /// English title beside the Korean one; empty for none.
    pub title_en: String,
    pub description: String,
    pub venue: String,
    pub address: String,
    pub poster_url: Option<String>,
    /// An uploaded poster's renditions (see [`crate::media`]).
    pub poster_images: crate::media::PosterImages,
    pub artist: String,
    pub artist_en: String,
    pub category: String,
    /// IANA name; [`EventZone::from_db`](super::time::EventZone::from_db) reads it.
    pub timezone: String,
    pub starts_at: DateTime<Utc>,
    pub sale_start: DateTime<Utc>,
    pub sale_end: DateTime<Utc>,
    pub status: EventStatus,
    pub seating: Seating,
    pub layout_id: Option<Uuid>,
    pub seat_seq: i64,
    pub seats_total: i32,
    pub seats_available: i32,
    pub queue_enabled: bool,
    pub queue_strategy: QueueStrategy,
    pub queue_rate_per_minute: i32,
    pub queue_max_active: i32,
    pub queue_window_seconds: i32,
    pub prequeue_minutes: i32,
    pub prequeue_shuffle: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub max_tickets_per_fan: Option<i32>,
    pub pow_difficulty: Option<i32>,
}

/// `query!` selecting every column of [`EventRecord`] of `events e`, then the `extra`
/// columns (a literal starting with `,`, or `""`), the `from` clause (`FROM events e ...`)
/// and the `rest` of the statement, with its binds. Turn a row into the record with
/// [`event_record!`]. Macros because the query macros take literals only.
macro_rules! select_events {
    ($extra:tt, $from:tt, $rest:tt $(, $arg:expr)* $(,)?) => {
        sqlx::query!(
            r#"SELECT e.id, e.title, e.title_en, e.description, e.venue, e.address, e.poster_url,
                e.poster_images AS "poster_images: crate::media::PosterImages",
                e.artist, e.artist_en, e.category, e.timezone, e.starts_at, e.sale_start, e.sale_end,
                e.status AS "status: crate::event::EventStatus",
                e.seating AS "seating: crate::event::Seating", e.layout_id, e.seat_seq,
                e.seats_total, e.seats_available, e.queue_enabled,
                e.queue_strategy AS "queue_strategy: crate::event::QueueStrategy",
                e.queue_rate_per_minute, e.queue_max_active, e.queue_window_seconds,
                e.prequeue_minutes, e.prequeue_shuffle, e.created_at, e.updated_at,
                e.cancelled_at, e.cancel_reason, e.max_tickets_per_fan, e.pow_difficulty"#
                + $extra + " " + $from + " " + $rest
            $(, $arg)*
        )
    };
}
pub(crate) use select_events;

/// The [`EventRecord`] of a row read by [`select_events!`]; moves the record's fields out
/// of `row`, leaving the extra columns to read after.
macro_rules! event_record {
    ($row:ident) => {
        crate::event::EventRecord {
            id: $row.id,
            title: $row.title,
            title_en: $row.title_en,
            description: $row.description,
            venue: $row.venue,
            address: $row.address,
            poster_url: $row.poster_url,
            poster_images: $row.poster_images,
            artist: $row.artist,
            artist_en: $row.artist_en,
            category: $row.category,
            timezone: $row.timezone,
            starts_at: $row.starts_at,
            sale_start: $row.sale_start,
            sale_end: $row.sale_end,
            status: $row.status,
            seating: $row.seating,
            layout_id: $row.layout_id,
            seat_seq: $row.seat_seq,
            seats_total: $row.seats_total,
            seats_available: $row.seats_available,
            queue_enabled: $row.queue_enabled,
            queue_strategy: $row.queue_strategy,
            queue_rate_per_minute: $row.queue_rate_per_minute,
            queue_max_active: $row.queue_max_active,
            queue_window_seconds: $row.queue_window_seconds,
            prequeue_minutes: $row.prequeue_minutes,
            prequeue_shuffle: $row.prequeue_shuffle,
            created_at: $row.created_at,
            updated_at: $row.updated_at,
            cancelled_at: $row.cancelled_at,
            cancel_reason: $row.cancel_reason,
            max_tickets_per_fan: $row.max_tickets_per_fan,
            pow_difficulty: $row.pow_difficulty,
        }
    };
}
pub(crate) use event_record;

impl EventRecord {
    /// Whether the event sells now by `now` (the database clock): on sale and inside its
    /// sale window.
    pub fn open_at(&self, now: DateTime<Utc>) -> bool {
        self.status == EventStatus::OnSale && self.in_sale_window(now)
    }

    /// As [`open_at`](Self::open_at), or sold out (held seats may come back): reserve
    /// requests are decided.
    pub fn selling_at(&self, now: DateTime<Utc>) -> bool {
        matches!(self.status, EventStatus::OnSale | EventStatus::SoldOut)
            && self.in_sale_window(now)
    }

    fn in_sale_window(&self, now: DateTime<Utc>) -> bool {
        now >= self.sale_start && now < self.sale_end
    }
}
