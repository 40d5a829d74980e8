//! Events: their status machine, their public shape (times in the event's own zone), the
//! list and detail reads, and creation with seats or ticket types in one transaction.

mod record;
pub mod time;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::event::time::EventZone;
pub use record::EventRecord;
pub(crate) use record::{event_record, select_events};

/// `events.status` (a CHECK list in SQL); an unknown value read back is a decode error.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum EventStatus {
    Upcoming,
    OnSale,
    SoldOut,
    Ended,
    Cancelled,
}

impl EventStatus {
    pub const ALL: [EventStatus; 5] = [
        EventStatus::Upcoming,
        EventStatus::OnSale,
        EventStatus::SoldOut,
        EventStatus::Ended,
        EventStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Upcoming => "upcoming",
            EventStatus::OnSale => "on_sale",
            EventStatus::SoldOut => "sold_out",
            EventStatus::Ended => "ended",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// `events.seating`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum Seating {
    /// A seat map: fans pick seats.
    Reserved,
    /// Ticket types with quantities, no seat map.
    General,
}

impl Seating {
    pub fn as_str(self) -> &'static str {
        match self {
            Seating::Reserved => "reserved",
            Seating::General => "general",
        }
    }
}

/// `events.queue_strategy`: how the waiting room admits fans.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema, sqlx::Type,
)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "text", rename_all = "snake_case")]
pub enum QueueStrategy {
    /// N fans per minute.
    #[default]
    Rate,
    /// At most N shoppers inside at once.
    MaxActive,
}

impl QueueStrategy {
    pub fn as_str(self) -> &'static str {
        match self {
            QueueStrategy::Rate => "rate",
            QueueStrategy::MaxActive => "max_active",
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueSettings {
    pub enabled: bool,
    /// `rate` (N fans per minute) or `max_active` (at most N shoppers inside).
    pub strategy: QueueStrategy,
    pub rate_per_minute: i32,
    pub max_active: i32,
    pub window_seconds: i32,
    pub prequeue_minutes: i32,
    pub shuffle: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub total: i64,
    pub available: i64,
}

/// An event as every public endpoint shows it. Instants carry the offset of `timezone`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: Uuid,
    /// The title in Korean (or as the organizer wrote it).
    pub title: String,
    /// The English title; empty when there is none (show `title` then).
    pub title_en: String,
    pub description: String,
    pub artist: String,
    /// The English artist name; empty when there is none.
    pub artist_en: String,
    pub category: String,
    pub venue: String,
    pub address: String,
    pub poster_url: Option<String>,
    /// An uploaded poster's renditions, narrowest first, for `srcset` (`posterUrl` is the
    /// widest); empty when the poster is a pasted URL or there is none.
    pub poster_images: Vec<crate::media::PosterImage>,
    /// IANA zone the event's wall-clock times belong to.
    pub timezone: String,
    #[schema(example = "2025-10-31T19:00:00+09:00")]
    pub starts_at: String,
    pub sale_start: String,
    pub sale_end: String,
    pub status: EventStatus,
    pub seating: Seating,
    pub layout_id: Option<Uuid>,
    pub layout_name: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub availability: Availability,
    pub queue: QueueSettings,
    /// Seats and tickets one fan may hold or own for this event at once, across all of
    /// their reservations; `null` for no cap beyond the per-order maximum.
    pub max_tickets_per_fan: Option<i32>,
    /// Proof-of-work difficulty (ALTCHA `maxnumber`) asked before joining the waiting
    /// room; `null` when none is asked.
    pub pow_difficulty: Option<i32>,
    pub created_at: String,
    pub updated_at: String,
}

/// What the public view adds to the record: the layout's name, availability and prices.
struct Figures {
    layout_name: Option<String>,
    total: i64,
    available: i64,
    min_price: Option<i64>,
    max_price: Option<i64>,
}

/// [`select_events!`] with the columns of [`Figures`] and the `rest` of the statement:
/// availability and prices come from the seat counters the triggers keep, or from ticket
/// types for general admission. Build the view with [`Event::view`].
macro_rules! select_event_views {
    ($rest:tt $(, $arg:expr)* $(,)?) => {
        select_events!(
            r#", l.name AS "layout_name?",
           CASE WHEN e.seating = 'reserved' THEN e.seats_total::bigint ELSE COALESCE(tt.total, 0) END AS "total!",
           CASE WHEN e.seating = 'reserved' THEN e.seats_available::bigint ELSE COALESCE(tt.remaining, 0) END AS "available!",
           COALESCE(tt.min_price, lp.min_price) AS min_price,
           COALESCE(tt.max_price, lp.max_price) AS max_price"#,
            "FROM events e
    LEFT JOIN seat_layouts l ON l.id = e.layout_id
    LEFT JOIN LATERAL (
        SELECT SUM(total_quantity)::bigint AS total, SUM(remaining)::bigint AS remaining,
               MIN(price) AS min_price, MAX(price) AS max_price
        FROM ticket_types WHERE event_id = e.id
    ) tt ON e.seating = 'general'
    LEFT JOIN LATERAL (
        SELECT MIN(price) AS min_price, MAX(price) AS max_price
        FROM event_grade_prices WHERE event_id = e.id
    ) lp ON e.seating = 'reserved'",
            $rest
            $(, $arg)*
        )
        .map(|row| {
            let figures = Figures {
                layout_name: row.layout_name,
                total: row.total,
                available: row.available,
                min_price: row.min_price,
                max_price: row.max_price,
            };
            Event::view(event_record!(row), figures)
        })
    };
}

impl Event {
    /// The public view of a record.
    fn view(r: EventRecord, figures: Figures) -> Self {
        let zone = EventZone::from_db(&r.timezone);
        Event {
            id: r.id,
            title: r.title,
            title_en: r.title_en,
            description: r.description,
            artist: r.artist,
            artist_en: r.artist_en,
            category: r.category,
            venue: r.venue,
            address: r.address,
            poster_url: r.poster_url,
            poster_images: r.poster_images.0,
            timezone: zone.name().to_string(),
            starts_at: zone.format(r.starts_at),
            sale_start: zone.format(r.sale_start),
            sale_end: zone.format(r.sale_end),
            status: r.status,
            seating: r.seating,
            layout_id: r.layout_id,
            layout_name: figures.layout_name,
            min_price: figures.min_price,
            max_price: figures.max_price,
            availability: Availability {
                total: figures.total,
                available: figures.available,
            },
            queue: QueueSettings {
                enabled: r.queue_enabled,
                strategy: r.queue_strategy,
                rate_per_minute: r.queue_rate_per_minute,
                max_active: r.queue_max_active,
                window_seconds: r.queue_window_seconds,
                prequeue_minutes: r.prequeue_minutes,
                shuffle: r.prequeue_shuffle,
            },
            max_tickets_per_fan: r.max_tickets_per_fan,
            pow_difficulty: r.pow_difficulty,
            created_at: zone.format(r.created_at),
            updated_at: zone.format(r.updated_at),
        }
    }
}

/// A normalized list query; its `cache_key` is the same for equivalent requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub status: Option<EventStatus>,
    pub q: Option<String>,
    pub page: u32,
    pub limit: u32,
}

