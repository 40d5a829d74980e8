//! Shared state of one api process. Handlers take only the parts they need via `FromRef`.

use std::sync::Arc;

use axum::extract::FromRef;
use metrics_exporter_prometheus::PrometheusHandle;
use redis::aio::ConnectionManager;
use sqlx::PgPool;
use tiketi_core::{amqp::Broker, auth::Tokens, cache::Cache};

use crate::{config::ApiConfig, rate_limit::AuthLimits};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub pool: PgPool,
    pub redis: ConnectionManager,
    pub cache: Cache,
    pub tokens: Tokens,
    pub broker: Arc<Broker>,
    pub config: Arc<ApiConfig>,
    pub limits: Arc<AuthLimits>,
    pub metrics: PrometheusHandle,
}
