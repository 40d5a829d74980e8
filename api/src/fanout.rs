//! The live fan-out between api instances: every message a writer publishes in Redis
//! reaches the WebSocket clients of every instance through this instance's [`Hub`].
//!
//! On one Redis server the instance pattern-subscribes once to every WebSocket channel. On a
//! Redis Cluster it follows only the topics its own clients read, with sharded pub/sub:
//! a topic is subscribed (on the shard owning the channel's slot) when its first local
//! reader arrives and dropped as soon as the last one leaves (`Hub::release`). A message then
//! crosses the network only to the instances that have readers for it, and channels spread
//! over the shards, so adding shards or instances adds capacity instead of copying every
//! message to every node.

use std::time::Duration;

use tiketi_core::{
    infra::config::Infra,
    infra::redis::{Keys, RedisMode},
    live::{Delivery, Standing, Subscriber},
};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use axum::extract::ws::Utf8Bytes;

use crate::refresh::Refresher;

/// How long a first subscriber waits for its sharded subscription before being told it is
/// subscribed anyway (the subscription keeps being retried, e.g. during a failover).
const FOLLOW_WITHIN: Duration = Duration::from_secs(3);

#[derive(Clone)]
pub struct Fanout {
    subscriber: Subscriber,
    keys: Keys,
}

impl Fanout {
    pub fn new(mode: RedisMode, keys: Keys) -> Self {
        Self {
            subscriber: Subscriber::new(mode),
            keys,
        }
    }

    /// The first local reader of `topic` arrived: receive it from Redis before returning.
    pub async fn follow(&self, topic: &str) {
        if !self
            .subscriber
            .want(&self.keys.ws_channel(topic), FOLLOW_WITHIN)
            .await
        {
            tracing::warn!(topic, "live topic not subscribed in time; still trying");
        }
    }

    /// The last local reader of `topic` left.
    pub fn unfollow(&self, topic: &str) {
        self.subscriber.release(&self.keys.ws_channel(topic));
    }

    /// Forwards messages to local readers through `publish` (the process's `Hub`, passed as
    /// a function so this background task does not depend on it) and tells the refresher
    /// which events' seats or stock changed, until `shutdown`.
    pub async fn run(
        self,
        publish: impl Fn(&str, Utf8Bytes) + Send + Sync,
        infra: Infra,
        refresher: Refresher,
        shutdown: CancellationToken,
    ) {
        let standing = Standing::Pattern(self.keys.ws_pattern());
        let keys = self.keys.clone();
        let deliver = |delivery| {
            if let Delivery::Message { channel, payload } = delivery {
                if let Some(topic) = keys.ws_topic(&channel) {
                    if let Some(id) = topic
                        .strip_prefix("seats:")
                        .or_else(|| topic.strip_prefix("event:"))
                    {
                        if let Ok(event_id) = id.parse::<Uuid>() {
                            refresher.changed(event_id);
                        }
                    }
                    publish(topic, payload.into());
                }
            }
            std::future::ready(())
        };
        self.subscriber
            .clone()
            .run(infra, standing, deliver, shutdown)
            .await;
    }
}
