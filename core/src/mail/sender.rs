//! The sender: claims due outbox rows (`FOR UPDATE SKIP LOCKED`, so any number of sweeper
//! processes can run one), sends each over SMTP and records the outcome. Failures the
//! server calls temporary, and connection failures, are retried with exponential backoff
//! and jitter; a permanent refusal (5xx) or the last allowed attempt ends the row as
//! `failed`. Without `SMTP_URL` the outbox still fills and nothing is claimed.

use std::time::Duration;

use futures::StreamExt;
use lettre::{message::Mailbox, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rand::Rng;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::{compose, outbox, outbox::Claimed};
use crate::{
    infra::config::{optional, ranged, ConfigError},
    ticket::TicketKeys,
};

/// How many rows one sender sends at the same time.
const CONCURRENCY: usize = 4;

#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://user:pass@host:587?tls=required` or `smtps://…:465`; `None` disables sending.
    pub smtp_url: Option<String>,
    pub from: Option<Mailbox>,
    /// How long before a hold ends its fan is reminded.
    pub hold_reminder: Duration,
    /// The first retry's delay; each further one doubles it, up to `retry_max`.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Attempts after which a row that keeps failing is given up as `failed`.
    pub max_attempts: u32,
    /// How long a claimed row is a sender's; it must outlast one SMTP exchange.
    pub lease: Duration,
    /// How often the outbox is looked at.
    pub tick: Duration,
    /// Rows claimed at once.
    pub batch: i64,
    /// Signs the tickets a confirmation carries (the same secret as the api's).
    pub ticket_keys: TicketKeys,
}

impl MailConfig {
    /// The settings from the environment; `ticket_keys` from `TICKET_SIGNING_SECRET`, which
    /// the caller reads with the rules of its process (`infra::config::ticket_signing_secret`).
    pub fn from_env(ticket_keys: TicketKeys) -> Result<Self, ConfigError> {
        let smtp_url: Option<String> = optional("SMTP_URL")?;
        let from: Option<Mailbox> = optional("MAIL_FROM")?;
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError::Invalid {
                    name: "SMTP_URL",
                    value: "(hidden: it may hold a password)".into(),
                    reason: "must start with smtp:// or smtps://".into(),
                });
            }
            if from.is_none() {
                return Err(ConfigError::Missing {
                    name: "MAIL_FROM",
                    hint: " (the sender address, e.g. \"Tiketi <tickets@example.com>\", is needed when SMTP_URL is set)",
                });
            }
        }
        Ok(Self {
            smtp_url,
            from,
            hold_reminder: Duration::from_secs(ranged(
                "MAIL_HOLD_REMINDER_SECONDS",
                120u64,
                10..=3600,
            )?),
            retry_base: Duration::from_millis(ranged(
                "MAIL_RETRY_BASE_MS",
                5_000u64,
                10..=600_000,
            )?),
            retry_max: Duration::from_secs(ranged("MAIL_RETRY_MAX_SECONDS", 3_600u64, 1..=86_400)?),
            max_attempts: ranged("MAIL_MAX_ATTEMPTS", 20u32, 1..=1000)?,
            lease: Duration::from_secs(ranged("MAIL_LEASE_SECONDS", 300u64, 30..=3600)?),
            tick: Duration::from_secs(1),
            batch: 16,
            ticket_keys,
        })
    }

    /// The delay before retry number `attempt` (1 = after the first failure): doubling
    /// from `retry_base`, capped at `retry_max`, then a random 50–100 % of it so that rows
    /// which failed together do not all come back together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .retry_base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.retry_max);
        exp.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
    }

    /// One SMTP exchange may take this long; well inside the lease, so a slow server never
    /// makes a row look abandoned.
    fn smtp_timeout(&self) -> Duration {
        (self.lease / 4).min(Duration::from_secs(60))
    }
}

pub struct Sender {
    pool: PgPool,
    config: MailConfig,
    smtp: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub skipped: usize,
}

enum Outcome {
    Sent,
    Retry(String),
    Failed(String),
    Skipped(&'static str),
}

impl Sender {
    pub fn new(pool: PgPool, config: MailConfig) -> anyhow::Result<Self> {
        let smtp = match (&config.smtp_url, &config.from) {
            (Some(url), Some(from)) => {
                let transport = crate::infra::tls::smtp_transport(url)?
                    .timeout(Some(config.smtp_timeout()))
                    .build();
                Some((transport, from.clone()))
            }
            _ => None,
        };
        Ok(Self { pool, config, smtp })
    }

    pub fn enabled(&self) -> bool {
        self.smtp.is_some()
    }

