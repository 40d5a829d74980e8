//! Liveness with dependency checks. (Prometheus metrics are served only on `METRICS_ADDR`,
//! never on the public port.)

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use tiketi_core::infra::health::{self, Health};

use crate::{extract::Json, state::AppState};

/// 200 when Postgres, Redis and RabbitMQ all answer; 503 otherwise.
#[utoipa::path(get, path = "/api/health", tag = "ops",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let report = health::check(&state.pool, &state.redis, &state.broker).await;
    let status = if report.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(report))
}
