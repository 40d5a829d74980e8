//! Turning an outbox row into an e-mail: what the row is about is read when it is sent
//! (the reservation, its items and payment, the event, the fan's address and language),
//! then written with the fan's templates and, for a confirmation, the attachments: the
//! event as an .ics file and the tickets as a PDF (the same as the download).

use chrono::{DateTime, Utc};
use lettre::{
    message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart},
    Message,
};
use sqlx::PgPool;
use uuid::Uuid;

use super::{Locale, MailKind};
use crate::{
    event::time::EventZone,
    payment::PaymentMethod,
    ticket::{self, IssuedTicket, TicketError, TicketKeys, TicketSheet},
};

/// Everything a template may say.
#[derive(Debug, Clone)]
pub struct Details {
    pub id: Uuid,
    pub kind: MailKind,
    pub locale: Locale,
    pub fan_name: String,
    pub email: String,
    pub reservation_id: Uuid,
    pub code: String,
    pub total_amount: i64,
    pub expires_at: DateTime<Utc>,
    pub event: EventDetails,
    pub payment: Option<PaymentDetails>,
    pub items: Vec<Item>,
    /// The valid tickets with their signed codes; read for a confirmation only.
    pub tickets: Vec<IssuedTicket>,
    /// False when the mail no longer applies: a confirmation of a booking cancelled before
    /// it went out, a reminder for a hold that was paid or ended.
    pub applies: bool,
}

