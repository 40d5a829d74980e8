//! The sweeper: everything driven by the clock. One instance holds a Redis lease and works;
//! others stand by. Each job is idempotent (conditional updates by the database clock), so
//! a lease that lapses mid-job and a second sweeper starting cannot do harm.

mod admission;

use std::time::Duration;

use sqlx::PgPool;
use tiketi_core::infra::redis::RedisConn;
use tiketi_core::{
    event::{self, EventStatus},
    infra::cache::Cache,
    infra::config::{optional, ranged, ConfigError, Infra},
    infra::lease::Lease,
    infra::redis::Keys,
    live::{seat_events, Live},
    mail::{
        self,
        sender::{MailConfig, Sender},
    },
    reservation,
    reservation::seat_state::{self, SeatState},
    ticket::TicketKeys,
    waiting_room::admission::Admissions,
    waiting_room::WaitingRoom,
};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct SweeperConfig {
    pub infra: Infra,
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// How often holds are expired; expiry happens within about this long of `expires_at`.
    pub tick: Duration,
    pub reconcile_every: Duration,
    pub lease_ttl: Duration,
    /// Signs the admission tokens sent to admitted fans.
    pub jwt_secret: String,
    /// How often waiting rooms admit the next fans.
    pub queue_tick: Duration,
    /// A waiting fan who has not asked for their status this long is dropped from line.
    pub queue_heartbeat_timeout: Duration,
    /// Most fans one event admits in one step.
    pub queue_max_admitted_per_step: u32,
    /// The mail outbox's sender (it runs in every sweeper, leader or not) and reminders.
    pub mail: MailConfig,
}

impl SweeperConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let infra = Infra::from_env()?;
        let metrics_addr: Option<std::net::SocketAddr> = optional("METRICS_ADDR")?;
        Ok(Self {
            jwt_secret: tiketi_core::infra::config::jwt_secret(
                infra.environment,
                metrics_addr.as_slice(),
            )?,
            queue_tick: Duration::from_millis(ranged("QUEUE_TICK_MS", 1000u64, 50..=10_000)?),
            queue_heartbeat_timeout: Duration::from_secs(ranged(
                "QUEUE_HEARTBEAT_TIMEOUT_SECONDS",
                30u64,
                5..=3600,
            )?),
            queue_max_admitted_per_step: ranged(
                "QUEUE_MAX_ADMITTED_PER_STEP",
                1000u32,
                1..=100_000,
            )?,
            mail: MailConfig::from_env(TicketKeys::new(
                &tiketi_core::infra::config::ticket_signing_secret(
                    infra.environment,
                    metrics_addr.as_slice(),
                )?,
            ))?,
            infra,
            metrics_addr,
            tick: Duration::from_millis(ranged("SWEEPER_TICK_MS", 250u64, 10..=60_000)?),
            reconcile_every: Duration::from_secs(ranged(
                "RECONCILE_EVERY_SECONDS",
                30u64,
                1..=3600,
            )?),
            lease_ttl: Duration::from_millis(ranged("SWEEPER_LEASE_MS", 5000u64, 500..=60_000)?),
        })
    }
}

pub struct Sweeper {
    pool: PgPool,
    redis: RedisConn,
    keys: Keys,
    seats: SeatState,
    cache: Cache,
    room: WaitingRoom,
    admissions: Admissions,
    /// Taken out by `run`, which runs it beside the clock's jobs.
    mail: Option<Sender>,
    config: SweeperConfig,
}

impl Sweeper {
    pub async fn new(config: SweeperConfig, pool: PgPool) -> anyhow::Result<Self> {
        let redis = tiketi_core::infra::redis::connect(&config.infra).await?;
        let keys = Keys::new(config.infra.redis_prefix.clone());
        Ok(Self {
            seats: SeatState::new(keys.clone()),
            cache: Cache::new(redis.clone(), keys.clone(), Duration::from_millis(1)),
            room: WaitingRoom::new(keys.clone()),
            admissions: Admissions::new(&config.jwt_secret),
            mail: Some(Sender::new(pool.clone(), config.mail.clone())?),
            keys,
            redis,
            pool,
            config,
        })
    }

