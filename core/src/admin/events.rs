//! Organizers' event writes: create (seats generated from a layout, or ticket types, in the
//! same transaction), update (fields, times, queue settings, status) and cancel (every
//! reservation cancelled and refunded, every seat freed). Times without an offset are read
//! in the event's own zone; each write locks the event row first, like every other writer,
//! and records its audit entry before it commits.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{
    audit_log::{self, Action},
    bounded,
    grade_prices::{self, GradePrice},
    AdminError, FieldErrors,
};
use crate::{
    event::time::EventZone,
    event::{
        self, event_record, select_events, Event, EventStatus, NewEvent, NewSeating, NewTicketType,
        QueueStrategy,
    },
    layout::MAX_PRICE,
    mail::{self, MailKind},
    reservation::{lock_events, release, Released},
};

pub const MAX_TICKET_TYPES: usize = 20;
pub const MAX_TICKET_QUANTITY: i32 = 100_000;
pub const MAX_QUEUE_RATE: i32 = 100_000;
pub const MAX_QUEUE_ACTIVE: i32 = 100_000;
pub const QUEUE_WINDOW_SECONDS: (i32, i32) = (30, 7_200);
pub const MAX_PREQUEUE_MINUTES: i32 = 1_440;

/// The body of `POST /api/admin/events` (create) and `PUT /api/admin/events/:id` (update,
/// every field optional). Fields the original plan names differently are accepted under
/// its names too (`eventDate`, `saleStartDate`, `saleEndDate`, `seatLayoutId`,
/// `posterImageUrl`, `artistName`); one field given under both names is refused.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventInput {
    /// In Korean (or as the organizer writes it).
    pub title: Option<String>,
    /// The English title; empty for none.
    pub title_en: Option<String>,
    pub description: Option<String>,
    #[serde(alias = "artistName")]
    pub artist: Option<String>,
    /// The English artist name; empty for none.
    pub artist_en: Option<String>,
    pub category: Option<String>,
    pub venue: Option<String>,
    pub address: Option<String>,
    /// `null` or `""` removes the poster.
    #[serde(
        default,
        deserialize_with = "present_or_null",
        alias = "posterImageUrl"
    )]
    #[schema(value_type = Option<String>)]
    pub poster_url: Option<Option<String>>,
    /// IANA zone of the event's wall-clock times; default `Asia/Seoul`.
    pub timezone: Option<String>,
    /// With an offset (taken as given), or local wall-clock time in `timezone`.
    #[schema(example = "2025-10-31T19:00")]
    #[serde(alias = "eventDate")]
    pub starts_at: Option<String>,
    #[schema(example = "2025-10-01T20:00")]
    #[serde(alias = "saleStartDate")]
    pub sale_start: Option<String>,
    #[schema(example = "2025-10-31T18:00")]
    #[serde(alias = "saleEndDate")]
    pub sale_end: Option<String>,
    /// Reserved seating: seats are generated from this layout (create only).
    #[serde(alias = "seatLayoutId")]
    pub layout_id: Option<Uuid>,
    /// General admission (create only).
    pub ticket_types: Option<Vec<NewTicketType>>,
    /// Reserved seating: the price of some or all grades (the layout's sections) for this
    /// event; grades left out keep their price (the layout's, on create). Seats of a grade
    /// sell at its price; reservations already made keep theirs.
    pub grade_prices: Option<Vec<GradePrice>>,
    pub queue: Option<QueueInput>,
    /// Seats and tickets one fan may have for this event across all of their live
    /// reservations (1 to 1000); `null` removes the cap.
    #[serde(default, deserialize_with = "present_or_null")]
    #[schema(value_type = Option<i32>)]
    pub max_tickets_per_fan: Option<Option<i32>>,
    /// Proof-of-work before joining the waiting room: the ALTCHA `maxnumber` (1000 to
    /// 10,000,000; a browser tries half of it on average); `null` asks none.
    #[serde(default, deserialize_with = "present_or_null")]
    #[schema(value_type = Option<i32>)]
    pub pow_difficulty: Option<Option<i32>>,
    /// Update only: `upcoming`, `on_sale` (both must agree with the sale window) or
    /// `ended` (closes sales now). Cancelling has its own endpoint.
    pub status: Option<String>,
}

