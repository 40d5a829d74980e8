//! Redis pub/sub subscriptions that outlive connection losses, in both deployment shapes.
//!
//! On one server a standing subscription (a pattern or one channel) is enough. On a Redis
//! Cluster classic pub/sub would copy every message to every node over the cluster bus, so
//! traffic grows with the cluster instead of spreading over it. Here each process instead
//! `SSUBSCRIBE`s the channels it currently needs, each on the shard that owns the channel's
//! slot (publishers use `SPUBLISH`, see `keys::publish`), and drops them when no longer
//! needed. After a disconnection or a failover (the old master's subscriptions vanish with
//! it, or it tells us `sunsubscribe` when its slots move) every wanted channel is
//! subscribed again on whoever owns its slot now.

pub mod seat_events;

use std::{
    collections::HashSet,
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures::StreamExt;
use redis::{aio::AsyncPushSender, PushInfo, PushKind, Value};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::{infra::config::Infra, infra::redis::RedisMode};

/// What a subscription delivers.
#[derive(Debug)]
pub enum Delivery {
    Message {
        channel: String,
        payload: String,
    },
    /// The subscription was (re)established: messages published meanwhile were missed.
    Gap,
}

/// What a single server's subscription covers; on a cluster only `want`ed channels count.
#[derive(Debug, Clone)]
pub enum Standing {
    Pattern(String),
    Channel(String),
}

/// Pushes buffered between the connection and the loop that delivers them; beyond this
/// the connection drops messages rather than let memory grow behind a stalled consumer.
const PUSH_BUFFER: usize = 8192;
/// How often channels whose subscription failed (during a failover, say) are retried.
const RETRY_EVERY: Duration = Duration::from_millis(500);
/// How long subscriptions may keep failing before the connection is rebuilt.
const RECONNECT_AFTER: Duration = Duration::from_secs(3);

/// A cloneable handle: `want` and `release` channels from anywhere, `run` once.
#[derive(Clone)]
pub struct Subscriber {
    mode: RedisMode,
    wanted: Arc<Mutex<HashSet<String>>>,
    /// Channels subscribed right now, republished after every change.
    active: watch::Sender<HashSet<String>>,
    changed: Arc<tokio::sync::Notify>,
}

impl Subscriber {
    pub fn new(mode: RedisMode) -> Self {
        Self {
            mode,
            wanted: Arc::default(),
            active: watch::channel(HashSet::new()).0,
            changed: Arc::default(),
        }
    }

    pub fn mode(&self) -> RedisMode {
        self.mode
    }

    /// Asks for `channel` (on a cluster; a single server's standing subscription covers
    /// it already) and waits, at most `within`, until it is subscribed, so a message
    /// published after this returns is not missed. `false` when it was not in time; the
    /// subscription keeps being retried.
    pub async fn want(&self, channel: &str, within: Duration) -> bool {
        if self.mode == RedisMode::Standalone {
            return true;
        }
        self.add(channel);
        let mut active = self.active.subscribe();
        tokio::time::timeout(within, active.wait_for(|a| a.contains(channel)))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Asks for `channel` without waiting for it.
    pub fn add(&self, channel: &str) {
        if self.mode == RedisMode::Cluster && self.lock().insert(channel.to_string()) {
            self.changed.notify_one();
        }
    }

    /// No local reader needs `channel` any more.
    pub fn release(&self, channel: &str) {
        if self.mode == RedisMode::Cluster && self.lock().remove(channel) {
            self.changed.notify_one();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.wanted.lock().expect("subscriber lock")
    }

    /// Delivers messages until `shutdown`, reconnecting after errors.
    pub async fn run<F, Fut>(
        self,
        infra: Infra,
        standing: Standing,
        deliver: F,
        shutdown: CancellationToken,
    ) where
        F: FnMut(Delivery) -> Fut,
        Fut: Future<Output = ()>,
    {
        match self.mode {
            RedisMode::Standalone => {
                run_standalone(&infra.redis_url, standing, deliver, shutdown).await
            }
            RedisMode::Cluster => self.run_cluster(&infra.redis_url, deliver, shutdown).await,
        }
    }

    async fn run_cluster<F, Fut>(self, urls: &str, mut deliver: F, shutdown: CancellationToken)
    where
        F: FnMut(Delivery) -> Fut,
        Fut: Future<Output = ()>,
    {
        let (tx, mut pushes) = mpsc::channel(PUSH_BUFFER);
        let mut retry = tokio::time::interval(RETRY_EVERY);
        retry.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !shutdown.is_cancelled() {
            let conn = async {
                crate::infra::redis::cluster_builder(urls)
                    .map_err(|e| {
                        redis::RedisError::from((
                            redis::ErrorKind::InvalidClientConfig,
                            "REDIS_URL",
                            e.to_string(),
                        ))
                    })?
                    .use_protocol(redis::ProtocolVersion::RESP3)
                    .push_sender(BoundedPush(tx.clone()))
                    .build()?
                    .get_async_connection()
                    .await
            }
            .await;
            let mut conn = match conn {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot connect the live-update subscriber");
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    }
                }
            };
            let mut subscribed: HashSet<String> = HashSet::new();
            let mut dirty = true;
            let mut failing_since: Option<Instant> = None;
            deliver(Delivery::Gap).await;
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = self.changed.notified() => dirty = true,
                    _ = retry.tick() => {}
                    push = pushes.recv() => {
                        let Some(push) = push else { return };
                        match push.kind {
                            PushKind::SMessage => {
                                // A channel released a moment ago may still deliver.
                                let message = message(push.data)
                                    .filter(|(channel, _)| self.lock().contains(channel));
                                if let Some((channel, payload)) = message {
                                    deliver(Delivery::Message { channel, payload }).await;
                                }
                            }
                            // A node went away: whatever it served must be subscribed again
                            // on the node that serves it now.
                            PushKind::Disconnection => {
                                subscribed.clear();
                                dirty = true;
                                deliver(Delivery::Gap).await;
                            }
                            // Ours, or the server's because the slot moved (failover,
                            // resharding); either way the sync below decides.
                            PushKind::SUnsubscribe => {
                                if let Some(Value::BulkString(ch)) = push.data.first() {
                                    subscribed.remove(String::from_utf8_lossy(ch).as_ref());
                                }
                                dirty = true;
                            }
                            _ => {}
                        }
                    }
                }
                if dirty {
                    dirty = !self.sync(&mut conn, &mut subscribed).await;
                    failing_since = if dirty {
                        failing_since.or(Some(Instant::now()))
                    } else {
                        None
                    };
                    // Still failing long after a failover should have completed: the slot
                    // map may be stale for good, so start over from the seed nodes.
                    if failing_since.is_some_and(|t| t.elapsed() > RECONNECT_AFTER) {
                        tracing::warn!("sharded subscriptions keep failing; reconnecting");
                        self.active.send_replace(HashSet::new());
                        break;
                    }
                }
            }
        }
    }

    /// Subscribes what is wanted and not subscribed, drops the rest; `true` when nothing
    /// failed. One command per channel: channels live on different shards.
    async fn sync(
        &self,
        conn: &mut redis::cluster_async::ClusterConnection,
        subscribed: &mut HashSet<String>,
    ) -> bool {
        let wanted = self.lock().clone();
        let add: Vec<String> = wanted.difference(subscribed).cloned().collect();
        let drop: Vec<String> = subscribed.difference(&wanted).cloned().collect();
        let results = futures::future::join_all(add.iter().map(|channel| {
            let mut conn = conn.clone();
            async move { conn.ssubscribe(channel).await }
        }))
        .await;
        let mut ok = true;
        for (channel, result) in add.into_iter().zip(results) {
            match result {
                Ok(()) => {
                    subscribed.insert(channel);
                }
                Err(e) => {
                    ok = false;
                    tracing::debug!(error = %e, %channel, "sharded subscribe failed; retrying");
                }
            }
        }
        for channel in drop {
            match conn.sunsubscribe(&channel).await {
                Ok(()) => {
                    subscribed.remove(&channel);
                }
                // Still subscribed somewhere (a stale slot map, say): try again later.
                Err(e) => {
                    ok = false;
                    tracing::debug!(error = %e, %channel, "sharded unsubscribe failed; retrying");
                }
            }
        }
        self.active.send_replace(subscribed.clone());
        ok
    }
}

