//! The worker's typed configuration.

use std::{net::SocketAddr, time::Duration};

use tiketi_core::infra::config::{optional, ranged, ConfigError, Infra};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub infra: Infra,
    pub metrics_addr: Option<SocketAddr>,
    pub partitions: u16,
    pub hold_seconds: u32,
    /// Most commands decided in one transaction.
    pub batch_max: usize,
    /// How long to wait for more commands once one has arrived.
    pub batch_wait: Duration,
    /// Seat lock lifetime; above the p99 time to decide and commit a batch.
    pub lock_ttl: Duration,
    /// This worker's index among `worker_count`; it subscribes to its share of partitions
    /// first so that workers started together spread the partitions between them.
    pub worker_index: u16,
    pub worker_count: u16,
}

impl WorkerConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let worker_count = ranged("WORKER_COUNT", 1u16, 1..=256)?;
        Ok(Self {
            infra: Infra::from_env()?,
            metrics_addr: optional("METRICS_ADDR")?,
            partitions: ranged("PARTITIONS", 8u16, 1..=256)?,
            hold_seconds: ranged("HOLD_SECONDS", 300u32, 1..=3600)?,
            batch_max: ranged("WORKER_BATCH_MAX", 64usize, 1..=1000)?,
            batch_wait: Duration::from_millis(ranged("WORKER_BATCH_WAIT_MS", 2u64, 0..=1000)?),
            lock_ttl: Duration::from_millis(ranged("SEAT_LOCK_TTL_MS", 2000u64, 100..=60_000)?),
            worker_index: ranged("WORKER_INDEX", 0u16, 0..=255)?.min(worker_count - 1),
            worker_count,
        })
    }
}
