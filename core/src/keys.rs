//! Redis: the connection settings and every key and channel name. Keys of one event carry
//! the hash tag `{e:<id>}` so an event lives on one Redis Cluster slot and its Lua scripts
//! may touch them together.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use uuid::Uuid;

/// The Redis connection every process shares: cloneable and reconnecting. One name for it
/// so that the deployment shape (a single server or a cluster) is decided here only.
pub type RedisConn = ConnectionManager;

/// A reconnecting connection whose commands fail fast instead of hanging while Redis is
/// away, so a request degrades (or health reports it) within a bounded time.
pub async fn connect(url: &str) -> anyhow::Result<RedisConn> {
    let client =
        crate::tls::redis_client(url).map_err(|e| anyhow::anyhow!("REDIS_URL is invalid: {e}"))?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Duration::from_secs(2))
        .set_response_timeout(Duration::from_secs(2))
        .set_number_of_retries(2)
        .set_max_delay(500);
    ConnectionManager::new_with_config(client, config)
        .await
        .map_err(|e| crate::tls::connect_error("REDIS_URL", &e))
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

    /// Pub/sub channel of a WebSocket topic (`seats:<id>`, `event:<id>`, `user:<id>`).
    pub fn ws_channel(&self, topic: &str) -> String {
        format!("{}:ws:{topic}", self.prefix)
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

    /// The sweeper leader's lease.
    pub fn sweeper_lease(&self) -> String {
        format!("{}:sweeper:leader", self.prefix)
    }

    /// Cached `GET /api/events?…` page, one per normalized query.
    pub fn event_list(&self, query: &str) -> String {
        format!("{}:events:list:{query}", self.prefix)
    }

    /// The set of cached list keys, so one invalidation can drop them all without SCAN.
    pub fn event_list_index(&self) -> String {
        format!("{}:events:list-index", self.prefix)
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
    }
}