/// Waiting-room settings; omitted fields keep their value (defaults on create).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QueueInput {
    pub enabled: Option<bool>,
    /// `rate` or `max_active`.
    pub strategy: Option<String>,
    pub rate_per_minute: Option<i32>,
    pub max_active: Option<i32>,
    pub window_seconds: Option<i32>,
    pub prequeue_minutes: Option<i32>,
    pub shuffle: Option<bool>,
}

/// Tells an explicit `null` (`Some(None)`) from an absent field (`None`).
fn present_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Checks the per-fan cap and the proof-of-work difficulty of `input`.
fn check_limits(input: &EventInput, errors: &mut FieldErrors) {
    for (field, given, (min, max)) in [
        ("maxTicketsPerFan", input.max_tickets_per_fan, (1, 1000)),
        ("powDifficulty", input.pow_difficulty, (1000, 10_000_000)),
    ] {
        if let Some(Some(n)) = given {
            if !(min..=max).contains(&n) {
                errors.push((field.into(), format!("must be {min} to {max}, or null")));
            }
        }
    }
}

/// Writes the cap and difficulty the input names; absent fields keep their value.
async fn write_limits(
    conn: &mut PgConnection,
    id: Uuid,
    input: &EventInput,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE events SET
            max_tickets_per_fan = CASE WHEN $2 THEN $3 ELSE max_tickets_per_fan END,
            pow_difficulty = CASE WHEN $4 THEN $5 ELSE pow_difficulty END
         WHERE id = $1",
        id,
        input.max_tickets_per_fan.is_some(),
        input.max_tickets_per_fan.flatten(),
        input.pow_difficulty.is_some(),
        input.pow_difficulty.flatten(),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An event's editable fields, checked.
#[derive(Debug, Clone)]
struct Fields {
    title: String,
    title_en: String,
    description: String,
    artist: String,
    artist_en: String,
    category: String,
    venue: String,
    address: String,
    poster_url: Option<String>,
    zone: EventZone,
    starts_at: DateTime<Utc>,
    sale_start: DateTime<Utc>,
    sale_end: DateTime<Utc>,
    queue: QueueChanges,
}

/// The waiting-room settings an input changes, checked; `None` keeps the stored value (the
/// column default on create), so no default is repeated here.
#[derive(Debug, Clone, Default)]
struct QueueChanges {
    enabled: Option<bool>,
    strategy: Option<QueueStrategy>,
    rate_per_minute: Option<i32>,
    max_active: Option<i32>,
    window_seconds: Option<i32>,
    prequeue_minutes: Option<i32>,
    shuffle: Option<bool>,
}

/// Applies `input` over `base` (the stored event; `None` on create) and checks the result
/// as a whole, reporting every problem at once.
fn apply(base: Option<&Fields>, input: &EventInput) -> Result<Fields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut text = |field: &str,
                    given: &Option<String>,
                    current: Option<&String>,
                    default: Option<&str>,
                    min: usize,
                    max: usize|
     -> String {
        match (given, current, default) {
            (Some(s), _, _) => bounded(&mut errors, field, s, min, max).unwrap_or_default(),
            (None, Some(c), _) => c.clone(),
            (None, None, Some(d)) => d.to_string(),
            (None, None, None) => {
                errors.push((field.into(), "is required".into()));
                String::new()
            }
        }
    };
    let title = text("title", &input.title, base.map(|b| &b.title), None, 1, 200);
    let title_en = text(
        "titleEn",
        &input.title_en,
        base.map(|b| &b.title_en),
        Some(""),
        0,
        200,
    );
    let artist_en = text(
        "artistEn",
        &input.artist_en,
        base.map(|b| &b.artist_en),
        Some(""),
        0,
        200,
    );
    let venue = text("venue", &input.venue, base.map(|b| &b.venue), None, 1, 200);
    let description = text(
        "description",
        &input.description,
        base.map(|b| &b.description),
        Some(""),
        0,
        5_000,
    );
    let artist = text(
        "artist",
        &input.artist,
        base.map(|b| &b.artist),
        Some(""),
        0,
        200,
    );
    let category = text(
        "category",
        &input.category,
        base.map(|b| &b.category),
        Some("concert"),
        1,
        30,
    );
    let address = text(
        "address",
        &input.address,
        base.map(|b| &b.address),
        Some(""),
        0,
        500,
    );

    let poster_url = match &input.poster_url {
        None => base.and_then(|b| b.poster_url.clone()),
        Some(None) => None,
        Some(Some(url)) => {
            let url = url.trim();
            let ok = url.is_empty()
                || ((url.starts_with("https://")
                    || url.starts_with("http://")
                    || (url.starts_with('/') && !url.starts_with("//")))
                    && url.len() <= 2_000
                    && !url.chars().any(char::is_whitespace));
            if !ok {
                errors.push((
                    "posterUrl".into(),
                    "must be an http(s) URL or a path starting with /, at most 2000 characters"
                        .into(),
                ));
            }
            (!url.is_empty()).then(|| url.to_string())
        }
    };

    let zone = match &input.timezone {
        None => Some(base.map(|b| b.zone).unwrap_or_default()),
        Some(name) => EventZone::parse(name)
            .map_err(|e| errors.push(("timezone".into(), e.to_string())))
            .ok(),
    };
    let mut instant = |field: &str, given: &Option<String>, current: Option<DateTime<Utc>>| {
        match (given, current) {
            // An unknown zone is reported once, on `timezone`.
            (Some(s), _) => zone.and_then(|z| {
                z.parse_instant(s)
                    .map_err(|e| errors.push((field.into(), e.to_string())))
                    .ok()
            }),
            (None, Some(c)) => Some(c),
            (None, None) => {
                errors.push((field.into(), "is required".into()));
                None
            }
        }
    };
    let starts_at = instant("startsAt", &input.starts_at, base.map(|b| b.starts_at));
    let sale_start = instant("saleStart", &input.sale_start, base.map(|b| b.sale_start));
    let sale_end = instant("saleEnd", &input.sale_end, base.map(|b| b.sale_end));
    if let (Some(start), Some(end)) = (sale_start, sale_end) {
        if start >= end {
            errors.push(("saleStart".into(), "must be before saleEnd".into()));
        }
    }
    if let (Some(end), Some(starts)) = (sale_end, starts_at) {
        if end > starts {
            errors.push(("saleEnd".into(), "must be no later than startsAt".into()));
        }
    }

    let queue = queue(input.queue.as_ref(), &mut errors);

    match (zone, starts_at, sale_start, sale_end) {
        (Some(zone), Some(starts_at), Some(sale_start), Some(sale_end)) if errors.is_empty() => {
            Ok(Fields {
                title,
                title_en,
                description,
                artist,
                artist_en,
                category,
                venue,
                address,
                poster_url,
                zone,
                starts_at,
                sale_start,
                sale_end,
                queue,
            })
        }
        _ => Err(errors),
    }
}