impl ListQuery {
    pub const MAX_LIMIT: u32 = 100;

    pub fn cache_key(&self) -> String {
        format!(
            "s={}&q={}&p={}&l={}",
            self.status.map(|s| s.as_str()).unwrap_or(""),
            self.q.as_deref().unwrap_or("").to_lowercase(),
            self.page,
            self.limit
        )
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: u32,
    pub limit: u32,
    pub total: i64,
    pub total_pages: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventList {
    pub events: Vec<Event>,
    pub pagination: Pagination,
}

pub(crate) fn like_pattern(q: &str) -> String {
    let escaped = q
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// On-sale events first, then upcoming, then the rest; soonest first within each.
/// With a search text (`q`), by relevance instead ([`crate::search`]).
pub async fn list(pool: &PgPool, query: &ListQuery) -> Result<EventList, sqlx::Error> {
    if let Some(q) = &query.q {
        return crate::search::list(pool, query, q).await;
    }
    let total = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!" FROM events e WHERE ($1::text IS NULL OR e.status = $1)"#,
        query.status as Option<EventStatus>,
    )
    .fetch_one(pool)
    .await?;
    let events = select_event_views!(
        "WHERE ($1::text IS NULL OR e.status = $1)
         ORDER BY CASE e.status WHEN 'on_sale' THEN 0 WHEN 'upcoming' THEN 1 WHEN 'sold_out' THEN 2
                  WHEN 'ended' THEN 3 ELSE 4 END,
                  CASE WHEN e.status IN ('ended', 'cancelled') THEN -extract(epoch FROM e.starts_at)
                       ELSE extract(epoch FROM e.starts_at) END,
                  e.id
         LIMIT $2 OFFSET $3",
        query.status as Option<EventStatus>,
        i64::from(query.limit),
        i64::from(query.page - 1) * i64::from(query.limit),
    )
    .fetch_all(pool)
    .await?;
    let limit = i64::from(query.limit);
    Ok(EventList {
        events,
        pagination: Pagination {
            page: query.page,
            limit: query.limit,
            total,
            total_pages: (total + limit - 1) / limit,
        },
    })
}

/// The events of `ids`, in that order (ids that name nothing are left out).
pub(crate) async fn find_many(pool: &PgPool, ids: &[Uuid]) -> Result<Vec<Event>, sqlx::Error> {
    let events = select_event_views!("WHERE e.id = ANY($1)", ids)
        .fetch_all(pool)
        .await?;
    let mut by_id: std::collections::HashMap<Uuid, Event> =
        events.into_iter().map(|e| (e.id, e)).collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

pub async fn find(
    executor: impl sqlx::PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<Event>, sqlx::Error> {
    select_event_views!("WHERE e.id = $1", id)
        .fetch_optional(executor)
        .await
}

/// A price tier: a ticket type (general admission) or a layout section (reserved seating).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TicketType {
    /// Set for general-admission ticket types, which are ordered by id.
    pub id: Option<Uuid>,
    pub name: String,
    pub price: i64,
    pub total: i64,
    pub remaining: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatCounts {
    pub total: i64,
    pub available: i64,
    pub held: i64,
    pub sold: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventDetail {
    pub event: Event,
    pub ticket_types: Vec<TicketType>,
    pub availability: SeatCounts,
}

struct TierRow {
    id: Option<Uuid>,
    name: String,
    price: i64,
    total: i64,
    remaining: i64,
    held: i64,
    sold: i64,
}

pub async fn detail(pool: &PgPool, id: Uuid) -> Result<Option<EventDetail>, sqlx::Error> {
    let Some(event) = find(pool, id).await? else {
        return Ok(None);
    };
    let tiers = match event.seating {
        Seating::General => {
            sqlx::query_as!(
                TierRow,
                r#"SELECT t.id AS "id?", t.name, t.price, t.total_quantity::bigint AS "total!",
                        t.remaining::bigint AS "remaining!",
                        COALESCE(SUM(i.quantity) FILTER (WHERE r.status = 'pending'), 0)::bigint AS "held!",
                        COALESCE(SUM(i.quantity) FILTER (WHERE r.status = 'confirmed'), 0)::bigint AS "sold!"
                 FROM ticket_types t
                 LEFT JOIN reservation_items i ON i.ticket_type_id = t.id AND i.live
                 LEFT JOIN reservations r ON r.id = i.reservation_id
                 WHERE t.event_id = $1
                 GROUP BY t.id ORDER BY t.sort_order, t.price DESC"#,
                id
            )
            .fetch_all(pool)
            .await?
        }
        Seating::Reserved => {
            sqlx::query_as!(
                TierRow,
                r#"SELECT NULL::uuid AS "id?", section AS "name!", MIN(price) AS "price!",
                        COUNT(*) AS "total!",
                        COUNT(*) FILTER (WHERE status = 'available') AS "remaining!",
                        COUNT(*) FILTER (WHERE status = 'held') AS "held!",
                        COUNT(*) FILTER (WHERE status = 'sold') AS "sold!"
                 FROM seats WHERE event_id = $1
                 GROUP BY section, section_index ORDER BY section_index"#,
                id
            )
            .fetch_all(pool)
            .await?
        }
    };
    let availability = SeatCounts {
        total: tiers.iter().map(|t| t.total).sum(),
        available: tiers.iter().map(|t| t.remaining).sum(),
        held: tiers.iter().map(|t| t.held).sum(),
        sold: tiers.iter().map(|t| t.sold).sum(),
    };
    Ok(Some(EventDetail {
        event,
        ticket_types: tiers
            .into_iter()
            .map(|t| TicketType {
                id: t.id,
                name: t.name,
                price: t.price,
                total: t.total,
                remaining: t.remaining,
            })
            .collect(),
        availability,
    }))
}

/// A general-admission ticket type to create with an event (`quantity` is the plan's
/// `totalQuantity`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTicketType {
    pub name: String,
    pub price: i64,
    #[serde(alias = "totalQuantity")]
    pub quantity: i32,
}

/// An event whose fields have passed validation; times are instants.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub artist: String,
    pub category: String,
    pub venue: String,
    pub address: String,
    pub poster_url: Option<String>,
    pub zone: EventZone,
    pub starts_at: DateTime<Utc>,
    pub sale_start: DateTime<Utc>,
    pub sale_end: DateTime<Utc>,
    pub status: EventStatus,
    pub seating: NewSeating,
    pub queue_enabled: bool,
}

#[derive(Debug, Clone)]
pub enum NewSeating {
    Layout(Uuid),
    TicketTypes(Vec<NewTicketType>),
}

/// Creates the event with its seats (generated from the layout) or ticket types, inside
/// the caller's transaction. With a fixed `id` that exists already, changes nothing and
/// returns `false`.
pub async fn create(conn: &mut PgConnection, new: &NewEvent) -> Result<(Uuid, bool), sqlx::Error> {
    let (seating, layout_id) = match &new.seating {
        NewSeating::Layout(id) => (Seating::Reserved, Some(*id)),
        NewSeating::TicketTypes(_) => (Seating::General, None),
    };
    let inserted = sqlx::query_scalar!(
        "INSERT INTO events (id, title, description, artist, category, venue, address, poster_url,
                             timezone, starts_at, sale_start, sale_end, status, seating, layout_id,
                             queue_enabled, cancelled_at)
         VALUES (COALESCE($1, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                 $13, $14, $15, $16, CASE WHEN $13 = 'cancelled' THEN now() END)
         ON CONFLICT (id) DO NOTHING
         RETURNING id",
        new.id,
        new.title,
        new.description,
        new.artist,
        new.category,
        new.venue,
        new.address,
        new.poster_url,
        new.zone.name(),
        new.starts_at,
        new.sale_start,
        new.sale_end,
        new.status as EventStatus,
        seating as Seating,
        layout_id,
        new.queue_enabled,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = inserted else {
        return Ok((new.id.unwrap_or_default(), false));
    };
    match &new.seating {
        NewSeating::Layout(layout_id) => {
            crate::layout::generate_seats(&mut *conn, id, *layout_id).await?;
            // The layout's prices become the event's grade prices, which the organizer
            // may change per event (`admin::grade_prices`).
            sqlx::query!(
                "INSERT INTO event_grade_prices (event_id, grade, price)
                 SELECT event_id, section, MIN(price) FROM seats WHERE event_id = $1
                 GROUP BY event_id, section
                 ON CONFLICT (event_id, grade) DO NOTHING",
                id,
            )
            .execute(&mut *conn)
            .await?;
        }
        NewSeating::TicketTypes(types) => {
            for (i, t) in types.iter().enumerate() {
                sqlx::query!(
                    "INSERT INTO ticket_types (event_id, name, price, total_quantity, remaining, sort_order)
                     VALUES ($1, $2, $3, $4, $4, $5)",
                    id,
                    t.name,
                    t.price,
                    t.quantity,
                    i as i32,
                )
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    Ok((id, true))
}

/// Moves events along their status machine by the database clock: upcoming → on_sale at
/// `sale_start`, on_sale ⇄ sold_out with availability, → ended at `sale_end`. Cancelled
/// and ended events never move. Returns (event, new status) for each change.
pub async fn advance_statuses(pool: &PgPool) -> Result<Vec<(Uuid, EventStatus)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"
        WITH current AS (
            SELECT e.id, e.status,
                   CASE WHEN e.seating = 'reserved' THEN e.seats_available::bigint
                        ELSE COALESCE((SELECT SUM(remaining) FROM ticket_types t WHERE t.event_id = e.id), 0) END AS available,
                   now() >= e.sale_end AS closed,
                   now() >= e.sale_start AS opened
            FROM events e
            WHERE e.status IN ('upcoming', 'on_sale', 'sold_out')
        ),
        target AS (
            SELECT id, status,
                   CASE WHEN closed THEN 'ended'
                        WHEN status = 'upcoming' AND NOT opened THEN 'upcoming'
                        WHEN available <= 0 THEN 'sold_out'
                        ELSE 'on_sale' END AS next
            FROM current
        ),
        locked AS (
            SELECT e.id FROM events e JOIN target t ON t.id = e.id
            WHERE t.next <> t.status ORDER BY e.id FOR NO KEY UPDATE OF e
        )
        UPDATE events e SET status = t.next, updated_at = now()
        FROM target t
        WHERE e.id = t.id AND e.id IN (SELECT id FROM locked) AND e.status = t.status
        RETURNING e.id, e.status AS "status: EventStatus"
        "#,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.status)).collect())
}
