//! The vocabulary of errors a client can be told, in one place so that it cannot drift from
//! what the handlers send: every envelope `code`, and every field-error `reason` of a 422.
//! The OpenAPI document lists both as string enums, the web app translates each of them
//! (its test fails on a missing one), a debug build refuses to send a code that is not
//! listed here, and a test reads the sources for codes that are not.
//!
//! Field errors are written as English sentences at many boundaries (core's validators,
//! serde, time parsing); rather than carry a second vocabulary through every one of them,
//! [`FieldReason::of`] reads the sentence into a stable reason and its numbers once, at the
//! envelope, and its tests pin every sentence the server writes.

use serde_json::{json, Map, Value};
use utoipa::{
    openapi::{schema::Type, ObjectBuilder, RefOr, Schema},
    PartialSchema, ToSchema,
};

/// Every `error.code` the HTTP api sends, sorted.
pub const ERROR_CODES: &[&str] = &[
    "ADMIN_ONLY",
    "ADMISSION_ENDED",
    "ALREADY_HOLDING",
    "AUTH_REQUIRED",
    "BAD_REQUEST",
    "BLOCK_NOT_FOUND",
    "CHALLENGE_NOT_REQUIRED",
    "CHECKIN_FORBIDDEN",
    "CORRUPT_IMAGE",
    "EMAIL_TAKEN",
    "EVENT_CANCELLED",
    "EVENT_NOT_FOUND",
    "EVENT_NOT_ON_SALE",
    "GATE_MISMATCH",
    "GATE_OTHER_EVENT",
    "IDEMPOTENCY_KEY_REUSED",
    "INTERNAL",
    "INVALID_CREDENTIALS",
    "INVALID_ORDER",
    "INVALID_PATH",
    "INVALID_QUERY",
    "LAYOUT_NAME_TAKEN",
    "LAYOUT_NOT_FOUND",
    "MALFORMED_JSON",
    "METHOD_NOT_ALLOWED",
    "NOT_A_GATE",
    "NOT_A_GENERAL_ADMISSION_EVENT",
    "NOT_A_SEATED_EVENT",
    "NOT_CANCELLABLE",
    "NOT_FOUND",
    "PAYLOAD_TOO_LARGE",
    "PAYMENT_DECLINED",
    "POW_ALREADY_USED",
    "POW_INVALID",
    "POW_REQUIRED",
    "PURCHASE_LIMIT_REACHED",
    "QUEUE_NOT_ENABLED",
    "QUEUE_NOT_JOINED",
    "QUEUE_NOT_OPEN",
    "QUEUE_TOKEN_INVALID",
    "QUEUE_TOKEN_REQUIRED",
    "RATE_LIMITED",
    "REQUEST_EXPIRED",
    "REQUEST_NOT_FOUND",
    "REQUEST_NOT_PROCESSABLE",
    "RESERVATION_ALREADY_PAID",
    "RESERVATION_CANCELLED",
    "RESERVATION_EXPIRED",
    "RESERVATION_NOT_FOUND",
    "RESERVATION_NOT_PAYABLE",
    "ROUTE_NOT_FOUND",
    "SEAT_UNAVAILABLE",
    "SERVICE_UNAVAILABLE",
    "SOLD_OUT",
    "TOKEN_EXPIRED",
    "TOKEN_INVALID",
    "TOKEN_REVOKED",
    "TOO_MANY_PIXELS",
    "UNSUPPORTED_IMAGE_TYPE",
    "UNSUPPORTED_MEDIA_TYPE",
    "VALIDATION_FAILED",
];

/// The schema of `error.code`: a string enum of [`ERROR_CODES`].
pub struct ErrorCode;

impl PartialSchema for ErrorCode {
    fn schema() -> RefOr<Schema> {
        string_enum(
            ERROR_CODES,
            "Stable, machine-readable: what went wrong. Clients translate it; `message` is English for people reading logs.",
        )
    }
}

impl ToSchema for ErrorCode {
    fn name() -> std::borrow::Cow<'static, str> {
        "ErrorCode".into()
    }
}

