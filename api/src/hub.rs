//! The live topics of one api process and the sockets per client address, apart from the
//! WebSocket and Socket.IO routes that use them so that the state and the background fan-out
//! can hold them without depending on a route (no import cycles, issue #14).
//!
//! A topic's broadcast is small, created on first subscribe and dropped when its last local
//! subscriber leaves, and the process holds at most `MAX_TOPICS`; each client address may
//! hold only so many sockets.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::extract::ws::Utf8Bytes;
use sqlx::PgPool;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::fanout::Fanout;

/// Messages a topic keeps for receivers that are behind (one ring per topic, shared by
/// its receivers); a receiver that falls further behind is told to resync.
const TOPIC_BUFFER: usize = 64;
/// Topics one api process fans out at once: every event's two topics plus every
/// signed-in socket's user topic fit many times over.
const MAX_TOPICS: usize = 100_000;
/// Event ids remembered as existing or not, and for how long.
const KNOWN_EVENTS: u64 = 20_000;
const KNOWN_EVENTS_TTL: Duration = Duration::from_secs(30);

pub struct Hub {
    topics: Mutex<HashMap<String, broadcast::Sender<Utf8Bytes>>>,
    events: moka::future::Cache<Uuid, bool>,
    /// Where topics come from (Redis pub/sub, see `fanout`).
    fanout: Fanout,
}

impl Hub {
    pub fn new(fanout: Fanout) -> Self {
        Self {
            topics: Mutex::default(),
            events: moka::future::Cache::builder()
                .max_capacity(KNOWN_EVENTS)
                .time_to_live(KNOWN_EVENTS_TTL)
                .build(),
            fanout,
        }
    }

    /// A receiver of `topic`, or `None` when the process already fans out `MAX_TOPICS`.
    /// The first local reader of a topic makes this instance follow it in Redis.
    pub(crate) async fn subscribe(&self, topic: &str) -> Option<broadcast::Receiver<Utf8Bytes>> {
        let rx = {
            let mut topics = self.topics.lock().expect("hub lock");
            if let Some(tx) = topics.get(topic) {
                return Some(tx.subscribe());
            }
            if topics.len() >= MAX_TOPICS {
                return None;
            }
            let (tx, rx) = broadcast::channel(TOPIC_BUFFER);
            topics.insert(topic.to_string(), tx);
            rx
        };
        self.fanout.follow(topic).await;
        Some(rx)
    }

    /// Drops `topic` once its last local receiver is gone (called after dropping one), and
    /// stops following it in Redis.
    pub(crate) fn release(&self, topic: &str) {
        let mut topics = self.topics.lock().expect("hub lock");
        if topics.get(topic).is_some_and(|tx| tx.receiver_count() == 0) {
            topics.remove(topic);
            self.fanout.unfollow(topic);
        }
    }

    pub(crate) fn publish(&self, topic: &str, payload: Utf8Bytes) {
        let topics = self.topics.lock().expect("hub lock");
        if let Some(tx) = topics.get(topic) {
            let _ = tx.send(payload);
        }
    }

    /// Whether `event_id` names an event, from a bounded cache in front of one indexed read.
    pub(crate) async fn event_exists(
        &self,
        pool: &PgPool,
        event_id: Uuid,
    ) -> Result<bool, sqlx::Error> {
        self.events
            .try_get_with(event_id, async {
                sqlx::query_scalar!(
                    r#"SELECT EXISTS (SELECT 1 FROM events WHERE id = $1) AS "exists!""#,
                    event_id
                )
                .fetch_one(pool)
                .await
            })
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))
    }

    pub(crate) fn fanout(&self) -> Fanout {
        self.fanout.clone()
    }
}

/// Open sockets per client address in this process. The cap is per process on purpose:
/// it bounds this process's memory, which is what a socket costs.
#[derive(Default)]
pub struct ClientCounts(Mutex<HashMap<IpAddr, usize>>);

/// One socket's place in [`ClientCounts`], given back when dropped.
pub struct ClientSlot {
    counts: Arc<ClientCounts>,
    ip: IpAddr,
}

impl ClientCounts {
    pub(crate) fn take(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<ClientSlot> {
        let mut counts = self.0.lock().expect("client counts lock");
        let n = counts.entry(ip).or_default();
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(ClientSlot {
            counts: self.clone(),
            ip,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().expect("client counts lock");
        if let Some(n) = counts.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}
