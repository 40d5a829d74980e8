//! The organizer's gate numbers, pushed live: after a scan (or an offline gate's upload)
//! admits a ticket, admins following `admin:<event>` receive `checkin-stats` (sold,
//! admitted, share, per gate) without polling.
//!
//! Coalesced per event: the first admission schedules one push a second later, and every
//! admission until then rides along with it (the numbers are read when it is sent), so an
//! event at a busy gate costs at most one stats read and one message a second per api
//! process, however many tickets are scanned. A push that fails is not retried: the next
//! admission sends fresher numbers, and the dashboard's snapshot read stays the truth.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use sqlx::PgPool;
use tiketi_core::{
    checkin::stats,
    infra::redis::{Keys, RedisConn},
    live::{seat_events, Live},
};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// At most one push per event this often (per api process).
pub const PUSH_EVERY: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct CheckinPush {
    /// Events with a push scheduled.
    pending: Arc<Mutex<HashSet<Uuid>>>,
    pool: PgPool,
    redis: RedisConn,
    keys: Keys,
    shutdown: CancellationToken,
}

impl CheckinPush {
    pub fn new(pool: PgPool, redis: RedisConn, keys: Keys, shutdown: CancellationToken) -> Self {
        Self {
            pending: Arc::default(),
            pool,
            redis,
            keys,
            shutdown,
        }
    }

    /// A ticket of `event_id` was admitted: make sure a push follows.
    pub fn admitted(&self, event_id: Uuid) {
        if !self.lock().insert(event_id) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = this.shutdown.cancelled() => return,
                _ = tokio::time::sleep(PUSH_EVERY) => {}
            }
            // Admissions from here on schedule the next push; this one reads after them.
            this.lock().remove(&event_id);
            if let Err(e) = this.push(event_id).await {
                tracing::warn!(error = %e, %event_id, "checkin-stats was not pushed");
            }
        });
    }

    async fn push(&self, event_id: Uuid) -> anyhow::Result<()> {
        let numbers = stats::LiveNumbers::from(&stats::for_event(&self.pool, event_id).await?);
        let mut redis = self.redis.clone();
        seat_events::publish(&mut redis, &self.keys, &Live::CheckinStats(numbers)).await?;
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<Uuid>> {
        // A set of ids: a panic elsewhere cannot leave it inconsistent.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