/// Why one field of a 422 `VALIDATION_FAILED` was refused. Its numbers (`min`, `max`), the
/// allowed values (`allowed`) or the other field it is compared with (`other`) come in
/// `params`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldReason {
    Required,
    TooShort,
    TooLong,
    LengthRange,
    OutOfRange,
    TooMany,
    OneOf,
    InvalidUuid,
    InvalidDatetime,
    UnknownTimezone,
    NonexistentLocalTime,
    AmbiguousLocalTime,
    InvalidEmail,
    WeakPassword,
    ControlCharacters,
    Duplicate,
    UnknownField,
    MustBeBefore,
    MustNotBeAfter,
    MustNotBeBefore,
    InvalidUrl,
    InvalidColour,
    Immutable,
    SeatingChoice,
    EmptyOrder,
    InvalidType,
    NotFound,
    SaleWindow,
    Invalid,
}

impl FieldReason {
    pub const ALL: [FieldReason; 29] = [
        Self::Required,
        Self::TooShort,
        Self::TooLong,
        Self::LengthRange,
        Self::OutOfRange,
        Self::TooMany,
        Self::OneOf,
        Self::InvalidUuid,
        Self::InvalidDatetime,
        Self::UnknownTimezone,
        Self::NonexistentLocalTime,
        Self::AmbiguousLocalTime,
        Self::InvalidEmail,
        Self::WeakPassword,
        Self::ControlCharacters,
        Self::Duplicate,
        Self::UnknownField,
        Self::MustBeBefore,
        Self::MustNotBeAfter,
        Self::MustNotBeBefore,
        Self::InvalidUrl,
        Self::InvalidColour,
        Self::Immutable,
        Self::SeatingChoice,
        Self::EmptyOrder,
        Self::InvalidType,
        Self::NotFound,
        Self::SaleWindow,
        Self::Invalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::LengthRange => "length_range",
            Self::OutOfRange => "out_of_range",
            Self::TooMany => "too_many",
            Self::OneOf => "one_of",
            Self::InvalidUuid => "invalid_uuid",
            Self::InvalidDatetime => "invalid_datetime",
            Self::UnknownTimezone => "unknown_timezone",
            Self::NonexistentLocalTime => "nonexistent_local_time",
            Self::AmbiguousLocalTime => "ambiguous_local_time",
            Self::InvalidEmail => "invalid_email",
            Self::WeakPassword => "weak_password",
            Self::ControlCharacters => "control_characters",
            Self::Duplicate => "duplicate",
            Self::UnknownField => "unknown_field",
            Self::MustBeBefore => "must_be_before",
            Self::MustNotBeAfter => "must_not_be_after",
            Self::MustNotBeBefore => "must_not_be_before",
            Self::InvalidUrl => "invalid_url",
            Self::InvalidColour => "invalid_colour",
            Self::Immutable => "immutable",
            Self::SeatingChoice => "seating_choice",
            Self::EmptyOrder => "empty_order",
            Self::InvalidType => "invalid_type",
            Self::NotFound => "not_found",
            Self::SaleWindow => "sale_window",
            Self::Invalid => "invalid",
        }
    }

    /// Reads a field error's sentence: the reason, and `{min, max, allowed, other}` as it
    /// says them. Sentences nobody taught it read as `invalid`, which clients still show.
    pub fn of(message: &str) -> (FieldReason, Map<String, Value>) {
        let m = message;
        let numbers = numbers(m);
        let mut params = Map::new();
        let range = |params: &mut Map<String, Value>| {
            if let (Some(first), Some(last)) = (numbers.first(), numbers.last()) {
                if numbers.len() > 1 {
                    params.insert("min".into(), json!(first));
                }
                params.insert("max".into(), json!(last));
            }
        };
        let reason = if m.contains("is required") {
            Self::Required
        } else if m.contains("is not a field of this request") {
            Self::UnknownField
        } else if m.contains("is not a date-time") {
            Self::InvalidDatetime
        } else if m.contains("is not an IANA time zone") {
            Self::UnknownTimezone
        } else if m.contains("clocks skip it") {
            Self::NonexistentLocalTime
        } else if m.contains("happens twice in") {
            Self::AmbiguousLocalTime
        } else if m.contains("control characters") || m.contains("NUL characters") {
            Self::ControlCharacters
        } else if m.contains("must be unique")
            || m.contains("appear once")
            || m.contains("is given twice")
        {
            Self::Duplicate
        } else if m.contains("must be a UUID") {
            Self::InvalidUuid
        } else if m.contains("not a valid address") {
            Self::InvalidEmail
        } else if m.contains("must contain a letter and a digit") {
            Self::WeakPassword
        } else if m.contains("http(s) URL") {
            Self::InvalidUrl
        } else if m.contains("#rrggbb") {
            Self::InvalidColour
        } else if m.contains("needs a saleStart") || m.contains("needs the sale window") {
            Self::SaleWindow
        } else if m.starts_with("no such") {
            Self::NotFound
        } else if m.contains("cannot be changed")
            || m.contains("is set from")
            || m.contains("never set by hand")
            || m.starts_with("cancel with POST")
        {
            Self::Immutable
        } else if m.contains("give layoutId") || m.contains("reserved seating only") {
            Self::SeatingChoice
        } else if m.contains("order at least one") {
            Self::EmptyOrder
        } else if let Some(other) = after(m, "must be before ") {
            params.insert("other".into(), json!(other));
            Self::MustBeBefore
        } else if let Some(other) = after(m, "must not be before ") {
            params.insert("other".into(), json!(other));
            Self::MustNotBeBefore
        } else if let Some(other) = after(m, "must be no later than ") {
            params.insert("other".into(), json!(other));
            Self::MustNotBeAfter
        } else if let Some(values) = allowed(m) {
            params.insert("allowed".into(), json!(values));
            Self::OneOf
        } else if m.contains("at least") && m.contains("characters") {
            if let Some(min) = numbers.last() {
                params.insert("min".into(), json!(min));
            }
            Self::TooShort
        } else if m.contains("at most") && m.contains("characters") {
            range(&mut params);
            Self::TooLong
        } else if m.contains(" to ") && m.contains("characters") {
            range(&mut params);
            Self::LengthRange
        } else if m.starts_with("at most") || m.contains("must have") || m.starts_with("choose") {
            range(&mut params);
            Self::TooMany
        } else if m.contains("must be") && !numbers.is_empty() {
            if m.contains("at least") {
                params.insert("min".into(), json!(numbers[0]));
            } else {
                range(&mut params);
            }
            Self::OutOfRange
        } else if m.starts_with("invalid type")
            || m.starts_with("invalid value")
            || m.starts_with("invalid length")
            || m.starts_with("unknown variant")
        {
            Self::InvalidType
        } else {
            Self::Invalid
        };
        (reason, params)
    }
}

