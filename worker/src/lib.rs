//! The reservation worker. Each partition queue has a single active consumer, so commands
//! of one event arrive in order; the worker takes what has arrived as a batch, locks the
//! seats in Redis (fail fast), lets Postgres decide the batch in one transaction (earlier
//! commands win), relays the seat changes, replies to the api and only then acks. Nothing
//! is acked before it is committed, and a redelivered command gets its recorded decision.
//!
//! One step per module: [`consume`] (connections, partitions, batches), [`decide`] (a
//! batch from delivery to ack), [`lock`] (Redis seat locks), [`announce`] (live deltas and
//! fans' results) and [`reply`] (answers to the api, acks and nacks).

mod announce;
pub mod config;
mod consume;
mod decide;
mod lock;
mod reply;

use std::{sync::Arc, time::Instant};

use sqlx::PgPool;
use tiketi_core::{
    infra::{amqp::Nodes, redis::Keys, redis::RedisConn},
    reservation::{commands::Topology, seat_state::SeatState},
};
use tokio_util::sync::CancellationToken;

pub use config::WorkerConfig;

/// What every partition consumer of a worker shares.
struct Shared {
    config: WorkerConfig,
    pool: PgPool,
    redis: RedisConn,
    seats: SeatState,
    topology: Topology,
    /// The RabbitMQ nodes; a lost connection reconnects to the next one.
    nodes: Nodes,
}

/// Runs until `shutdown`, reconnecting to RabbitMQ with backoff when the connection or a
/// consumer ends.
pub async fn run(
    config: WorkerConfig,
    pool: PgPool,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let redis = tiketi_core::infra::redis::connect(&config.infra).await?;
    let keys = Keys::new(config.infra.redis_prefix.clone());
    let shared = Arc::new(Shared {
        topology: Topology::new(config.infra.amqp_prefix.clone(), config.partitions)
            .with_quorum_group_size(config.infra.amqp_quorum_group_size),
        nodes: Nodes::new(&config.infra.amqp_url),
        seats: SeatState::new(keys),
        config,
        pool,
        redis,
    });
    let mut backoff = std::time::Duration::from_millis(200);
    while !shutdown.is_cancelled() {
        let started = Instant::now();
        match consume::consume(shared.clone(), shutdown.clone()).await {
            Ok(()) => break,
            // A rejected certificate will be rejected again: stop and say why.
            Err(e) if tiketi_core::infra::tls::is_rejected(&e) => return Err(e),
            Err(e) => {
                // A connection that served for a while failed afresh (a node died): fail
                // over to the next node quickly instead of after an old, long backoff.
                if started.elapsed() > std::time::Duration::from_secs(10) {
                    backoff = std::time::Duration::from_millis(200);
                }
                tracing::error!(error = %e, "consumers stopped; reconnecting");
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(std::time::Duration::from_secs(5));
            }
        }
    }
    Ok(())
}