    /// Works while it holds the lease, until `shutdown`; sends mail all along, leader or
    /// not (senders share the outbox by skipping each other's rows).
    pub async fn run(mut self, shutdown: CancellationToken) {
        let mailer = self
            .mail
            .take()
            .map(|sender| tokio::spawn(sender.run(shutdown.clone())));
        let lease = Lease::new(self.keys.sweeper_lease(), self.config.lease_ttl);
        let mut redis = self.redis.clone();
        let mut tick = tokio::time::interval(self.config.tick);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_second = tokio::time::Instant::now() - Duration::from_secs(1);
        let mut last_reconcile = tokio::time::Instant::now() - self.config.reconcile_every;
        let mut last_admission = tokio::time::Instant::now() - self.config.queue_tick;
        let mut rooms = admission::Rooms::default();
        let mut leading = false;
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            let held = lease.hold(&mut redis).await;
            if held != leading {
                tracing::info!(leading = held, "sweeper lease changed");
                leading = held;
            }
            metrics::gauge!("tiketi_sweeper_leader").set(if held { 1.0 } else { 0.0 });
            if !held {
                continue;
            }
            if let Err(e) = self.expire().await {
                tracing::warn!(error = %e, "expiring holds failed");
            }
            if last_admission.elapsed() >= self.config.queue_tick {
                last_admission = tokio::time::Instant::now();
                if let Err(e) = self.admit(&mut rooms).await {
                    tracing::warn!(error = %e, "waiting-room admission failed");
                }
            }
            if last_second.elapsed() >= Duration::from_secs(1) {
                last_second = tokio::time::Instant::now();
                for (name, result) in [
                    ("warnings", self.warn_expiring().await),
                    ("reminders", self.remind_expiring().await),
                    ("statuses", self.advance_statuses().await.map(|_| ())),
                    ("outbox", self.relay_stale().await),
                    ("requests", self.prune_requests().await.map(|_| ())),
                ] {
                    if let Err(e) = result {
                        tracing::warn!(job = name, error = %e, "sweeper job failed");
                    }
                }
            }
            if last_reconcile.elapsed() >= self.config.reconcile_every {
                last_reconcile = tokio::time::Instant::now();
                if let Err(e) = self.reconcile().await {
                    tracing::warn!(error = %e, "reconciling seat state failed");
                }
            }
        }
        lease.give_up(&mut redis).await;
        if let Some(mailer) = mailer {
            let _ = mailer.await;
        }
    }

    /// Expires due holds (freeing only seats they still hold) and tells their fans.
    pub async fn expire(&self) -> anyhow::Result<usize> {
        let released = reservation::expire_due(&self.pool, 500).await?;
        let mut redis = self.redis.clone();
        seat_events::relay(&self.pool, &mut redis, &self.seats, &released.outbox).await?;
        for (user, reservation) in &released.users {
            let expired = Live::HoldExpired {
                user_id: *user,
                reservation_id: *reservation,
            };
            let _ = seat_events::publish(&mut redis, &self.keys, &expired).await;
        }
        metrics::counter!("tiketi_holds_expired_total").increment(released.users.len() as u64);
        Ok(released.users.len())
    }

    /// One minute before a hold ends, its fan hears about it (once).
    pub async fn warn_expiring(&self) -> anyhow::Result<()> {
        let mut redis = self.redis.clone();
        for (user, reservation, expires_at) in
            reservation::take_expiry_warnings(&self.pool, Duration::from_secs(60)).await?
        {
            let expiring = Live::HoldExpiring {
                user_id: user,
                reservation_id: reservation,
                expires_at,
            };
            let _ = seat_events::publish(&mut redis, &self.keys, &expiring).await;
        }
        Ok(())
    }

    /// Queues the hold-expiring e-mail for holds ending within the reminder window (once
    /// per hold: the outbox refuses a second one).
    pub async fn remind_expiring(&self) -> anyhow::Result<()> {
        let queued =
            mail::outbox::enqueue_hold_reminders(&self.pool, self.config.mail.hold_reminder)
                .await?;
        if queued > 0 {
            tracing::debug!(queued, "hold reminders queued");
        }
        Ok(())
    }

    /// Moves events between statuses at their times and tells their watchers.
    pub async fn advance_statuses(&self) -> anyhow::Result<Vec<(Uuid, EventStatus)>> {
        let changed = event::advance_statuses(&self.pool).await?;
        let mut redis = self.redis.clone();
        for (event_id, status) in &changed {
            tracing::info!(%event_id, status = status.as_str(), "event status changed");
            self.cache.invalidate_event(*event_id).await?;
            let moved = Live::EventStatus {
                event_id: *event_id,
                status: *status,
            };
            let _ = seat_events::publish(&mut redis, &self.keys, &moved).await;
        }
        Ok(changed)
    }

    pub async fn relay_stale(&self) -> anyhow::Result<()> {
        let mut redis = self.redis.clone();
        let n =
            seat_events::relay_stale(&self.pool, &mut redis, &self.seats, Duration::from_secs(2))
                .await?;
        if n > 0 {
            tracing::warn!(rows = n, "relayed seat events a writer left behind");
        }
        sqlx::query!("DELETE FROM outbox WHERE published_at < now() - interval '1 hour'")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes reservation request records past the idempotency horizon, so a fan's
    /// requests leave nothing behind for good (winners stay findable by their reservation).
    pub async fn prune_requests(&self) -> anyhow::Result<u64> {
        let mut total = 0;
        loop {
            let n = reservation::prune_requests(&self.pool, 5_000).await?;
            total += n;
            if n < 5_000 {
                return Ok(total);
            }
        }
    }

    /// Makes Redis's seat state agree with Postgres for every event on sale, counting drift.
    pub async fn reconcile(&self) -> anyhow::Result<usize> {
        let ids = sqlx::query_scalar!(
            "SELECT id FROM events WHERE seating = 'reserved' AND status IN ('on_sale', 'sold_out', 'upcoming')",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut redis = self.redis.clone();
        let mut total = 0;
        for id in ids {
            let drift = seat_state::reconcile(&self.pool, &mut redis, &self.seats, id).await?;
            if drift > 0 {
                tracing::warn!(event_id = %id, drift, "seat state drifted from the database; repaired");
            }
            total += drift;
        }
        metrics::counter!("tiketi_seat_state_drift_total").increment(total as u64);
        metrics::gauge!("tiketi_seat_state_drift_last").set(total as f64);
        Ok(total)
    }
}