async fn run_standalone<F, Fut>(
    url: &str,
    standing: Standing,
    mut deliver: F,
    shutdown: CancellationToken,
) where
    F: FnMut(Delivery) -> Fut,
    Fut: Future<Output = ()>,
{
    while !shutdown.is_cancelled() {
        let subscribed = async {
            let client = crate::infra::tls::redis_client(url)?;
            let mut pubsub = client.get_async_pubsub().await?;
            match &standing {
                Standing::Pattern(p) => pubsub.psubscribe(p).await?,
                Standing::Channel(c) => pubsub.subscribe(c).await?,
            }
            Ok::<_, redis::RedisError>(pubsub)
        }
        .await;
        match subscribed {
            Ok(mut pubsub) => {
                deliver(Delivery::Gap).await;
                let mut messages = pubsub.on_message();
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        msg = messages.next() => {
                            let Some(msg) = msg else { break };
                            let channel = msg.get_channel_name().to_string();
                            let payload: String = msg.get_payload().unwrap_or_default();
                            deliver(Delivery::Message { channel, payload }).await;
                        }
                    }
                }
                tracing::warn!(?standing, "subscription ended; resubscribing");
            }
            Err(e) => tracing::warn!(error = %e, ?standing, "cannot subscribe"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

/// `smessage` pushes carry `[channel, payload]`.
fn message(data: Vec<Value>) -> Option<(String, String)> {
    let mut it = data.into_iter();
    let text = |v: Value| match v {
        Value::BulkString(b) => String::from_utf8(b).ok(),
        Value::SimpleString(s) => Some(s),
        _ => None,
    };
    Some((text(it.next()?)?, text(it.next()?)?))
}

/// Hands pushes to the delivering loop without ever blocking the connection; a full buffer
/// drops the message (clients notice the gap by seq and resync).
struct BoundedPush(mpsc::Sender<PushInfo>);

impl AsyncPushSender for BoundedPush {
    fn send(&self, info: PushInfo) -> Result<(), redis::aio::SendError> {
        match self.0.try_send(info) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(_)) => {
                metrics::counter!("tiketi_live_pushes_dropped_total").increment(1);
                Ok(())
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Err(redis::aio::SendError),
        }
    }
}
