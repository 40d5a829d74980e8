//! A reservation worker in-process: the same `tiketi_worker::run` the binary runs, on the
//! test's database and prefixes, stopped through its shutdown token like a SIGTERM would.

use std::time::Duration;

use sqlx::PgPool;
use tiketi_api::ApiConfig;
use tiketi_worker::WorkerConfig;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The first of one worker, on the api's infrastructure, holding seats for 5 minutes.
pub fn worker_config(api_config: &ApiConfig) -> WorkerConfig {
    WorkerConfig {
        infra: api_config.infra.clone(),
        metrics_addr: None,
        partitions: api_config.partitions,
        hold_seconds: 300,
        batch_max: 32,
        batch_wait: Duration::from_millis(2),
        lock_ttl: Duration::from_secs(5),
        worker_index: 0,
        worker_count: 1,
    }
}

/// A running worker; dropping it asks it to stop without waiting.
pub struct TestWorker {
    shutdown: CancellationToken,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
}

impl TestWorker {
    /// Starts a worker with `config` on `pool`, stopped by its own token.
    pub fn spawn(config: WorkerConfig, pool: PgPool) -> Self {
        Self::spawn_until(config, pool, CancellationToken::new())
    }

    /// Starts a worker that also stops when `shutdown` is cancelled (one token for a
    /// whole stack).
    pub fn spawn_until(config: WorkerConfig, pool: PgPool, shutdown: CancellationToken) -> Self {
        let handle = tokio::spawn(tiketi_worker::run(config, pool, shutdown.clone()));
        Self {
            shutdown,
            handle: Some(handle),
        }
    }

    /// Asks the worker to stop and waits up to `within` for it to finish its in-flight
    /// batch; returns how its run ended (an error if it did not stop in time).
    pub async fn stop(mut self, within: Duration) -> anyhow::Result<()> {
        self.shutdown.cancel();
        let handle = self.handle.take().expect("a worker is stopped once");
        tokio::time::timeout(within, handle)
            .await
            .map_err(|_| anyhow::anyhow!("worker still running {within:?} after shutdown"))??
    }
}

impl Drop for TestWorker {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
