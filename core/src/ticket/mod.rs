//! Signed tickets: what a fan shows at the gate. Tickets are rows issued by the database
//! when a reservation is confirmed (one per seat, one per general-admission ticket); their
//! codes are signed on demand with the event's key (see `keys`, `code`), and cancelling or
//! refunding the reservation, or cancelling the event, revokes them (`revocation`).

pub mod code;
pub mod keys;
pub mod pdf;
pub mod revocation;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

pub use code::TicketClaims;
pub use keys::TicketKeys;
pub use pdf::TicketSheet;

#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    #[error("the PDF could not be rendered: {0}")]
    Pdf(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A seat as printed on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatLabel {
    pub section: String,
    pub row: String,
    pub number: i32,
}

/// One ticket with its signed code, as the fan (page, PDF, e-mail) sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssuedTicket {
    pub id: Uuid,
    pub event_id: Uuid,
    pub reservation_id: Uuid,
    pub event_title: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub timezone: String,
    pub seat: Option<SeatLabel>,
    pub ticket_type: Option<String>,
    pub holder_initials: String,
    pub issued_at: DateTime<Utc>,
    /// `T1.<payload>.<signature>`: what the QR code carries.
    pub code: String,
    /// The reservation was cancelled or refunded, or the event cancelled.
    pub revoked: bool,
    pub admitted_at: Option<DateTime<Utc>>,
}

impl IssuedTicket {
    pub fn claims(&self) -> TicketClaims {
        TicketClaims {
            e: self.event_id,
            t: self.id,
            s: self
                .seat
                .as_ref()
                .map(|s| (s.section.clone(), s.row.clone(), s.number)),
            y: self.ticket_type.clone(),
            h: self.holder_initials.clone(),
            i: self.issued_at.timestamp(),
        }
    }
}

/// The tickets of one of `user_id`'s reservations, in seat order; empty when the
/// reservation is not theirs or was never confirmed.
pub async fn of_reservation(
    pool: &PgPool,
    keys: &TicketKeys,
    reservation_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<IssuedTicket>, TicketError> {
    let rows = sqlx::query!(
        r#"SELECT t.id, t.event_id, t.reservation_id, t.issued_at,
                  e.title, e.venue, e.starts_at, e.timezone,
                  s.section AS "section?", s.row_label AS "row_label?", s.number AS "number?",
                  tt.name AS "ticket_type?", u.name AS holder_name,
                  (r.status <> 'confirmed' OR e.status = 'cancelled') AS "revoked!",
                  c.admitted_at AS "admitted_at?"
           FROM tickets t
           JOIN reservations r ON r.id = t.reservation_id
           JOIN users u ON u.id = r.user_id
           JOIN events e ON e.id = t.event_id
           JOIN reservation_items i ON i.id = t.item_id
           LEFT JOIN seats s ON s.id = i.seat_id
           LEFT JOIN ticket_types tt ON tt.id = i.ticket_type_id
           LEFT JOIN checkins c ON c.ticket_id = t.id
           WHERE t.reservation_id = $1 AND r.user_id = $2
           ORDER BY s.section_index, s.row_index, s.number, tt.sort_order, t.ordinal"#,
        reservation_id,
        user_id,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let seat = match (r.section, r.row_label, r.number) {
                (Some(section), Some(row), Some(number)) => Some(SeatLabel {
                    section,
                    row,
                    number,
                }),
                _ => None,
            };
            let mut ticket = IssuedTicket {
                id: r.id,
                event_id: r.event_id,
                reservation_id: r.reservation_id,
                event_title: r.title,
                venue: r.venue,
                starts_at: r.starts_at,
                timezone: r.timezone,
                seat,
                ticket_type: r.ticket_type,
                holder_initials: code::initials(&r.holder_name),
                issued_at: r.issued_at,
                code: String::new(),
                revoked: r.revoked,
                admitted_at: r.admitted_at,
            };
            ticket.code = code::sign(keys, &ticket.claims());
            ticket
        })
        .collect())
}

/// Who may print a reservation's tickets, and what they would print.
#[derive(Debug, Clone)]
pub struct Printable {
    pub owner_id: Uuid,
    /// Confirmed and its event not cancelled: only then are there tickets to print.
    pub valid: bool,
    pub sheet: TicketSheet,
}

/// The reservation's printable tickets (revoked ones left out), with its owner so that the
/// caller decides who may see them; `None` when there is no such reservation.
pub async fn printable(
    pool: &PgPool,
    keys: &TicketKeys,
    reservation_id: Uuid,
) -> Result<Option<Printable>, TicketError> {
    let Some(r) = sqlx::query!(
        r#"SELECT r.user_id, r.code, u.name,
                  (r.status = 'confirmed' AND e.status <> 'cancelled') AS "valid!"
           FROM reservations r
           JOIN users u ON u.id = r.user_id
           JOIN events e ON e.id = r.event_id
           WHERE r.id = $1"#,
        reservation_id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let tickets = of_reservation(pool, keys, reservation_id, r.user_id)
        .await?
        .into_iter()
        .filter(|t| !t.revoked)
        .collect();
    Ok(Some(Printable {
        owner_id: r.user_id,
        valid: r.valid,
        sheet: TicketSheet {
            reservation_code: r.code,
            holder_name: r.name,
            tickets,
        },
    }))
}