fn queue(input: Option<&QueueInput>, errors: &mut FieldErrors) -> QueueChanges {
    let mut q = QueueChanges::default();
    let Some(input) = input else {
        return q;
    };
    q.enabled = input.enabled;
    q.shuffle = input.shuffle;
    if let Some(strategy) = &input.strategy {
        match strategy.trim() {
            "rate" => q.strategy = Some(QueueStrategy::Rate),
            "max_active" => q.strategy = Some(QueueStrategy::MaxActive),
            _ => errors.push(("queue.strategy".into(), "must be rate or max_active".into())),
        }
    }
    let mut number =
        |field: &str, given: Option<i32>, min: i32, max: i32, into: &mut Option<i32>| {
            if let Some(n) = given {
                if (min..=max).contains(&n) {
                    *into = Some(n);
                } else {
                    errors.push((field.into(), format!("must be {min} to {max}")));
                }
            }
        };
    number(
        "queue.ratePerMinute",
        input.rate_per_minute,
        1,
        MAX_QUEUE_RATE,
        &mut q.rate_per_minute,
    );
    number(
        "queue.maxActive",
        input.max_active,
        1,
        MAX_QUEUE_ACTIVE,
        &mut q.max_active,
    );
    number(
        "queue.windowSeconds",
        input.window_seconds,
        QUEUE_WINDOW_SECONDS.0,
        QUEUE_WINDOW_SECONDS.1,
        &mut q.window_seconds,
    );
    number(
        "queue.prequeueMinutes",
        input.prequeue_minutes,
        0,
        MAX_PREQUEUE_MINUTES,
        &mut q.prequeue_minutes,
    );
    q
}

