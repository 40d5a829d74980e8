//! The iCalendar (.ics) attachment of a booking confirmation: one VEVENT at the event's
//! start, its UID stable per event so re-imports update rather than duplicate it.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike};

use super::compose::Details;

pub fn ics(d: &Details, stamped_at: DateTime<Utc>) -> String {
    let location = if d.event.address.is_empty() {
        d.event.venue.clone()
    } else {
        format!("{}, {}", d.event.venue, d.event.address)
    };
    let event = icalendar::Event::new()
        .uid(&format!("{}@tiketi", d.event.id))
        .timestamp(stamped_at)
        .summary(&d.event.title)
        .location(&location)
        .starts(d.event.starts_at)
        .description(&format!(
            "{} {}",
            super::templates::booking_label(d.locale),
            d.code
        ))
        .done();
    Calendar::new().push(event).done().to_string()
}
