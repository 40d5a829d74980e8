//! Redis: the connection settings and every key and channel name. Keys of one event carry
//! the hash tag `{e:<id>}` so an event lives on one Redis Cluster slot and its Lua scripts
//! may touch them together.

use std::{str::FromStr, time::Duration};

use redis::{
    aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig},
    cluster::ClusterClientBuilder,
    cluster_async::ClusterConnection,
    Cmd, Pipeline, RedisFuture, Value,
};
use uuid::Uuid;

use crate::infra::config::Infra;

/// `REDIS_MODE`: one server (or a primary with a proxy in front), or a Redis Cluster whose
/// `REDIS_URL` lists seed nodes separated by commas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedisMode {
    #[default]
    Standalone,
    Cluster,
}

impl FromStr for RedisMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "standalone" | "single" => Ok(Self::Standalone),
            "cluster" => Ok(Self::Cluster),
            other => Err(format!("expected standalone or cluster, got {other}")),
        }
    }
}

/// The Redis connection every process shares: cloneable and reconnecting, to one server or
/// to a cluster. It implements `ConnectionLike`, so `redis::cmd(..)`, pipelines and scripts
/// run on it unchanged; on a cluster each command goes to the master owning its key's slot,
/// and MOVED/ASK or a failover make the client refresh its slot map and retry.
#[derive(Clone)]
pub enum RedisConn {
    Standalone(ConnectionManager),
    Cluster(ClusterConnection),
}

impl RedisConn {
    pub fn mode(&self) -> RedisMode {
        match self {
            Self::Standalone(_) => RedisMode::Standalone,
            Self::Cluster(_) => RedisMode::Cluster,
        }
    }
}

impl ConnectionLike for RedisConn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Standalone(c) => c.req_packed_command(cmd),
            Self::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Standalone(c) => c.req_packed_commands(cmd, offset, count),
            Self::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Standalone(c) => c.get_db(),
            Self::Cluster(c) => c.get_db(),
        }
    }
}

/// How long one command may take before it fails, so a request degrades (or health reports
/// it) within a bounded time while Redis is away.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(2);

/// Connects as `REDIS_MODE` says.
pub async fn connect(infra: &Infra) -> anyhow::Result<RedisConn> {
    connect_to(&infra.redis_url, infra.redis_mode).await
}

/// Connects to `url` (a server, or a cluster's comma-separated seed nodes) in `mode`.
pub async fn connect_to(url: &str, mode: RedisMode) -> anyhow::Result<RedisConn> {
    match mode {
        RedisMode::Standalone => {
            let client = crate::infra::tls::redis_client(url)
                .map_err(|e| anyhow::anyhow!("REDIS_URL is invalid: {e}"))?;
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(CONNECTION_TIMEOUT)
                .set_response_timeout(RESPONSE_TIMEOUT)
                .set_number_of_retries(2)
                .set_max_delay(500);
            ConnectionManager::new_with_config(client, config)
                .await
                .map(RedisConn::Standalone)
                .map_err(|e| crate::infra::tls::connect_error("REDIS_URL", &e))
        }
        RedisMode::Cluster => cluster_builder(url)?
            .build()
            .map_err(|e| anyhow::anyhow!("REDIS_URL is invalid: {e}"))?
            .get_async_connection()
            .await
            .map(RedisConn::Cluster)
            .map_err(|e| crate::infra::tls::connect_error("REDIS_URL", &e)),
    }
}