    /// Sends until `shutdown`; any number of these may run against one database.
    pub async fn run(self, shutdown: CancellationToken) {
        if !self.enabled() {
            tracing::warn!(
                "SMTP_URL is not set: e-mail is disabled; the outbox keeps filling and is sent once it is set"
            );
        }
        let mut tick = tokio::time::interval(self.config.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_gauges = tokio::time::Instant::now() - Duration::from_secs(5);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            if self.enabled() {
                // A full batch means more is due: keep going until the queue is drained.
                loop {
                    match self.send_due().await {
                        Ok(pass) if pass.total() as i64 >= self.config.batch => {
                            if shutdown.is_cancelled() {
                                break;
                            }
                        }
                        Ok(_) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "sending mail failed");
                            break;
                        }
                    }
                }
            }
            if last_gauges.elapsed() >= Duration::from_secs(5) {
                last_gauges = tokio::time::Instant::now();
                if let Err(e) = self.record_depth().await {
                    tracing::warn!(error = %e, "reading the mail queue's depth failed");
                }
            }
        }
    }

    /// Claims one batch of due rows and sends them.
    pub async fn send_due(&self) -> anyhow::Result<Pass> {
        let Some((transport, from)) = &self.smtp else {
            return Ok(Pass::default());
        };
        let claimed = outbox::claim(
            &self.pool,
            self.config.batch,
            self.config.lease,
            Uuid::new_v4(),
        )
        .await?;
        let outcomes: Vec<(Claimed, Outcome)> = futures::stream::iter(claimed)
            .map(|row| async move {
                let outcome = self.attempt(transport, from, &row).await;
                (row, outcome)
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut pass = Pass::default();
        for (row, outcome) in outcomes {
            self.record(&row, outcome, &mut pass).await?;
        }
        Ok(pass)
    }

    async fn attempt(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        from: &Mailbox,
        row: &Claimed,
    ) -> Outcome {
        let details = match compose::load(&self.pool, &self.config.ticket_keys, row.id).await {
            Ok(Some(d)) => d,
            Ok(None) => return Outcome::Skipped("the row is gone"),
            Err(e) => return Outcome::Retry(format!("reading the mail's details failed: {e}")),
        };
        if !details.applies {
            return Outcome::Skipped(
                "no longer applies: the reservation moved on before it was sent",
            );
        }
        // Rendering the tickets' PDF is CPU work: off the async workers.
        let sender = from.clone();
        let composed =
            tokio::task::spawn_blocking(move || compose::message(&details, &sender)).await;
        let message = match composed {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => return Outcome::Failed(e.to_string()),
            Err(e) => return Outcome::Retry(format!("composing the mail stopped: {e}")),
        };
        match transport.send(message).await {
            Ok(_) => Outcome::Sent,
            Err(e) if e.is_permanent() => {
                Outcome::Failed(format!("refused by the SMTP server: {e}"))
            }
            Err(e) => Outcome::Retry(e.to_string()),
        }
    }

    async fn record(&self, row: &Claimed, outcome: Outcome, pass: &mut Pass) -> anyhow::Result<()> {
        let kind = row.kind.as_str();
        let owned = match outcome {
            Outcome::Sent => {
                pass.sent += 1;
                metrics::counter!("tiketi_mail_sent_total", "kind" => kind).increment(1);
                outbox::mark_sent(&self.pool, row).await?
            }
            Outcome::Skipped(why) => {
                pass.skipped += 1;
                metrics::counter!("tiketi_mail_skipped_total", "kind" => kind).increment(1);
                outbox::mark_skipped(&self.pool, row, why).await?
            }
            Outcome::Failed(error) => {
                pass.failed += 1;
                tracing::warn!(mail_id = %row.id, kind, error, "mail failed permanently");
                metrics::counter!("tiketi_mail_failed_total", "kind" => kind, "reason" => "permanent")
                    .increment(1);
                outbox::mark_failed(&self.pool, row, &error).await?
            }
            Outcome::Retry(error) if row.attempts as u32 >= self.config.max_attempts => {
                pass.failed += 1;
                tracing::warn!(mail_id = %row.id, kind, attempts = row.attempts, error, "mail given up");
                metrics::counter!("tiketi_mail_failed_total", "kind" => kind, "reason" => "attempts")
                    .increment(1);
                outbox::mark_failed(&self.pool, row, &error).await?
            }
            Outcome::Retry(error) => {
                pass.retried += 1;
                let delay = self.config.backoff(row.attempts as u32);
                tracing::info!(mail_id = %row.id, kind, attempts = row.attempts, retry_in_ms = delay.as_millis() as u64, error, "mail will be retried");
                metrics::counter!("tiketi_mail_retries_total", "kind" => kind).increment(1);
                outbox::mark_retry(&self.pool, row, delay, &error).await?
            }
        };
        if !owned {
            tracing::warn!(mail_id = %row.id, kind, "the mail's lease ran out before its outcome was recorded; another sender owns it");
        }
        Ok(())
    }

    /// Queue depth and the age of the oldest unsent mail, as gauges.
    pub async fn record_depth(&self) -> anyhow::Result<outbox::Depth> {
        let depth = outbox::depth(&self.pool).await?;
        metrics::gauge!("tiketi_mail_queue_depth").set(depth.unsent as f64);
        let age = depth
            .oldest
            .map(|t| (depth.now - t).num_milliseconds().max(0) as f64 / 1000.0)
            .unwrap_or(0.0);
        metrics::gauge!("tiketi_mail_oldest_pending_seconds").set(age);
        Ok(depth)
    }
}

impl Pass {
    pub fn total(&self) -> usize {
        self.sent + self.retried + self.failed + self.skipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> MailConfig {
        MailConfig {
            smtp_url: None,
            from: None,
            hold_reminder: Duration::from_secs(120),
            retry_base: Duration::from_secs(1),
            retry_max: Duration::from_secs(60),
            max_attempts: 20,
            lease: Duration::from_secs(300),
            tick: Duration::from_secs(1),
            batch: 16,
            ticket_keys: TicketKeys::new("sender-test-ticket-secret"),
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap() {
        let c = config();
        for (attempt, full) in [(1u32, 1u64), (2, 2), (3, 4), (6, 32), (7, 60), (40, 60)] {
            for _ in 0..50 {
                let d = c.backoff(attempt);
                assert!(
                    d >= Duration::from_millis(full * 500) && d <= Duration::from_secs(full),
                    "attempt {attempt}: {d:?}"
                );
            }
        }
    }
}
