//! Event time. Instants are stored as UTC; an event's wall-clock times belong to its IANA
//! zone, never the server's or the database session's. Output is RFC 3339 with the event
//! zone's offset; input without an offset is read in the event's zone, and local times that
//! do not exist (spring forward) or are ambiguous (fall back) are refused.

use chrono::{DateTime, LocalResult, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

pub const DEFAULT_TIMEZONE: &str = "Asia/Seoul";

/// A valid IANA time zone name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventZone(Tz);

impl EventZone {
    /// The platform's home zone: the default for events, and for "today" on the dashboard.
    pub const SEOUL: EventZone = EventZone(chrono_tz::Asia::Seoul);

    pub fn parse(name: &str) -> Result<Self, TimeError> {
        name.trim()
            .parse::<Tz>()
            .map(Self)
            .map_err(|_| TimeError::UnknownZone(name.to_string()))
    }

    /// For zones read back from the database, which only ever stores parsed zones; an
    /// unknown one (a zone removed from the tz database) falls back to the default.
    pub fn from_db(name: &str) -> Self {
        Self::parse(name).unwrap_or(Self(chrono_tz::Asia::Seoul))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn tz(&self) -> Tz {
        self.0
    }

    /// `2025-10-31T09:00:00+09:00` for an instant in Asia/Seoul.
    pub fn format(&self, instant: DateTime<Utc>) -> String {
        instant
            .with_timezone(&self.0)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }

    /// Reads an instant: with an offset as given; without one as wall-clock time here.
    pub fn parse_instant(&self, input: &str) -> Result<DateTime<Utc>, TimeError> {
        let input = input.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(input) {
            return Ok(dt.with_timezone(&Utc));
        }
        let naive = [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(input, f).ok())
        .ok_or_else(|| TimeError::Malformed(input.to_string()))?;
        match self.0.from_local_datetime(&naive) {
            LocalResult::Single(dt) => Ok(dt.with_timezone(&Utc)),
            LocalResult::Ambiguous(_, _) => Err(TimeError::Ambiguous {
                local: input.to_string(),
                zone: self.name(),
            }),
            LocalResult::None => Err(TimeError::Nonexistent {
                local: input.to_string(),
                zone: self.name(),
            }),
        }
    }

    /// The inclusive start of a filter range: an instant as [`Self::parse_instant`] reads
    /// it, or a plain date (`2025-10-31`) meaning its first instant here.
    pub fn range_start(&self, input: &str) -> Result<DateTime<Utc>, TimeError> {
        match self.day_start(input, 0)? {
            Some(t) => Ok(t),
            None => self.parse_instant(input),
        }
    }

    /// The exclusive end of a filter range: a plain date includes that whole day (the
    /// first instant of the next day is returned); an instant includes itself.
    pub fn range_end(&self, input: &str) -> Result<DateTime<Utc>, TimeError> {
        match self.day_start(input, 1)? {
            Some(t) => Ok(t),
            // Stored instants have microsecond resolution.
            None => Ok(self.parse_instant(input)? + chrono::Duration::microseconds(1)),
        }
    }

    /// The first instant of the day `input` names, moved by `plus_days`; `None` when
    /// `input` is not a plain date.
    fn day_start(&self, input: &str, plus_days: u64) -> Result<Option<DateTime<Utc>>, TimeError> {
        let Ok(date) = chrono::NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d") else {
            return Ok(None);
        };
        let day = date
            .checked_add_days(chrono::Days::new(plus_days))
            .ok_or_else(|| TimeError::Malformed(input.to_string()))?;
        // A day whose midnight is skipped by a clock change starts at its earliest instant.
        let start = (0..=2)
            .find_map(|h| {
                self.0
                    .from_local_datetime(&day.and_hms_opt(h, 0, 0)?)
                    .earliest()
            })
            .ok_or_else(|| TimeError::Malformed(input.to_string()))?;
        Ok(Some(start.with_timezone(&Utc)))
    }
}

impl Default for EventZone {
    fn default() -> Self {
        Self(chrono_tz::Asia::Seoul)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("{0:?} is not an IANA time zone")]
    UnknownZone(String),
    #[error(
        "{0:?} is not a date-time (expected e.g. 2025-10-31T09:00 or 2025-10-31T09:00:00+09:00)"
    )]
    Malformed(String),
    #[error("{local} does not exist in {zone} (clocks skip it)")]
    Nonexistent { local: String, zone: &'static str },
    #[error("{local} happens twice in {zone}; give an offset")]
    Ambiguous { local: String, zone: &'static str },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_wall_clock_round_trips_whatever_the_process_zone() {
        let seoul = EventZone::parse("Asia/Seoul").unwrap();
        let instant = seoul.parse_instant("2025-10-31T09:00").unwrap();
        assert_eq!(instant.to_rfc3339(), "2025-10-31T00:00:00+00:00");
        assert_eq!(seoul.format(instant), "2025-10-31T09:00:00+09:00");
    }

    #[test]
    fn offsets_are_taken_as_given() {
        let seoul = EventZone::default();
        let instant = seoul.parse_instant("2025-10-31T09:00:00-04:00").unwrap();
        assert_eq!(seoul.format(instant), "2025-10-31T22:00:00+09:00");
    }

    #[test]
    fn nonexistent_and_ambiguous_local_times_are_refused() {
        let ny = EventZone::parse("America/New_York").unwrap();
        assert!(matches!(
            ny.parse_instant("2025-03-09T02:30"),
            Err(TimeError::Nonexistent { .. })
        ));
        assert!(matches!(
            ny.parse_instant("2025-11-02T01:30"),
            Err(TimeError::Ambiguous { .. })
        ));
        assert!(ny.parse_instant("2025-11-02T03:30").is_ok());
    }

    #[test]
    fn filter_ranges_take_dates_as_whole_days_in_the_zone() {
        let seoul = EventZone::default();
        let from = seoul.range_start("2025-10-31").unwrap();
        assert_eq!(from.to_rfc3339(), "2025-10-30T15:00:00+00:00");
        let to = seoul.range_end("2025-10-31").unwrap();
        assert_eq!(to.to_rfc3339(), "2025-10-31T15:00:00+00:00");
        let at = seoul.range_end("2025-10-31T09:00:00+09:00").unwrap();
        assert_eq!(at.to_rfc3339(), "2025-10-31T00:00:00.000001+00:00");
        assert!(seoul.range_start("31/10/2025").is_err());
    }

    #[test]
    fn unknown_zones_and_garbage_are_refused() {
        assert!(EventZone::parse("Mars/Olympus").is_err());
        assert!(EventZone::default().parse_instant("tomorrow").is_err());
    }
}
