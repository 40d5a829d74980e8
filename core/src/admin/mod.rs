//! What organizers do: create and edit events and seat layouts, cancel events with refunds,
//! look through reservations, watch sales live. Every write checks its whole input into
//! per-field errors first, and records its audit entry in its own transaction.

pub mod audit_log;
pub mod dashboard;
pub mod events;
pub mod exports;
pub mod grade_prices;
pub mod layouts;
pub mod reservations;
pub mod sales;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{event::time::EventZone, event::Pagination};

/// Field-level problems, keyed like the JSON input (`ticketTypes[1].price`).
pub type FieldErrors = Vec<(String, String)>;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("request is invalid")]
    Invalid(FieldErrors),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl AdminError {
    fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![(field.to_string(), message.into())])
    }
}

/// A page of an admin list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: u32,
    pub limit: u32,
}

impl Page {
    pub const MAX_LIMIT: u32 = 100;
    pub const DEFAULT_LIMIT: u32 = 20;

    fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.limit)
    }

    fn pagination(&self, total: i64) -> Pagination {
        let limit = i64::from(self.limit);
        Pagination {
            page: self.page,
            limit: self.limit,
            total,
            total_pages: (total + limit - 1) / limit,
        }
    }
}

/// Reads the query-string filters of the admin lists, collecting every problem.
#[derive(Debug, Default)]
struct Filters {
    errors: FieldErrors,
}

/// Filter dates without an offset are read in the platform's home zone.
const FILTER_ZONE: EventZone = EventZone::SEOUL;

fn present(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Filters {
    fn page(&mut self, page: &Option<String>, limit: &Option<String>) -> Page {
        Page {
            page: self.number("page", page, 1, 100_000),
            limit: self.number("limit", limit, Page::DEFAULT_LIMIT, Page::MAX_LIMIT),
        }
    }

    fn number(&mut self, field: &str, raw: &Option<String>, default: u32, max: u32) -> u32 {
        match present(raw) {
            None => default,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    self.errors.push((
                        field.into(),
                        format!("must be a whole number from 1 to {max}"),
                    ));
                    default
                }
            },
        }
    }

    fn uuid(&mut self, field: &str, raw: &Option<String>) -> Option<Uuid> {
        let s = present(raw)?;
        Uuid::parse_str(s)
            .map_err(|_| self.errors.push((field.into(), "must be a UUID".into())))
            .ok()
    }

    fn one_of(&mut self, field: &str, raw: &Option<String>, allowed: &[&str]) -> Option<String> {
        let s = present(raw)?;
        if allowed.contains(&s) {
            Some(s.to_string())
        } else {
            self.errors.push((
                field.into(),
                format!("must be one of {}", allowed.join(", ")),
            ));
            None
        }
    }

    fn text(&mut self, field: &str, raw: &Option<String>, max: usize) -> Option<String> {
        let s = present(raw)?;
        if s.chars().count() > max {
            self.errors
                .push((field.into(), format!("must be at most {max} characters")));
            return None;
        }
        Some(s.to_string())
    }

    /// `from`: an instant, or a date meaning its first instant (Asia/Seoul).
    fn from(&mut self, field: &str, raw: &Option<String>) -> Option<DateTime<Utc>> {
        let s = present(raw)?;
        FILTER_ZONE
            .range_start(s)
            .map_err(|e| self.errors.push((field.into(), e.to_string())))
            .ok()
    }

    /// `to`: an instant (included), or a date meaning through the end of that day.
    fn until(&mut self, field: &str, raw: &Option<String>) -> Option<DateTime<Utc>> {
        let s = present(raw)?;
        FILTER_ZONE
            .range_end(s)
            .map_err(|e| self.errors.push((field.into(), e.to_string())))
            .ok()
    }

    fn range(&mut self, from: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) {
        if let (Some(f), Some(u)) = (from, until) {
            if f >= u {
                self.errors
                    .push(("to".into(), "must not be before from".into()));
            }
        }
    }

    fn finish<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// `s` trimmed, checked to be `min..=max` characters long.
fn bounded(
    errors: &mut FieldErrors,
    field: &str,
    s: &str,
    min: usize,
    max: usize,
) -> Option<String> {
    let t = s.trim();
    let n = t.chars().count();
    if n < min || n > max {
        errors.push((
            field.into(),
            if min == 0 {
                format!("must be at most {max} characters")
            } else {
                format!("must be {min} to {max} characters")
            },
        ));
        return None;
    }
    Some(t.to_string())
}
