//! E-mail to fans through an outbox (issue 17, item 4). A change that fans should hear about
//! (a booking paid, a booking cancelled, an event cancelled, a hold about to end) inserts a
//! `mail_outbox` row in the same transaction as the change ([`outbox`]); senders in the
//! sweeper processes claim due rows, compose them in the fan's language ([`compose`],
//! [`templates`], [`calendar`]) and hand them to SMTP with retries ([`sender`]).
//!
//! Delivery is at most once per row in the ordinary course and at least once at worst: a
//! row is claimed under a lease before it is sent and marked sent after the SMTP server
//! accepted it. A sender that dies (or stalls past its lease) between the server's
//! acceptance and that mark leaves the row to be sent again once the lease runs out; the
//! copy carries the same Message-ID (the row's id), so mail systems that deduplicate by it
//! drop it. No other path sends a row twice.

pub mod calendar;
pub mod compose;
pub mod outbox;
pub mod sender;
pub mod templates;

use serde::{Deserialize, Serialize};

/// What an e-mail is about; one of each per reservation at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize)]
#[sqlx(type_name = "mail_kind", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    BookingConfirmed,
    HoldExpiring,
    ReservationCancelled,
    EventCancelled,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BookingConfirmed => "booking_confirmed",
            Self::HoldExpiring => "hold_expiring",
            Self::ReservationCancelled => "reservation_cancelled",
            Self::EventCancelled => "event_cancelled",
        }
    }
}

/// Where a row is in its life: pending → sending → sent | failed, or skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sqlx::Type, Serialize)]
#[sqlx(type_name = "mail_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Pending,
    Sending,
    Sent,
    Failed,
    Skipped,
}

/// The language a fan reads their e-mails (and, by default, the app) in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::Type, Serialize, Deserialize, utoipa::ToSchema,
)]
#[sqlx(type_name = "user_locale", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ko,
    En,
}

impl Locale {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ko" => Some(Self::Ko),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The first language of an `Accept-Language` header we write in, by the client's
    /// preference (q-values); Korean when none is.
    pub fn from_accept_language(header: &str) -> Self {
        let mut ranked: Vec<(f32, usize, Locale)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut fields = part.split(';');
                let tag = fields.next()?.trim();
                let primary = tag.split('-').next()?;
                let locale = Self::parse(primary)?;
                let q = fields
                    .find_map(|f| f.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, locale))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|r| r.2).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_language_we_write() {
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9,ko;q=0.8"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("ko-KR,ko;q=0.9,en;q=0.8"),
            Locale::Ko
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR,fr;q=0.9,en;q=0.5"),
            Locale::En
        );
        assert_eq!(
            Locale::from_accept_language("ko;q=0.2, en;q=0.7"),
            Locale::En
        );
        assert_eq!(Locale::from_accept_language("de, en;q=0"), Locale::Ko);
        assert_eq!(Locale::from_accept_language(""), Locale::Ko);
    }
}
