//! Liveness with dependency checks, and Prometheus metrics.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use metrics_exporter_prometheus::PrometheusHandle;
use tiketi_core::health::{self, Health};

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

/// Prometheus text format.
pub async fn metrics(State(handle): State<PrometheusHandle>) -> impl IntoResponse {
    (
        [("content-type", "text/plain; version=0.0.4")],
        handle.render(),
    )
}