/// A cluster client for the comma-separated seed nodes in `urls`. Retries are spread over
/// about the time a replica needs to take over a failed master, so a command caught by a
/// failover usually succeeds late rather than failing.
pub fn cluster_builder(urls: &str) -> anyhow::Result<ClusterClientBuilder> {
    let seeds = cluster_seeds(urls)?;
    let mut builder = ClusterClientBuilder::new(seeds);
    // `rediss://` seeds: every node is reached over TLS, trusting `TLS_CA_FILE` too.
    if let Some(first) = urls.split(',').map(str::trim).find(|u| !u.is_empty()) {
        if let Some(certs) = crate::infra::tls::redis_certificates(first)
            .map_err(|e| anyhow::anyhow!("REDIS_URL: {e}"))?
        {
            builder = builder.certs(certs);
        }
    }
    Ok(builder
        .connection_timeout(CONNECTION_TIMEOUT)
        .response_timeout(RESPONSE_TIMEOUT)
        .retries(4)
        .min_retry_wait(100)
        .max_retry_wait(1000))
}

/// The seed nodes of a cluster `REDIS_URL`: `redis://h1:7101,redis://h2:7102`.
pub fn cluster_seeds(urls: &str) -> anyhow::Result<Vec<redis::ConnectionInfo>> {
    use redis::IntoConnectionInfo;
    let seeds = urls
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(|u| {
            u.into_connection_info()
                .map_err(|e| anyhow::anyhow!("REDIS_URL has an invalid seed node: {e}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    anyhow::ensure!(!seeds.is_empty(), "REDIS_URL lists no seed node");
    Ok(seeds)
}

/// Publishes on pub/sub: classic `PUBLISH` on one server; sharded `SPUBLISH` on a cluster,
/// where a message then travels only within the shard owning the channel's slot instead of
/// across the whole cluster bus.
pub fn publish_command(mode: RedisMode) -> &'static str {
    match mode {
        RedisMode::Standalone => "PUBLISH",
        RedisMode::Cluster => "SPUBLISH",
    }
}

pub async fn publish(conn: &mut RedisConn, channel: &str, payload: &str) -> redis::RedisResult<()> {
    redis::cmd(publish_command(conn.mode()))
        .arg(channel)
        .arg(payload)
        .query_async::<i64>(conn)
        .await
        .map(|_| ())
}

/// Publishes many messages: one pipeline on a single server; on a cluster the channels may
/// live on different shards, so each goes to its own slot's master, concurrently.
pub async fn publish_all(
    conn: &mut RedisConn,
    messages: &[(String, String)],
) -> redis::RedisResult<()> {
    match conn.mode() {
        RedisMode::Standalone => {
            let mut pipe = redis::pipe();
            for (channel, payload) in messages {
                pipe.publish(channel, payload).ignore();
            }
            pipe.query_async(conn).await
        }
        RedisMode::Cluster => {
            let sends = messages.iter().map(|(channel, payload)| {
                let mut conn = conn.clone();
                async move { publish(&mut conn, channel, payload).await }
            });
            futures::future::try_join_all(sends).await.map(|_| ())
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn event(&self, event_id: Uuid, suffix: &str) -> String {
        format!("{}:{{e:{event_id}}}:{suffix}", self.prefix)
    }

    /// Cached `GET /api/events/:id` body.
    pub fn event_detail(&self, event_id: Uuid) -> String {
        self.event(event_id, "detail")
    }

    /// Cached `GET /api/seats/events/:id` snapshot.
    pub fn seat_map(&self, event_id: Uuid) -> String {
        self.event(event_id, "seatmap")
    }

    /// Cached `GET /api/seats/events/:id/blocks` summary.
    pub fn block_summary(&self, event_id: Uuid) -> String {
        self.event(event_id, "blocks")
    }

    /// Cached `GET /api/seats/events/:id/blocks/:blockId` seats.
    pub fn block_seats(&self, event_id: Uuid, block_id: i32) -> String {
        self.event(event_id, &format!("block:{block_id}"))
    }

    /// The set of an event's cached block-seat keys, so one invalidation finds them all.
    pub fn block_seats_index(&self, event_id: Uuid) -> String {
        self.event(event_id, "blockkeys")
    }

    /// Seat id → `status:seq` for every seat whose state the relay has seen. Not the truth
    /// (Postgres is); it lets the api turn away requests for taken seats without a queue.
    pub fn seat_state(&self, event_id: Uuid) -> String {
        self.event(event_id, "seats")
    }

    /// The short-lived lock a worker holds on a seat while it decides a command.
    pub fn seat_lock(&self, event_id: Uuid, seat_id: Uuid) -> String {
        self.event(event_id, &format!("lock:{seat_id}"))
    }

    /// The most recent seat deltas of an event, newest first, for catching up after a
    /// snapshot.
    pub fn seat_log(&self, event_id: Uuid) -> String {
        self.event(event_id, "seatlog")
    }

    /// Pub/sub channel of a WebSocket topic (`seats:<id>`, `event:<id>`, `user:<id>`). An
    /// event's topics carry its hash tag, so on a cluster the seat-state script may publish
    /// on its shard together with the writes.
    pub fn ws_channel(&self, topic: &str) -> String {
        let event = topic
            .strip_prefix("seats:")
            .or_else(|| topic.strip_prefix("event:"))
            .and_then(|id| id.parse::<Uuid>().ok());
        match event {
            Some(id) => format!("{}:ws:{topic}:{{e:{id}}}", self.prefix),
            None => format!("{}:ws:{topic}", self.prefix),
        }
    }

    /// The topic a `ws_channel` carries, or `None` for a channel that is not one.
    pub fn ws_topic<'a>(&self, channel: &'a str) -> Option<&'a str> {
        let topic = channel
            .strip_prefix(self.prefix.as_str())?
            .strip_prefix(":ws:")?;
        Some(topic.split_once(":{").map_or(topic, |(topic, _)| topic))
    }

    /// Pattern matching every WebSocket channel.
    pub fn ws_pattern(&self) -> String {
        format!("{}:ws:*", self.prefix)
    }

    /// Marks a published request whose decision has not been recorded yet.
    pub fn pending_request(&self, request_id: Uuid) -> String {
        format!("{}:request:{request_id}", self.prefix)
    }

    /// A solved proof-of-work challenge of the event's waiting room, kept until the
    /// challenge expires so it cannot be used twice.
    pub fn pow_used(&self, event_id: Uuid, signature: &str) -> String {
        self.event(event_id, &format!("pow:{signature}"))
    }

    /// Whose turn it is to pay for a reservation: one payment attempt at a time, so a
    /// retry racing the first request waits for its answer instead of charging again.
    pub fn payment_turn(&self, reservation_id: Uuid) -> String {
        format!("{}:payment-turn:{reservation_id}", self.prefix)
    }

    /// The sweeper leader's lease.
    pub fn sweeper_lease(&self) -> String {
        format!("{}:sweeper:leader", self.prefix)
    }

    /// Cached `GET /api/events?…` page, one per normalized query. Pages and their index
    /// share a hash tag so a cluster stores a page and its index entry in one step.
    pub fn event_list(&self, query: &str) -> String {
        format!("{}:{{lists}}:events:list:{query}", self.prefix)
    }

    /// The set of cached list keys, so one invalidation can drop them all without SCAN.
    pub fn event_list_index(&self) -> String {
        format!("{}:{{lists}}:events:list-index", self.prefix)
    }

    /// Cached `GET /api/seats/layouts`.
    pub fn layouts(&self) -> String {
        format!("{}:layouts", self.prefix)
    }

    /// Cached admin dashboard figures, shared by every admin polling them.
    pub fn dashboard_stats(&self) -> String {
        format!("{}:admin:dashboard", self.prefix)
    }

    /// Pub/sub channel on which cache invalidations reach every api instance.
    pub fn cache_invalidations(&self) -> String {
        format!("{}:cache-invalidations", self.prefix)
    }

    /// The waiting room of an event (see `waiting_room`).
    pub fn room(&self, event_id: Uuid) -> RoomKeys {
        let key = |suffix: &str| self.event(event_id, &format!("q:{suffix}"));
        RoomKeys {
            counter: key("counter"),
            line: key("line"),
            tickets: key("tickets"),
            heartbeats: key("beats"),
            active: key("active"),
            grants: key("grants"),
            finished: key("finished"),
            stats: key("stats"),
            log: key("log"),
        }
    }

    /// A revoked JWT, kept until the token would have expired anyway. It shares the user's
    /// hash tag with [`Keys::session_generation`] so one round trip reads both.
    pub fn revoked_token(&self, user_id: Uuid, jti: Uuid) -> String {
        format!("{}:{{u:{user_id}}}:revoked:{jti}", self.prefix)
    }

    /// The user's session generation: "sign out everywhere" raises it, and tokens issued
    /// under an older generation are refused.
    pub fn session_generation(&self, user_id: Uuid) -> String {
        format!("{}:{{u:{user_id}}}:generation", self.prefix)
    }

    /// The state of one global rate limit (`scope` such as `login-ip`, `subject` such as
    /// the address); its own hash tag, since each check runs one script on one key.
    pub fn rate_limit(&self, scope: &str, subject: &str) -> String {
        format!("{}:{{rl:{scope}:{subject}}}", self.prefix)
    }
}

/// The keys of one event's waiting room; all share the event's hash tag.
#[derive(Debug, Clone)]
pub struct RoomKeys {
    /// Ticket counter: arrival order.
    pub counter: String,
    /// Waiting fans, scored by ticket (a shuffled ticket in a shuffled pre-queue).
    pub line: String,
    /// Fan → ticket, while waiting or admitted.
    pub tickets: String,
    /// Waiting fan → last heartbeat (ms).
    pub heartbeats: String,
    /// Admitted fan → end of their shopping window (ms).
    pub active: String,
    /// Admitted fan → the ticket they were admitted with; an admission token must match it.
    pub grants: String,
    /// Fans whose admission ended or who were dropped, for an hour (ms).
    pub finished: String,
    /// opened, pre_last, shuffled, served, credit, last, rate.
    pub stats: String,
    /// Tickets in admission order, for the fairness audit.
    pub log: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_keys_share_one_hash_tag() {
        let keys = Keys::new("t");
        let id = Uuid::nil();
        let tag = format!("{{e:{id}}}");
        assert!(keys.event_detail(id).contains(&tag));
        assert!(keys.seat_map(id).contains(&tag));
        assert_ne!(keys.event_detail(id), keys.seat_map(id));
        let room = keys.room(id);
        assert!([&room.counter, &room.line, &room.grants, &room.log]
            .iter()
            .all(|k| k.contains(&tag)));
        let seats = keys.ws_channel(&format!("seats:{id}"));
        assert!(seats.contains(&tag), "{seats}");
        assert!(keys.event_list("a").contains("{lists}"));
        assert!(keys.event_list_index().contains("{lists}"));
    }

    #[test]
    fn ws_topics_round_trip_through_their_channels() {
        let keys = Keys::new("t");
        let id = Uuid::new_v4();
        for topic in [
            format!("seats:{id}"),
            format!("event:{id}"),
            format!("user:{id}"),
        ] {
            assert_eq!(
                keys.ws_topic(&keys.ws_channel(&topic)),
                Some(topic.as_str())
            );
        }
        assert_eq!(keys.ws_topic("other:ws:x"), None);
        assert_eq!(keys.ws_topic("t:cache-invalidations"), None);
    }

    #[test]
    fn redis_mode_parses_known_values_and_seeds_split_on_commas() {
        assert_eq!("Cluster".parse::<RedisMode>(), Ok(RedisMode::Cluster));
        assert_eq!("standalone".parse::<RedisMode>(), Ok(RedisMode::Standalone));
        assert!("sentinel".parse::<RedisMode>().is_err());
        let seeds = cluster_seeds("redis://a:7101, redis://b:7102,").unwrap();
        assert_eq!(seeds.len(), 2);
        assert!(cluster_seeds(" , ").is_err());
        assert!(cluster_seeds("redis://a:7101,nonsense://b").is_err());
    }
}
