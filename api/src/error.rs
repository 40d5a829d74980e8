//! The api's one error type and the envelope every error response uses:
//! `{"error": {"code", "message", "details"}}`. Internal errors are logged with their cause
//! and answered with a generic message, never with SQL, keys or stack traces.

use std::time::Duration;

use axum::{
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde_json::{json, Value};

/// Per-field validation messages, keyed by the JSON field name.
pub type FieldErrors = Vec<(String, String)>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{message}")]
    Unauthorized {
        code: &'static str,
        message: &'static str,
    },
    #[error("{message}")]
    Forbidden {
        code: &'static str,
        message: &'static str,
    },
    #[error("{message}")]
    NotFound {
        code: &'static str,
        message: &'static str,
    },
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        details: Option<Value>,
    },
    #[error("request is invalid")]
    Validation(FieldErrors),
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// The thing asked about existed but is over for good (an expired hold).
    #[error("{message}")]
    Gone {
        code: &'static str,
        message: String,
        details: Option<Value>,
    },
    #[error("the payment was declined; your seats are still held")]
    PaymentDeclined(Value),
    /// A refusal with its own status and code (an upload that is not an image).
    #[error("{message}")]
    Refused {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("request body is too large")]
    PayloadTooLarge,
    #[error("content type must be application/json")]
    UnsupportedMediaType,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("too many requests")]
    RateLimited { retry_after: Duration },
    #[error("service is temporarily unavailable")]
    Unavailable { retry_after: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![(field.into(), message.into())])
    }

    pub fn not_found(what: &'static str) -> Self {
        Self::NotFound {
            code: "NOT_FOUND",
            message: what,
        }
    }

    fn parts(&self) -> (StatusCode, &'static str, Option<Value>) {
        match self {
            Self::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code, None),
            Self::Unauthorized { code, .. } => (StatusCode::UNAUTHORIZED, code, None),
            Self::Forbidden { code, .. } => (StatusCode::FORBIDDEN, code, None),
            Self::NotFound { code, .. } => (StatusCode::NOT_FOUND, code, None),
            Self::Conflict { code, details, .. } => (StatusCode::CONFLICT, code, details.clone()),
            Self::Validation(fields) => {
                let map: serde_json::Map<String, Value> = fields
                    .iter()
                    .map(|(f, m)| (f.clone(), Value::String(m.clone())))
                    .collect();
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "VALIDATION_FAILED",
                    Some(json!({
                        "fields": map,
                        "reasons": crate::error_codes::reasons_of(fields),
                    })),
                )
            }
            Self::Unprocessable { code, .. } => (StatusCode::UNPROCESSABLE_ENTITY, code, None),
            Self::Gone { code, details, .. } => (StatusCode::GONE, code, details.clone()),
            Self::PaymentDeclined(payment) => (
                StatusCode::PAYMENT_REQUIRED,
                "PAYMENT_DECLINED",
                Some(json!({ "payment": payment })),
            ),
            Self::Refused { status, code, .. } => (*status, code, None),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", None),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                None,
            ),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", None),
            Self::RateLimited { retry_after } => (
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                Some(json!({ "retryAfterSeconds": retry_after_secs(*retry_after) })),
            ),
            Self::Unavailable { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", None)
            }
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", None),
        }
    }
}

fn retry_after_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, details) = self.parts();
        // Clients translate codes from the documented list; a new one goes there first.
        debug_assert!(
            crate::error_codes::ERROR_CODES.contains(&code),
            "error code {code} is not in error_codes::ERROR_CODES"
        );
        let message = match &self {
            Self::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "internal error".to_string()
            }
            other => other.to_string(),
        };
        let mut error = json!({ "code": code, "message": message });
        if let Some(details) = details {
            error["details"] = details;
        }
        let mut response = (status, axum::Json(json!({ "error": error }))).into_response();
        let retry = match &self {
            Self::RateLimited { retry_after } => Some(retry_after_secs(*retry_after)),
            Self::Unavailable { retry_after } => Some(*retry_after),
            _ => None,
        };
        if let Some(secs) = retry {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response
    }
}

/// Whether a database error is the database being away or busy for a moment (a restart, a
/// failover, a dropped connection, a retryable conflict): the fan should retry, so it is a
/// 503 with `Retry-After`, not a 500. The cause is still logged by the caller's tracing.
fn db_transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P0x: admin/crash shutdown, cannot connect now;
            // 40001/40P01: serialization failure, deadlock (retrying succeeds).
            code.starts_with("08") || code.starts_with("57P0") || code == "40001" || code == "40P01"
        }),
        _ => false,
    }
}

/// Whether a Redis error is Redis being away for a moment (a dropped connection, a timeout,
/// a cluster failover in progress).
fn redis_transient(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || e.is_timeout()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_cluster_error()
        || matches!(
            e.kind(),
            redis::ErrorKind::TryAgain
                | redis::ErrorKind::ClusterDown
                | redis::ErrorKind::MasterDown
                | redis::ErrorKind::BusyLoadingError
        )
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if db_transient(&e) {
            tracing::warn!(error = %e, "database unavailable; answering 503");
            return Self::Unavailable { retry_after: 1 };
        }
        Self::Internal(e.into())
    }
}

impl From<redis::RedisError> for ApiError {
    fn from(e: redis::RedisError) -> Self {
        if redis_transient(&e) {
            tracing::warn!(error = %e, "redis unavailable; answering 503");
            return Self::Unavailable { retry_after: 1 };
        }
        Self::Internal(e.into())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => {
                Self::Validation(vec![("body".into(), e.body_text())])
            }
            JsonRejection::JsonSyntaxError(_) => Self::BadRequest {
                code: "MALFORMED_JSON",
                message: "request body is not valid JSON".into(),
            },
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMediaType,
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            other => Self::BadRequest {
                code: "BAD_REQUEST",
                message: other.body_text(),
            },
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        Self::BadRequest {
            code: "INVALID_PATH",
            message: "a path parameter is malformed (ids are UUIDs)".into(),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest {
            code: "INVALID_QUERY",
            message: rejection.body_text(),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::response::IntoResponse;

    fn status(e: impl Into<ApiError>) -> StatusCode {
        e.into().into_response().status()
    }

    #[test]
    fn a_backend_away_for_a_moment_is_503_and_a_bug_stays_500() {
        let reset = || std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        assert_eq!(
            status(sqlx::Error::Io(reset())),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status(sqlx::Error::PoolClosed),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status(sqlx::Error::PoolTimedOut),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status(sqlx::Error::RowNotFound),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            status(redis::RedisError::from(reset())),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            status(redis::RedisError::from((
                redis::ErrorKind::TypeError,
                "unexpected reply"
            ))),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