/// `details.reasons` of a 422: each refused field's reason and its params.
pub fn reasons_of(fields: &[(String, String)]) -> Value {
    let map: Map<String, Value> = fields
        .iter()
        .map(|(field, message)| {
            let (reason, params) = FieldReason::of(message);
            (
                field.clone(),
                json!({ "reason": reason.as_str(), "params": params }),
            )
        })
        .collect();
    Value::Object(map)
}

/// The schema of a field reason: a string enum of [`FieldReason::ALL`].
pub struct FieldReasonSchema;

impl PartialSchema for FieldReasonSchema {
    fn schema() -> RefOr<Schema> {
        let all: Vec<&str> = FieldReason::ALL.iter().map(|r| r.as_str()).collect();
        string_enum(
            &all,
            "Why a field was refused (in `details.reasons.<field>.reason` of VALIDATION_FAILED).",
        )
    }
}

impl ToSchema for FieldReasonSchema {
    fn name() -> std::borrow::Cow<'static, str> {
        "FieldReason".into()
    }
}

fn string_enum(values: &[&str], description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
        .into()
}

/// The whole numbers a sentence mentions, in order.
fn numbers(m: &str) -> Vec<u64> {
    m.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// The field named after `prefix` (`saleEnd` in "must be before saleEnd").
fn after<'m>(m: &'m str, prefix: &str) -> Option<&'m str> {
    m.split_once(prefix).map(|(_, rest)| rest.trim())
}