fn ticket_types(types: &[NewTicketType], errors: &mut FieldErrors) -> Vec<NewTicketType> {
    if types.is_empty() || types.len() > MAX_TICKET_TYPES {
        errors.push((
            "ticketTypes".into(),
            format!("must have 1 to {MAX_TICKET_TYPES} ticket types"),
        ));
    }
    let mut names = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(types.len());
    for (i, t) in types.iter().enumerate() {
        let name = bounded(errors, &format!("ticketTypes[{i}].name"), &t.name, 1, 50);
        if let Some(n) = &name {
            if !names.insert(n.to_lowercase()) {
                errors.push((format!("ticketTypes[{i}].name"), "must be unique".into()));
            }
        }
        if !(1..=MAX_PRICE).contains(&t.price) {
            errors.push((
                format!("ticketTypes[{i}].price"),
                format!("must be 1 to {MAX_PRICE} KRW"),
            ));
        }
        if !(1..=MAX_TICKET_QUANTITY).contains(&t.quantity) {
            errors.push((
                format!("ticketTypes[{i}].quantity"),
                format!("must be 1 to {MAX_TICKET_QUANTITY}"),
            ));
        }
        out.push(NewTicketType {
            name: name.unwrap_or_default(),
            price: t.price,
            quantity: t.quantity,
        });
    }
    out
}

/// Writes every editable column of an existing event (status aside).
async fn write_fields(conn: &mut PgConnection, id: Uuid, f: &Fields) -> Result<(), sqlx::Error> {
    // Waiting-room settings the input leaves out keep their value (the column default on
    // create).
    sqlx::query!(
        "UPDATE events SET title = $2, description = $3, artist = $4, category = $5, venue = $6,
                address = $7, poster_url = $8,
                poster_images = CASE WHEN poster_url IS DISTINCT FROM $8 THEN '[]'::jsonb
                                     ELSE poster_images END,
                timezone = $9, starts_at = $10, sale_start = $11,
                sale_end = $12, queue_enabled = COALESCE($13, queue_enabled),
                queue_strategy = COALESCE($14, queue_strategy),
                queue_rate_per_minute = COALESCE($15, queue_rate_per_minute),
                queue_max_active = COALESCE($16, queue_max_active),
                queue_window_seconds = COALESCE($17, queue_window_seconds),
                prequeue_minutes = COALESCE($18, prequeue_minutes),
                prequeue_shuffle = COALESCE($19, prequeue_shuffle), updated_at = now()
         WHERE id = $1",
        id,
        f.title,
        f.description,
        f.artist,
        f.category,
        f.venue,
        f.address,
        f.poster_url,
        f.zone.name(),
        f.starts_at,
        f.sale_start,
        f.sale_end,
        f.queue.enabled,
        f.queue.strategy as Option<QueueStrategy>,
        f.queue.rate_per_minute,
        f.queue.max_active,
        f.queue.window_seconds,
        f.queue.prequeue_minutes,
        f.queue.shuffle,
    )
    .execute(&mut *conn)
    .await?;
    crate::search::set_english(conn, id, &f.title_en, &f.artist_en).await
}

