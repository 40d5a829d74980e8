//! Keeping hot read caches fresh while seats change (the plan's Pain Point 4): when an
//! event's seats or stock change, its seat map, block summary and detail are rebuilt and replaced in the
//! cache, at most once per interval per event across all api instances, so readers get a
//! fresh body from a cache hit instead of a miss or a minute-old count.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use redis::AsyncCommands;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use sqlx::PgPool;
use tiketi_core::infra::{cache::Cache, redis::RedisConn};

use crate::config::CacheTtls;

/// What the refresher reads and writes: the database, Redis and the cache.
#[derive(Clone)]
pub struct Sources {
    pub pool: PgPool,
    pub redis: RedisConn,
    pub cache: Cache,
    pub ttls: CacheTtls,
}

#[derive(Clone, Default)]
pub struct Refresher {
    dirty: Arc<Mutex<HashSet<Uuid>>>,
}

impl Refresher {
    pub fn changed(&self, event_id: Uuid) {
        self.dirty.lock().expect("dirty lock").insert(event_id);
    }

    pub async fn run(self, state: Sources, every: Duration, shutdown: CancellationToken) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut lists_refreshed = tokio::time::Instant::now();
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            let events: Vec<Uuid> = self.dirty.lock().expect("dirty lock").drain().collect();
            if events.is_empty() {
                continue;
            }
            for event_id in events {
                match refresh(&state, event_id, every).await {
                    Ok(true) => {}
                    // Another instance refreshed within this interval, possibly before our
                    // change: stay dirty and try again next tick.
                    Ok(false) => self.changed(event_id),
                    Err(e) => {
                        tracing::warn!(error = %e, %event_id, "cache refresh failed");
                        self.changed(event_id);
                    }
                }
            }
            // Lists only show counts: dropping them every few seconds is enough.
            if lists_refreshed.elapsed() > Duration::from_secs(2) {
                lists_refreshed = tokio::time::Instant::now();
                let _ = state.cache.invalidate_lists().await;
            }
        }
    }
}

/// Rebuilds the event's cached seat map and detail; `false` when another instance holds
/// this interval's turn.
async fn refresh(state: &Sources, event_id: Uuid, every: Duration) -> anyhow::Result<bool> {
    // One instance per interval does the work; the others pick its result from Redis.
    let mut redis = state.redis.clone();
    let lock = format!("{}:refresh", state.cache.keys().seat_map(event_id));
    let won: bool = redis::cmd("SET")
        .arg(&lock)
        .arg(1)
        .arg("NX")
        .arg("PX")
        .arg(every.as_millis().max(1) as u64)
        .query_async::<Option<String>>(&mut redis)
        .await?
        .is_some();
    if !won {
        return Ok(false);
    }
    let keys = state.cache.keys();
    if let Some(body) = crate::bodies::load_seat_map(&state.pool, event_id).await? {
        state
            .cache
            .put(&keys.seat_map(event_id), body, state.ttls.seat_map)
            .await?;
    }
    if let Some(body) = crate::bodies::load_block_summary(&state.pool, event_id).await? {
        state
            .cache
            .put(&keys.block_summary(event_id), body, state.ttls.seat_map)
            .await?;
    }
    // Block seats are many and mostly unread: dropped, reloaded by the next reader.
    state.cache.invalidate_block_seats(event_id).await?;
    if let Some(body) = crate::bodies::load_detail(&state.pool, event_id).await? {
        state
            .cache
            .put(&keys.event_detail(event_id), body, state.ttls.event_detail)
            .await?;
    }
    let _: () = redis.pexpire(&lock, every.as_millis() as i64).await?;
    Ok(true)
}