/// The values of "must be one of a, b, c" or "must be a, b or c" (no numbers).
fn allowed(m: &str) -> Option<Vec<String>> {
    let list = m.strip_prefix("must be one of ").or_else(|| {
        m.strip_prefix("must be ").filter(|l| {
            l.contains(" or ")
                && numbers(l).is_empty()
                && !l.starts_with("a ")
                && !l.starts_with("an ")
        })
    })?;
    let values: Vec<String> = list
        .split([',', ' '])
        .map(str::trim)
        .filter(|v| !v.is_empty() && *v != "or")
        .map(str::to_string)
        .collect();
    (!values.is_empty()).then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(m: &str) -> (&'static str, Value) {
        let (r, params) = FieldReason::of(m);
        (r.as_str(), Value::Object(params))
    }

    /// Every sentence the server writes into a field error (core's validators, the api's
    /// handlers, serde and the time parser) reads as its reason, never the fallback.
    #[test]
    fn every_field_sentence_reads_as_its_reason() {
        let cases: &[(&str, &str, Value)] = &[
            ("is required", "required", json!({})),
            ("email is required", "required", json!({})),
            ("must be at most 100 characters", "too_long", json!({"max": 100})),
            ("email must be at most 254 characters", "too_long", json!({"max": 254})),
            ("gate must be at most 40 characters", "too_long", json!({"max": 40})),
            ("password must be at least 8 characters", "too_short", json!({"min": 8})),
            ("must be 1 to 30 characters", "length_range", json!({"min": 1, "max": 30})),
            ("must be 1 to 255 visible characters", "length_range", json!({"min": 1, "max": 255})),
            ("header of 1 to 255 characters, or no header", "length_range", json!({"min": 1, "max": 255})),
            ("must be 1 to 100000000 KRW", "out_of_range", json!({"min": 1, "max": 100000000})),
            ("must be 1 to 50", "out_of_range", json!({"min": 1, "max": 50})),
            ("must be 10 to 5000, or null", "out_of_range", json!({"min": 10, "max": 5000})),
            ("must be a whole number from 1 to 100", "out_of_range", json!({"min": 1, "max": 100})),
            ("must be at least 1", "out_of_range", json!({"min": 1})),
            ("at most 4 tickets per order", "too_many", json!({"max": 4})),
            ("at most 5000 seats in all", "too_many", json!({"max": 5000})),
            ("choose 1 to 4 seats", "too_many", json!({"min": 1, "max": 4})),
            ("must have 1 to 20 sections", "too_many", json!({"min": 1, "max": 20})),
            ("must have 3 to 32 points", "too_many", json!({"min": 3, "max": 32})),
            (
                "must have at most 10 aisles, ascending, each below seatsPerRow",
                "too_many",
                json!({"max": 10}),
            ),
            (
                "points must be within 0 to 1000",
                "out_of_range",
                json!({"min": 0, "max": 1000}),
            ),
            ("must be ko or en", "one_of", json!({"allowed": ["ko", "en"]})),
            ("must be rate or max_active", "one_of", json!({"allowed": ["rate", "max_active"]})),
            ("must be naver_pay, kakao_pay or bank_transfer", "one_of",
             json!({"allowed": ["naver_pay", "kakao_pay", "bank_transfer"]})),
            ("must be one of upcoming, on_sale, ended", "one_of",
             json!({"allowed": ["upcoming", "on_sale", "ended"]})),
            ("must be a UUID", "invalid_uuid", json!({})),
            ("\"\" is not a date-time (expected e.g. 2025-10-31T09:00 or 2025-10-31T09:00:00+09:00)",
             "invalid_datetime", json!({})),
            ("\"Mars/Base\" is not an IANA time zone", "unknown_timezone", json!({})),
            ("2026-03-08T02:30 does not exist in America/New_York (clocks skip it)",
             "nonexistent_local_time", json!({})),
            ("2026-11-01T01:30 happens twice in America/New_York; give an offset",
             "ambiguous_local_time", json!({})),
            ("email is not a valid address", "invalid_email", json!({})),
            ("password must contain a letter and a digit", "weak_password", json!({})),
            ("name must not contain control characters", "control_characters", json!({})),
            ("text may not contain NUL characters", "control_characters", json!({})),
            ("must be unique", "duplicate", json!({})),
            ("each seat may appear once", "duplicate", json!({})),
            ("is given twice", "duplicate", json!({})),
            ("is not a field of this request (expected `a`, `b`)", "unknown_field", json!({})),
            ("must be before saleEnd", "must_be_before", json!({"other": "saleEnd"})),
            ("must be no later than startsAt", "must_not_be_after", json!({"other": "startsAt"})),
            ("must not be before from", "must_not_be_before", json!({"other": "from"})),
            ("must be an http(s) URL or a path starting with /, at most 2000 characters",
             "invalid_url", json!({})),
            ("must be a #rrggbb colour", "invalid_colour", json!({})),
            ("cannot be changed once the event exists", "immutable", json!({})),
            ("is set from the sale window on create", "immutable", json!({})),
            ("give layoutId (reserved seating) or ticketTypes (general admission), not both",
             "seating_choice", json!({})),
            ("order at least one ticket", "empty_order", json!({})),
            ("reserved seating only (layoutId)", "seating_choice", json!({})),
            ("no such grade in the layout", "not_found", json!({})),
            ("no such layout", "not_found", json!({})),
            ("upcoming needs a saleStart in the future", "sale_window", json!({})),
            ("on_sale needs the sale window (saleStart to saleEnd) to include now", "sale_window",
             json!({})),
            ("unknown variant `x`, expected `a` or `b`", "invalid_type", json!({})),
            ("sold_out follows availability; it is never set by hand", "immutable", json!({})),
            ("cancel with POST /api/admin/events/{id}/cancel, which refunds every reservation",
             "immutable", json!({})),
            ("invalid type: string \"x\", expected i64", "invalid_type", json!({})),
            ("something nobody wrote yet", "invalid", json!({})),
        ];
        for (message, want, params) in cases {
            assert_eq!(reason(message), (*want, params.clone()), "{message}");
        }
    }

    #[test]
    fn the_lists_are_sorted_and_unique() {
        let mut sorted = ERROR_CODES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, ERROR_CODES);
        let mut reasons: Vec<&str> = FieldReason::ALL.iter().map(|r| r.as_str()).collect();
        reasons.sort_unstable();
        reasons.dedup();
        assert_eq!(reasons.len(), FieldReason::ALL.len());
    }

    /// Codes are literals scattered over the handlers and core's errors: read every
    /// source file for a literal in a code position (`code: "X"`, `StatusCode::S, "X"`,
    /// a match arm `=> "X"`) and require it in [`ERROR_CODES`].
    #[test]
    fn every_code_in_the_sources_is_listed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["api/src", "core/src"] {
            collect_rs(&root.join(dir), &mut files);
        }
        let mut found = std::collections::BTreeSet::new();
        for file in &files {
            // Infrastructure literals (Redis commands) never reach an envelope.
            if file.components().any(|c| c.as_os_str() == "infra") {
                continue;
            }
            let text = std::fs::read_to_string(file).unwrap();
            let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for code in codes_in(&text) {
                found.insert(code);
            }
        }
        assert!(found.len() > 40, "the scan finds the codes: {found:?}");
        let missing: Vec<_> = found
            .iter()
            .filter(|c| !ERROR_CODES.contains(&c.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "codes sent but not listed in ERROR_CODES: {missing:?}"
        );
    }

    fn collect_rs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect_rs(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    fn codes_in(text: &str) -> Vec<String> {
        let mut codes = Vec::new();
        for (i, _) in text.match_indices('"') {
            let rest = &text[i + 1..];
            let Some(end) = rest.find('"') else { continue };
            let literal = &rest[..end];
            let is_code = literal.len() > 2
                && literal.contains('_') | (literal == "INTERNAL")
                && literal
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                && literal.starts_with(|c: char| c.is_ascii_uppercase());
            if !is_code {
                continue;
            }
            let before = text[..i].trim_end();
            let in_code_position = before.ends_with("code:")
                || before.ends_with("=>")
                || before
                    .strip_suffix(',')
                    .and_then(|b| b.rsplit(' ').next())
                    .is_some_and(|w| w.trim_start_matches('(').starts_with("StatusCode::"));
            if in_code_position {
                codes.push(literal.to_string());
            }
        }
        codes
    }
}
