//! The sweeper in-process: clock-driven work (expiring holds, admitting waiting fans,
//! sending mail) on the test's database and prefixes, ticking fast so tests wait for
//! fractions of a second, not the production intervals.

use std::time::Duration;

use sqlx::PgPool;
use tiketi_api::ApiConfig;
use tiketi_sweeper::{Sweeper, SweeperConfig};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A sweeper that ticks fast and admits waiting fans every 200 ms.
pub fn sweeper_config(api_config: &ApiConfig) -> SweeperConfig {
    SweeperConfig {
        infra: api_config.infra.clone(),
        metrics_addr: None,
        tick: Duration::from_millis(100),
        reconcile_every: Duration::from_secs(3600),
        lease_ttl: Duration::from_secs(5),
        jwt_secret: api_config.jwt_secret.clone(),
        queue_tick: Duration::from_millis(200),
        queue_heartbeat_timeout: Duration::from_secs(30),
        queue_max_admitted_per_step: 1000,
        mail: tiketi_core::mail::sender::MailConfig {
            ticket_keys: tiketi_core::ticket::TicketKeys::new(&api_config.ticket_signing_secret),
            ..mail_config(None)
        },
    }
}

/// Mail settings for tests: SMTP at `smtp_url` (none: disabled), quick retries.
pub fn mail_config(smtp_url: Option<String>) -> tiketi_core::mail::sender::MailConfig {
    tiketi_core::mail::sender::MailConfig {
        smtp_url,
        from: Some("Tiketi <tickets@tiketi.test>".parse().unwrap()),
        hold_reminder: Duration::from_secs(120),
        retry_base: Duration::from_millis(200),
        retry_max: Duration::from_secs(5),
        max_attempts: 50,
        lease: Duration::from_secs(60),
        tick: Duration::from_millis(100),
        batch: 16,
        ticket_keys: tiketi_core::ticket::TicketKeys::new(MAIL_TICKET_SECRET),
    }
}

/// The ticket-signing secret of the mail tests' senders.
pub const MAIL_TICKET_SECRET: &str = "mail-test-ticket-signing-secret";

/// A running sweeper; dropping it asks it to stop without waiting.
pub struct TestSweeper {
    shutdown: CancellationToken,
    handle: Option<JoinHandle<()>>,
}

impl TestSweeper {
    /// Starts a sweeper with `config` on `pool`, stopped by its own token.
    pub async fn spawn(config: SweeperConfig, pool: PgPool) -> anyhow::Result<Self> {
        Self::spawn_until(config, pool, CancellationToken::new()).await
    }

    /// Starts a sweeper that also stops when `shutdown` is cancelled.
    pub async fn spawn_until(
        config: SweeperConfig,
        pool: PgPool,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let sweeper = Sweeper::new(config, pool).await?;
        let handle = tokio::spawn(sweeper.run(shutdown.clone()));
        Ok(Self {
            shutdown,
            handle: Some(handle),
        })
    }

    /// Asks the sweeper to stop and waits up to `within` for it to finish.
    pub async fn stop(mut self, within: Duration) -> anyhow::Result<()> {
        self.shutdown.cancel();
        let handle = self.handle.take().expect("a sweeper is stopped once");
        tokio::time::timeout(within, handle)
            .await
            .map_err(|_| anyhow::anyhow!("sweeper still running {within:?} after shutdown"))??;
        Ok(())
    }
}

impl Drop for TestSweeper {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