/// Sets the status the sale window and availability call for, by the database clock: what
/// the sweeper would move the event to, but at once.
async fn derive_status(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE events e SET status = CASE
             WHEN now() >= e.sale_end THEN 'ended'
             WHEN now() < e.sale_start THEN 'upcoming'
             WHEN (CASE WHEN e.seating = 'reserved' THEN e.seats_available::bigint
                        ELSE COALESCE((SELECT SUM(remaining) FROM ticket_types t WHERE t.event_id = e.id), 0)
                   END) <= 0 THEN 'sold_out'
             ELSE 'on_sale' END
         WHERE e.id = $1 AND e.status <> 'cancelled'",
        id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Fields of the API representation an audit entry leaves out: derived or bookkeeping.
const NOT_AUDITED: &[&str] = &[
    "id",
    "createdAt",
    "updatedAt",
    "availability",
    "minPrice",
    "maxPrice",
    "layoutName",
];

fn json_of(event: &Event) -> serde_json::Value {
    serde_json::to_value(event).unwrap_or_default()
}

async fn find_in(conn: &mut PgConnection, id: Uuid) -> Result<Event, AdminError> {
    event::find(&mut *conn, id)
        .await?
        .ok_or(AdminError::NotFound("event"))
}

/// Creates an event; reserved seating generates its seats from the layout, general
/// admission creates its ticket types. The status follows the sale window at once.
pub async fn create(pool: &PgPool, actor: Uuid, input: &EventInput) -> Result<Event, AdminError> {
    let fields = apply(None, input);
    let mut errors = fields.as_ref().err().cloned().unwrap_or_default();
    check_limits(input, &mut errors);
    if input.status.is_some() {
        errors.push((
            "status".into(),
            "is set from the sale window on create".into(),
        ));
    }
    let seating = match (&input.layout_id, &input.ticket_types) {
        (Some(layout), None) => Some(NewSeating::Layout(*layout)),
        (None, Some(types)) => {
            if input.grade_prices.is_some() {
                errors.push((
                    "gradePrices".into(),
                    "reserved seating only (layoutId)".into(),
                ));
            }
            Some(NewSeating::TicketTypes(ticket_types(types, &mut errors)))
        }
        (Some(_), Some(types)) => {
            ticket_types(types, &mut errors);
            errors.push((
                "layoutId".into(),
                "give layoutId (reserved seating) or ticketTypes (general admission), not both"
                    .into(),
            ));
            None
        }
        (None, None) => {
            errors.push((
                "layoutId".into(),
                "give layoutId (reserved seating) or ticketTypes (general admission)".into(),
            ));
            None
        }
    };
    let (fields, seating) = match (fields, seating) {
        (Ok(fields), Some(seating)) if errors.is_empty() => (fields, seating),
        _ => return Err(AdminError::Invalid(errors)),
    };

    let mut tx = pool.begin().await?;
    let mut prices = Vec::new();
    if let NewSeating::Layout(layout) = &seating {
        let Some(layout) = crate::layout::find(&mut *tx, *layout).await? else {
            return Err(AdminError::field("layoutId", "no such layout"));
        };
        let given = input.grade_prices.as_deref().unwrap_or_default();
        prices = grade_prices::check(given, &layout.sections, &mut errors);
        if !errors.is_empty() {
            return Err(AdminError::Invalid(errors));
        }
    }
    let new = NewEvent {
        id: None,
        title: fields.title.clone(),
        description: fields.description.clone(),
        artist: fields.artist.clone(),
        category: fields.category.clone(),
        venue: fields.venue.clone(),
        address: fields.address.clone(),
        poster_url: fields.poster_url.clone(),
        zone: fields.zone,
        starts_at: fields.starts_at,
        sale_start: fields.sale_start,
        sale_end: fields.sale_end,
        status: EventStatus::Upcoming,
        seating: seating.clone(),
        // Created closed; write_fields applies the input's waiting-room settings.
        queue_enabled: false,
    };
    let (id, _) = event::create(&mut tx, &new).await?;
    write_fields(&mut tx, id, &fields).await?;
    write_limits(&mut tx, id, input).await?;
    grade_prices::write(&mut tx, id, &prices).await?;
    derive_status(&mut tx, id).await?;
    let event = find_in(&mut tx, id).await?;
    let mut changes = audit_log::diff(&serde_json::Value::Null, &json_of(&event), NOT_AUDITED);
    if matches!(seating, NewSeating::Layout(_)) {
        let after = grade_prices::of_event(&mut tx, id).await?;
        changes.insert(
            "gradePrices".into(),
            serde_json::json!({"before": null, "after": after}),
        );
    }
    if let NewSeating::TicketTypes(types) = &seating {
        let types: Vec<_> = types
            .iter()
            .map(|t| serde_json::json!({"name": t.name, "price": t.price, "quantity": t.quantity}))
            .collect();
        changes.insert(
            "ticketTypes".into(),
            serde_json::json!({"before": null, "after": types}),
        );
    }
    audit_log::record(&mut tx, actor, Action::EventCreate, id, changes).await?;
    tx.commit().await?;
    Ok(event)
}

/// The outcome of an update: the event as it is now, and its status if that changed.
#[derive(Debug)]
pub struct Updated {
    pub event: Event,
    pub status_changed: Option<EventStatus>,
}

/// Changes an event. Times given without an offset are read in the (new) timezone; a
/// timezone change alone keeps the instants. Changing the times re-derives the status from
/// the sale window; an explicit `upcoming` or `on_sale` must agree with it, `ended` closes
/// sales now. A cancelled event cannot be changed.
pub async fn update(
    pool: &PgPool,
    actor: Uuid,
    id: Uuid,
    input: &EventInput,
) -> Result<Updated, AdminError> {
    let mut errors = FieldErrors::new();
    check_limits(input, &mut errors);
    if input.layout_id.is_some() {
        errors.push((
            "layoutId".into(),
            "cannot be changed once the event exists".into(),
        ));
    }
    if input.ticket_types.is_some() {
        errors.push((
            "ticketTypes".into(),
            "cannot be changed once the event exists".into(),
        ));
    }
    let wanted = match input.status.as_deref().map(str::trim) {
        None => None,
        Some(s) => match EventStatus::parse(s) {
            Some(EventStatus::Cancelled) => {
                errors.push((
                    "status".into(),
                    "cancel with POST /api/admin/events/{id}/cancel, which refunds every reservation"
                        .into(),
                ));
                None
            }
            Some(EventStatus::SoldOut) => {
                errors.push((
                    "status".into(),
                    "sold_out follows availability; it is never set by hand".into(),
                ));
                None
            }
            Some(status) => Some(status),
            None => {
                errors.push((
                    "status".into(),
                    "must be one of upcoming, on_sale, ended".into(),
                ));
                None
            }
        },
    };

    let mut tx = pool.begin().await?;
    lock_events(&mut tx, &[id]).await?;
    let row = select_events!(
        r#", now() AS "db_now!""#,
        "FROM events e",
        "WHERE e.id = $1",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AdminError::NotFound("event"))?;
    let now = row.db_now;
    let stored = event_record!(row);
    if stored.status == EventStatus::Cancelled {
        return Err(AdminError::Conflict {
            code: "EVENT_CANCELLED",
            message: "a cancelled event cannot be changed".into(),
        });
    }
    let base = Fields {
        title: stored.title,
        title_en: stored.title_en,
        description: stored.description,
        artist: stored.artist,
        artist_en: stored.artist_en,
        category: stored.category,
        venue: stored.venue,
        address: stored.address,
        poster_url: stored.poster_url,
        zone: EventZone::from_db(&stored.timezone),
        starts_at: stored.starts_at,
        sale_start: stored.sale_start,
        sale_end: stored.sale_end,
        queue: QueueChanges::default(),
    };
    let fields = match apply(Some(&base), input) {
        Ok(f) => Some(f),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    if let (Some(f), Some(status)) = (&fields, wanted) {
        let window = f.sale_start <= now && now < f.sale_end;
        match status {
            EventStatus::Upcoming if now >= f.sale_start => errors.push((
                "status".into(),
                "upcoming needs a saleStart in the future".into(),
            )),
            EventStatus::OnSale if !window => errors.push((
                "status".into(),
                "on_sale needs the sale window (saleStart to saleEnd) to include now".into(),
            )),
            _ => {}
        }
    }
    let prices = match (&input.grade_prices, stored.layout_id) {
        (None, _) => Vec::new(),
        (Some(_), None) => {
            errors.push((
                "gradePrices".into(),
                "reserved seating only (layoutId)".into(),
            ));
            Vec::new()
        }
        (Some(given), Some(layout)) => {
            let sections = crate::layout::find(&mut *tx, layout)
                .await?
                .map(|l| l.sections)
                .unwrap_or_default();
            grade_prices::check(given, &sections, &mut errors)
        }
    };
    let fields = match fields {
        Some(f) if errors.is_empty() => f,
        _ => return Err(AdminError::Invalid(errors)),
    };

    let before = find_in(&mut tx, id).await?;
    let prices_before = grade_prices::of_event(&mut tx, id).await?;
    let times_changed = fields.starts_at != base.starts_at
        || fields.sale_start != base.sale_start
        || fields.sale_end != base.sale_end;
    write_fields(&mut tx, id, &fields).await?;
    write_limits(&mut tx, id, input).await?;
    let prices_changed = grade_prices::write(&mut tx, id, &prices).await?;
    match wanted {
        Some(EventStatus::Ended) => {
            sqlx::query!(
                "UPDATE events SET status = $2 WHERE id = $1",
                id,
                EventStatus::Ended as EventStatus,
            )
            .execute(&mut *tx)
            .await?;
        }
        Some(_) => derive_status(&mut tx, id).await?,
        None if times_changed => derive_status(&mut tx, id).await?,
        None => {}
    }
    let after = find_in(&mut tx, id).await?;
    let mut changes = audit_log::diff(&json_of(&before), &json_of(&after), NOT_AUDITED);
    if prices_changed {
        let prices_after = grade_prices::of_event(&mut tx, id).await?;
        changes.insert(
            "gradePrices".into(),
            serde_json::json!({"before": prices_before, "after": prices_after}),
        );
    }
    if changes.is_empty() {
        // Nothing changed: no write, no entry, no notification.
        tx.rollback().await?;
        return Ok(Updated {
            event: before,
            status_changed: None,
        });
    }
    audit_log::record(&mut tx, actor, Action::EventUpdate, id, changes).await?;
    tx.commit().await?;
    Ok(Updated {
        status_changed: (after.status != before.status).then_some(after.status),
        event: after,
    })
}

/// What cancelling an event did: zeros (and nothing to announce) when it was cancelled
/// before.
#[derive(Debug)]
pub struct Cancelled {
    pub event: Event,
    /// False when the event was cancelled already and nothing changed.
    pub changed: bool,
    pub cancelled_reservations: u64,
    pub refunded_payments: u64,
    /// Seat and stock changes to relay, fans whose reservations ended.
    pub released: Released,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    /// Shown to fans; at most 500 characters.
    pub reason: Option<String>,
}

/// Cancels the event and, in the same transaction, every pending and confirmed
/// reservation of it: seats freed through the outbox, stock restored, completed payments
/// refunded. Calling it again changes nothing.
pub async fn cancel(
    pool: &PgPool,
    actor: Uuid,
    id: Uuid,
    input: &CancelInput,
) -> Result<Cancelled, AdminError> {
    let mut errors = FieldErrors::new();
    let reason = input
        .reason
        .as_deref()
        .and_then(|r| bounded(&mut errors, "reason", r, 0, 500))
        .filter(|r| !r.is_empty());
    if !errors.is_empty() {
        return Err(AdminError::Invalid(errors));
    }
    let mut tx = pool.begin().await?;
    lock_events(&mut tx, &[id]).await?;
    let before = find_in(&mut tx, id).await?;
    let status_changed = sqlx::query!(
        "UPDATE events SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2,
                           updated_at = now()
         WHERE id = $1 AND status <> 'cancelled'",
        id,
        reason,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    // Under the event lock no reservation of this event can be made, paid or ended
    // meanwhile; after the status change none can be made at all.
    let ended: Vec<(Uuid, Uuid)> = sqlx::query!(
        "UPDATE reservations SET status = 'cancelled', cancelled_at = now(),
                                 cancel_reason = 'event_cancelled'
         WHERE event_id = $1 AND status IN ('pending', 'confirmed')
         RETURNING id, user_id",
        id,
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.user_id))
    .collect();
    let ids: Vec<Uuid> = ended.iter().map(|(r, _)| *r).collect();
    let mut released = Released {
        reservation_ids: ids.clone(),
        users: ended.iter().map(|(r, u)| (*u, *r)).collect(),
        ..Default::default()
    };
    release(&mut tx, id, &ids, &mut released).await?;
    mail::outbox::enqueue(&mut tx, MailKind::EventCancelled, &ids).await?;
    let after = find_in(&mut tx, id).await?;
    let changed = status_changed || !ids.is_empty();
    if changed {
        let mut changes = audit_log::diff(&json_of(&before), &json_of(&after), NOT_AUDITED);
        changes.insert(
            "reason".into(),
            serde_json::json!({"before": null, "after": reason}),
        );
        changes.insert(
            "cancelledReservations".into(),
            serde_json::json!({"before": 0, "after": ids.len()}),
        );
        changes.insert(
            "refundedPayments".into(),
            serde_json::json!({"before": 0, "after": released.refunded}),
        );
        audit_log::record(&mut tx, actor, Action::EventCancel, id, changes).await?;
    }
    tx.commit().await?;
    Ok(Cancelled {
        event: after,
        changed,
        cancelled_reservations: ids.len() as u64,
        refunded_payments: released.refunded,
        released,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            title: Some(" Show ".into()),
            venue: Some("Hall".into()),
            starts_at: Some("2025-10-31T19:00".into()),
            sale_start: Some("2025-10-01T20:00".into()),
            sale_end: Some("2025-10-31T18:00".into()),
            ..Default::default()
        }
    }

    #[test]
    fn local_times_are_read_in_the_events_zone() {
        let f = apply(None, &input()).unwrap();
        assert_eq!(f.title, "Show");
        assert_eq!(f.zone.name(), "Asia/Seoul");
        assert_eq!(f.starts_at.to_rfc3339(), "2025-10-31T10:00:00+00:00");
        let ny = EventInput {
            timezone: Some("America/New_York".into()),
            ..input()
        };
        let f = apply(None, &ny).unwrap();
        assert_eq!(f.starts_at.to_rfc3339(), "2025-10-31T23:00:00+00:00");
    }

    #[test]
    fn every_problem_is_reported_by_field() {
        let bad = EventInput {
            title: Some("  ".into()),
            venue: None,
            sale_start: Some("2025-11-01T00:00".into()),
            poster_url: Some(Some("javascript:alert(1)".into())),
            queue: Some(QueueInput {
                strategy: Some("lottery".into()),
                window_seconds: Some(0),
                ..Default::default()
            }),
            ..input()
        };
        let errors = apply(None, &bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f.as_str()).collect();
        for f in [
            "title",
            "venue",
            "posterUrl",
            "saleStart",
            "queue.strategy",
            "queue.windowSeconds",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        let elsewhere = EventInput {
            poster_url: Some(Some("//evil.example/p.jpg".into())),
            ..input()
        };
        assert_eq!(apply(None, &elsewhere).unwrap_err()[0].0, "posterUrl");
        let late = EventInput {
            sale_end: Some("2025-10-31T19:30".into()),
            ..input()
        };
        let errors = apply(None, &late).unwrap_err();
        assert_eq!(errors[0].0, "saleEnd");
    }

    #[test]
    fn updates_keep_what_they_do_not_name() {
        let base = apply(None, &input()).unwrap();
        let patch = EventInput {
            timezone: Some("Europe/London".into()),
            poster_url: Some(None),
            ..Default::default()
        };
        let f = apply(Some(&base), &patch).unwrap();
        assert_eq!(f.title, "Show");
        assert_eq!(f.starts_at, base.starts_at);
        assert_eq!(f.zone.name(), "Europe/London");
        let bad_zone = EventInput {
            timezone: Some("Mars/Base".into()),
            sale_start: Some("2025-10-02T10:00".into()),
            ..Default::default()
        };
        let errors = apply(Some(&base), &bad_zone).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "timezone");
    }
}