#[derive(Debug, Clone)]
pub struct EventDetails {
    pub id: Uuid,
    pub title: String,
    pub venue: String,
    pub address: String,
    pub starts_at: DateTime<Utc>,
    pub zone: EventZone,
    pub cancel_reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PaymentDetails {
    pub method: PaymentMethod,
    pub amount: i64,
    pub refunded: bool,
}

#[derive(Debug, Clone)]
pub enum Item {
    Seat {
        section: String,
        row: String,
        number: i32,
        price: i64,
    },
    Tickets {
        name: String,
        quantity: i32,
        unit_price: i64,
    },
}

impl Item {
    pub fn amount(&self) -> i64 {
        match self {
            Item::Seat { price, .. } => *price,
            Item::Tickets {
                quantity,
                unit_price,
                ..
            } => i64::from(*quantity) * unit_price,
        }
    }
}

/// The row's details, or `None` when the row is gone.
pub async fn load(
    pool: &PgPool,
    keys: &TicketKeys,
    id: Uuid,
) -> Result<Option<Details>, TicketError> {
    let Some(r) = sqlx::query!(
        r#"SELECT m.kind AS "kind: MailKind", u.locale AS "locale: Locale", u.name, u.email,
                  r.user_id,
                  r.id AS reservation_id, r.code, r.total_amount, r.expires_at,
                  e.id AS event_id, e.title, e.venue, e.address, e.starts_at, e.timezone,
                  e.cancel_reason AS event_cancel_reason,
                  p.method AS "payment_method?", p.amount AS "payment_amount?",
                  p.status AS "payment_status?",
                  CASE m.kind
                      WHEN 'booking_confirmed' THEN r.status = 'confirmed'
                      WHEN 'hold_expiring' THEN r.status = 'pending' AND r.expires_at > now()
                      ELSE true
                  END AS "applies!"
           FROM mail_outbox m
           JOIN users u ON u.id = m.user_id
           JOIN reservations r ON r.id = m.reservation_id
           JOIN events e ON e.id = r.event_id
           LEFT JOIN LATERAL (
               SELECT method, amount, status FROM payments
               WHERE reservation_id = r.id AND status <> 'declined' LIMIT 1
           ) p ON true
           WHERE m.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let items = sqlx::query!(
        r#"SELECT s.section AS "section?", s.row_label AS "row_label?", s.number AS "number?",
                  t.name AS "ticket_type?", i.quantity, i.unit_price
           FROM reservation_items i
           LEFT JOIN seats s ON s.id = i.seat_id
           LEFT JOIN ticket_types t ON t.id = i.ticket_type_id
           WHERE i.reservation_id = $1
           ORDER BY s.section_index, s.row_index, s.number, t.sort_order"#,
        r.reservation_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .filter_map(
        |i| match (i.section, i.row_label, i.number, i.ticket_type) {
            (Some(section), Some(row), Some(number), _) => Some(Item::Seat {
                section,
                row,
                number,
                price: i.unit_price,
            }),
            (_, _, _, Some(name)) => Some(Item::Tickets {
                name,
                quantity: i.quantity,
                unit_price: i.unit_price,
            }),
            _ => None,
        },
    )
    .collect();
    let payment = match (r.payment_method, r.payment_amount, r.payment_status) {
        (Some(method), Some(amount), Some(status)) => {
            PaymentMethod::parse(&method).map(|method| PaymentDetails {
                method,
                amount,
                refunded: status == "refunded",
            })
        }
        _ => None,
    };
    let tickets = if r.kind == MailKind::BookingConfirmed && r.applies {
        ticket::of_reservation(pool, keys, r.reservation_id, r.user_id)
            .await?
            .into_iter()
            .filter(|t| !t.revoked)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(Details {
        id,
        kind: r.kind,
        locale: r.locale,
        fan_name: r.name,
        email: r.email,
        reservation_id: r.reservation_id,
        code: r.code,
        total_amount: r.total_amount,
        expires_at: r.expires_at,
        event: EventDetails {
            id: r.event_id,
            title: r.title,
            venue: r.venue,
            address: r.address,
            starts_at: r.starts_at,
            zone: EventZone::from_db(&r.timezone),
            cancel_reason: r.event_cancel_reason,
        },
        payment,
        items,
        tickets,
        applies: r.applies,
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    #[error("the recipient address {0:?} is not a valid mailbox")]
    Recipient(String),
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("the tickets could not be attached: {0}")]
    Tickets(#[from] TicketError),
}

/// The `Message-ID` of an outbox row: the same for every attempt of it.
pub fn message_id(id: Uuid, from: &Mailbox) -> String {
    format!("<{}@{}>", id.simple(), from.email.domain())
}

/// The e-mail for `d`, from `from`.
pub fn message(d: &Details, from: &Mailbox) -> Result<Message, ComposeError> {
    let to = format!("{} <{}>", d.fan_name.replace(['<', '>', '"'], ""), d.email)
        .parse::<Mailbox>()
        .or_else(|_| d.email.parse::<Mailbox>())
        .map_err(|_| ComposeError::Recipient(d.email.clone()))?;
    let (subject, body) = super::templates::render(d);
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject.clone())
        .message_id(Some(message_id(d.id, from)));
    let html = super::templates::html(&subject, &body);
    let text = MultiPart::alternative_plain_html(body, html);
    let attachments = attachments(d)?;
    if attachments.is_empty() {
        return Ok(builder.multipart(text)?);
    }
    let mut parts = MultiPart::mixed().multipart(text);
    for a in attachments {
        parts = parts.singlepart(a);
    }
    Ok(builder.multipart(parts)?)
}

/// What travels with the mail: the confirmation carries the event as an .ics file and the
/// tickets as a PDF, so that a fan who never opens the app still has them at the gate.
fn attachments(d: &Details) -> Result<Vec<SinglePart>, ComposeError> {
    match d.kind {
        MailKind::BookingConfirmed => {
            let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                .expect("a valid content type");
            let mut parts = vec![Attachment::new("event.ics".into())
                .body(super::calendar::ics(d, Utc::now()), calendar)];
            if !d.tickets.is_empty() {
                let pdf = ticket::pdf::render(&TicketSheet {
                    reservation_code: d.code.clone(),
                    holder_name: d.fan_name.clone(),
                    tickets: d.tickets.clone(),
                })?;
                let content_type =
                    ContentType::parse("application/pdf").expect("a valid content type");
                parts.push(
                    Attachment::new(format!("tiketi-{}.pdf", d.code)).body(pdf, content_type),
                );
            }
            Ok(parts)
        }
        _ => Ok(vec![]),
    }
}
