//! The waiting room: who shops first when far more fans arrive than there are seats.
//!
//! Everything lives in Redis under the event's hash tag, changed only by the Lua scripts
//! below (each touches only the keys it is given), with Redis's own clock, so every api
//! instance and the sweeper agree on order and time:
//!
//! - a ticket counter gives each joining fan a number (arrival order);
//! - the line is a sorted set scored by ticket (or by a shuffled ticket for the pre-queue),
//!   so "fans ahead" is a rank and admission pops the front;
//! - heartbeats (every status call) let the sweeper drop abandoned tabs before they reach
//!   the front, so they never hold up the fans behind them;
//! - admitted fans are "active" until their shopping window ends, with a grant that the
//!   admission token must match, so revoking is deleting the grant;
//! - an admission log records tickets in the order they were admitted, for the fairness
//!   audit.
//!
//! The sweeper (one leader) calls [`WaitingRoom::advance`] once a second per queued event.

pub mod admission;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::seq::SliceRandom;
use redis::Script;

use crate::{
    event::{event_record, EventRecord, EventStatus, QueueStrategy, Seating},
    infra::{
        redis::RedisConn,
        script::{unexpected, Reply},
    },
};
use sqlx::PgPool;
use uuid::Uuid;

use crate::infra::redis::{Keys, RoomKeys};

/// What selling an event depends on: its kind, whether it sells now, and its waiting-room
/// settings. The api caches it briefly to gate reserve, orders and the queue routes.
#[derive(Debug, Clone)]
pub struct Room {
    pub event_id: Uuid,
    pub title: String,
    pub status: EventStatus,
    pub seating: Seating,
    pub timezone: String,
    pub sale_start: DateTime<Utc>,
    pub sale_end: DateTime<Utc>,
    pub queue_enabled: bool,
    pub queue_strategy: QueueStrategy,
    pub queue_rate_per_minute: i32,
    pub queue_max_active: i32,
    pub queue_window_seconds: i32,
    pub prequeue_minutes: i32,
    pub prequeue_shuffle: bool,
    /// The proof-of-work difficulty (ALTCHA `maxnumber`) asked before joining, if any.
    pub pow_difficulty: Option<i32>,
    /// The database clock's verdict: the sale has started and the event is selling.
    pub open: bool,
    /// As `open`, or sold out (held seats may come back): reserve requests are decided.
    pub selling: bool,
}

/// [`select_events!`](crate::event::select_events) with the database clock, building the
/// [`Room`] view of each record.
macro_rules! select_rooms {
    ($rest:tt $(, $arg:expr)* $(,)?) => {
        crate::event::select_events!(r#", now() AS "db_now!""#, "FROM events e", $rest $(, $arg)*)
            .map(|row| {
                let now = row.db_now;
                Room::of(event_record!(row), now)
            })
    };
}

impl Room {
    /// The view of `event` at `now` (the database clock).
    pub fn of(event: EventRecord, now: DateTime<Utc>) -> Self {
        Room {
            open: event.open_at(now),
            selling: event.selling_at(now),
            event_id: event.id,
            title: event.title,
            status: event.status,
            seating: event.seating,
            timezone: event.timezone,
            sale_start: event.sale_start,
            sale_end: event.sale_end,
            queue_enabled: event.queue_enabled,
            queue_strategy: event.queue_strategy,
            queue_rate_per_minute: event.queue_rate_per_minute,
            queue_max_active: event.queue_max_active,
            queue_window_seconds: event.queue_window_seconds,
            prequeue_minutes: event.prequeue_minutes,
            prequeue_shuffle: event.prequeue_shuffle,
            pow_difficulty: event.pow_difficulty,
        }
    }

    pub async fn load(pool: &PgPool, event_id: Uuid) -> Result<Option<Room>, sqlx::Error> {
        select_rooms!("WHERE e.id = $1", event_id)
            .fetch_optional(pool)
            .await
    }

    /// Queued events the sweeper looks after: selling, sold out (seats come back), or
    /// upcoming with the pre-queue open.
    pub async fn live(pool: &PgPool) -> Result<Vec<Room>, sqlx::Error> {
        select_rooms!(
            "WHERE e.queue_enabled AND (e.status IN ('on_sale', 'sold_out')
                OR (e.status = 'upcoming' AND now() >= e.sale_start - make_interval(mins => e.prequeue_minutes)))
             ORDER BY e.id"
        )
        .fetch_all(pool)
        .await
    }

    pub fn prequeue_opens_at(&self) -> DateTime<Utc> {
        self.sale_start - chrono::Duration::minutes(i64::from(self.prequeue_minutes))
    }

    /// Whether fans may join now (by the caller's clock; Redis's decides pre-queue order).
    pub fn joinable(&self, now: DateTime<Utc>) -> bool {
        match self.status {
            EventStatus::OnSale | EventStatus::SoldOut => now < self.sale_end,
            EventStatus::Upcoming => now >= self.prequeue_opens_at() && now < self.sale_end,
            EventStatus::Ended | EventStatus::Cancelled => false,
        }
    }

    /// An instant as this event's API shows it (with the event's offset).
    pub fn format(&self, instant: DateTime<Utc>) -> String {
        crate::event::time::EventZone::from_db(&self.timezone).format(instant)
    }

    pub fn window_ms(&self) -> i64 {
        i64::from(self.queue_window_seconds) * 1000
    }

    /// Admissions per second to expect before any have been measured.
    pub fn planned_rate(&self) -> f64 {
        if self.queue_strategy == QueueStrategy::MaxActive {
            f64::from(self.queue_max_active) / f64::from(self.queue_window_seconds.max(1))
        } else {
            f64::from(self.queue_rate_per_minute) / 60.0
        }
    }
}

// The scripts, each documented at its top with its KEYS and ARGV; `prelude.lua` (the Redis
// clock and a fan's place) is prepended to each.
const PRELUDE: &str = include_str!("prelude.lua");
const JOIN: &str = include_str!("join.lua");
const STATUS: &str = include_str!("status.lua");
const LEAVE: &str = include_str!("leave.lua");
const RELEASE: &str = include_str!("release.lua");
const CHECK: &str = include_str!("check.lua");
const OPEN: &str = include_str!("open.lua");
const ADVANCE: &str = include_str!("advance.lua");

/// Where a fan stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// Never joined, or left.
    None,
    /// The pre-queue is not open yet.
    NotOpen,
    /// In line (before sale start: the pre-queue).
    Waiting {
        ticket: u64,
        ahead: u64,
        opened: bool,
        /// Measured admissions per second, if any yet.
        rate: Option<f64>,
    },
    Admitted {
        ticket: u64,
        expires_at: DateTime<Utc>,
    },
    /// The admission ended (window over, paid, cancelled) or the fan was dropped for not
    /// heart-beating; they may join again.
    Expired,
}

/// Reads a fan's place as `place()` in `prelude.lua` returns it.
fn parse_place(script: &'static str, value: redis::Value) -> redis::RedisResult<Place> {
    let mut reply = Reply::parse(script, value)?;
    let state: String = reply.take("state")?;
    let ticket: u64 = reply.take("ticket")?;
    let ahead: i64 = reply.take("ahead")?;
    let expires_ms: f64 = reply.take("expires_ms")?;
    let rate: String = reply.take("rate")?;
    let opened: String = reply.take("opened")?;
    reply.finish()?;
    let bad = |what: std::fmt::Arguments| unexpected(script, what);
    Ok(match state.as_str() {
        "none" => Place::None,
        "not_open" => Place::NotOpen,
        "waiting" => Place::Waiting {
            ticket,
            ahead: u64::try_from(ahead).map_err(|_| bad(format_args!("ahead {ahead}")))?,
            opened: opened == "1",
            rate: match rate.as_str() {
                "" => None,
                r => Some(
                    r.parse::<f64>()
                        .map_err(|e| bad(format_args!("rate {r:?}: {e}")))?,
                ),
            }
            .filter(|r| *r > 0.0),
        },
        "admitted" => Place::Admitted {
            ticket,
            expires_at: DateTime::from_timestamp_millis(expires_ms as i64)
                .ok_or_else(|| bad(format_args!("expires_ms {expires_ms}")))?,
        },
        "expired" => Place::Expired,
        other => return Err(bad(format_args!("state {other}"))),
    })
}

/// What one admission step did.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub now: DateTime<Utc>,
    /// Waiting fans dropped for a stale heartbeat.
    pub stale: u64,
    pub waiting: u64,
    pub active: u64,
    /// Fans admitted so far, in all.
    pub served: u64,
    /// Fans admitted by this step, in order: (user, ticket).
    pub admitted: Vec<(Uuid, u64)>,
}

#[derive(Clone)]
pub struct WaitingRoom {
    keys: Keys,
    join: std::sync::Arc<Script>,
    status: std::sync::Arc<Script>,
    leave: std::sync::Arc<Script>,
    release: std::sync::Arc<Script>,
    check: std::sync::Arc<Script>,
    open: std::sync::Arc<Script>,
    advance: std::sync::Arc<Script>,
}

fn script(body: &str) -> std::sync::Arc<Script> {
    std::sync::Arc::new(Script::new(&format!("{PRELUDE}\n{body}")))
}

/// Room settings the sweeper passes to one admission step.
pub struct Policy {
    pub heartbeat_timeout_ms: i64,
    pub max_per_step: u32,
}

impl WaitingRoom {
    pub fn new(keys: Keys) -> Self {
        Self {
            keys,
            join: script(JOIN),
            status: script(STATUS),
            leave: script(LEAVE),
            release: script(RELEASE),
            check: script(CHECK),
            open: script(OPEN),
            advance: script(ADVANCE),
        }
    }

    fn invocation<'a>(&self, script: &'a Script, event_id: Uuid) -> redis::ScriptInvocation<'a> {
        let k = self.keys.room(event_id);
        let mut inv = script.prepare_invoke();
        for key in k.all() {
            inv.key(key);
        }
        inv
    }

    /// Joins (idempotently) and returns the fan's place.
    pub async fn join(
        &self,
        conn: &mut RedisConn,
        room: &Room,
        user: Uuid,
    ) -> redis::RedisResult<Place> {
        let mut inv = self.invocation(&self.join, room.event_id);
        inv.arg(user.to_string())
            .arg(room.prequeue_opens_at().timestamp_millis())
            .arg(room.sale_start.timestamp_millis());
        parse_place("waiting_room/join.lua", inv.invoke_async(conn).await?)
    }

    /// The fan's place; counts as their heartbeat.
    pub async fn status(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        user: Uuid,
    ) -> redis::RedisResult<Place> {
        let mut inv = self.invocation(&self.status, event_id);
        inv.arg(user.to_string());
        parse_place("waiting_room/status.lua", inv.invoke_async(conn).await?)
    }

    /// Leaves the line (or gives up an admission). Returns whether the fan had a place.
    pub async fn leave(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        user: Uuid,
    ) -> redis::RedisResult<bool> {
        let mut inv = self.invocation(&self.leave, event_id);
        inv.arg(user.to_string());
        Ok(inv.invoke_async::<i64>(conn).await? > 0)
    }

    /// Ends the fan's admission now (they paid or cancelled), freeing the slot. With
    /// `ticket`, only that admission.
    pub async fn release(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        user: Uuid,
        ticket: Option<u64>,
    ) -> redis::RedisResult<bool> {
        let mut inv = self.invocation(&self.release, event_id);
        inv.arg(user.to_string())
            .arg(ticket.map(|t| t.to_string()).unwrap_or_default());
        Ok(inv.invoke_async::<i64>(conn).await? == 1)
    }

    /// Whether the admission `ticket` of `user` is current (not ended, not revoked).
    pub async fn is_admitted(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        user: Uuid,
        ticket: u64,
    ) -> redis::RedisResult<bool> {
        let mut inv = self.invocation(&self.check, event_id);
        inv.arg(user.to_string()).arg(ticket.to_string());
        Ok(inv.invoke_async::<i64>(conn).await? == 1)
    }

    /// Opens the line once the sale has started; with `shuffle`, the pre-queue (fans who
    /// joined before sale start) is admitted in one random permutation. Returns whether
    /// this call opened it.
    pub async fn open(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        shuffle: bool,
    ) -> redis::RedisResult<bool> {
        let k = self.keys.room(event_id);
        let (opened, pre_last): (Option<String>, Option<u64>) = redis::pipe()
            .hget(&k.stats, "opened")
            .hget(&k.stats, "pre_last")
            .query_async(conn)
            .await?;
        if opened.as_deref() == Some("1") {
            return Ok(false);
        }
        let mut pairs: Vec<(String, f64)> = Vec::new();
        if let (true, Some(last)) = (shuffle, pre_last) {
            pairs = redis::cmd("ZRANGE")
                .arg(&k.line)
                .arg("-inf")
                .arg(last)
                .arg("BYSCORE")
                .arg("WITHSCORES")
                .query_async(conn)
                .await?;
            let mut scores: Vec<f64> = pairs.iter().map(|(_, s)| *s).collect();
            scores.shuffle(&mut rand::thread_rng());
            for (pair, score) in pairs.iter_mut().zip(scores) {
                pair.1 = score;
            }
        }
        let mut inv = self.invocation(&self.open, event_id);
        for (member, score) in &pairs {
            inv.arg(member).arg(*score);
        }
        if shuffle {
            let _: () = redis::cmd("HSET")
                .arg(&k.stats)
                .arg("shuffled")
                .arg(pre_last.unwrap_or(0))
                .query_async(conn)
                .await?;
        }
        Ok(inv.invoke_async::<i64>(conn).await? == 1)
    }

    /// One admission step for `room` (see the module doc).
    pub async fn advance(
        &self,
        conn: &mut RedisConn,
        room: &Room,
        policy: &Policy,
    ) -> redis::RedisResult<Step> {
        let key_ttl_ms = (room.sale_end - Utc::now()).num_milliseconds().max(0) + 86_400_000;
        let mut inv = self.invocation(&self.advance, room.event_id);
        inv.arg(room.queue_strategy.as_str())
            .arg(room.queue_rate_per_minute)
            .arg(room.queue_max_active)
            .arg(room.window_ms())
            .arg(policy.heartbeat_timeout_ms)
            .arg(policy.max_per_step)
            .arg(key_ttl_ms)
            .arg(if room.open { "1" } else { "0" });
        let mut reply = Reply::parse("waiting_room/advance.lua", inv.invoke_async(conn).await?)?;
        let now: i64 = reply.take("now")?;
        let pairs: Vec<String> = reply.take("admitted")?;
        let step = Step {
            now: DateTime::from_timestamp_millis(now)
                .ok_or_else(|| reply.error(format_args!("now {now}")))?,
            stale: reply.take("stale")?,
            waiting: reply.take("waiting")?,
            active: reply.take("active")?,
            served: reply.take("served")?,
            admitted: pairs
                .chunks(2)
                .map(|pair| match pair {
                    [user, ticket] => Some((user.parse().ok()?, ticket.parse().ok()?)),
                    _ => None,
                })
                .collect::<Option<_>>()
                .ok_or_else(|| reply.error(format_args!("admitted {pairs:?}")))?,
        };
        reply.finish()?;
        Ok(step)
    }

    /// Records the measured admission rate (fans per second) that ETAs divide by.
    pub async fn set_rate(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        per_second: f64,
    ) -> redis::RedisResult<()> {
        redis::cmd("HSET")
            .arg(self.keys.room(event_id).stats)
            .arg("rate")
            .arg(format!("{per_second:.4}"))
            .query_async(conn)
            .await
    }

    /// The first `count` waiting fans from rank `from`, with their tickets.
    pub async fn waiting_slice(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        from: u64,
        count: u64,
    ) -> redis::RedisResult<Vec<Uuid>> {
        let members: Vec<String> = redis::cmd("ZRANGE")
            .arg(self.keys.room(event_id).line)
            .arg(from)
            .arg(from + count.max(1) - 1)
            .query_async(conn)
            .await?;
        Ok(members.iter().filter_map(|m| m.parse().ok()).collect())
    }

    /// Tickets of the fans waiting at the given users (for position messages).
    pub async fn tickets_of(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        users: &[Uuid],
    ) -> redis::RedisResult<HashMap<Uuid, u64>> {
        if users.is_empty() {
            return Ok(HashMap::new());
        }
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(self.keys.room(event_id).tickets);
        for u in users {
            cmd.arg(u.to_string());
        }
        let tickets: Vec<Option<u64>> = cmd.query_async(conn).await?;
        Ok(users
            .iter()
            .zip(tickets)
            .filter_map(|(u, t)| Some((*u, t?)))
            .collect())
    }

    /// Fans waiting and shopping right now.
    pub async fn counts(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
    ) -> redis::RedisResult<(u64, u64)> {
        let k = self.keys.room(event_id);
        let now_ms = Utc::now().timestamp_millis();
        redis::pipe()
            .zcard(&k.line)
            .zcount(&k.active, format!("({now_ms}"), "+inf")
            .query_async(conn)
            .await
    }

    /// The admission-order audit of one event: how many pairs of fans were admitted in
    /// the opposite order of their arrival. Fans of a shuffled pre-queue may be in any
    /// order among themselves but must all come before later arrivals.
    pub async fn order_audit(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
    ) -> redis::RedisResult<OrderAudit> {
        let k = self.keys.room(event_id);
        let (log, shuffled): (Vec<u64>, Option<u64>) = redis::pipe()
            .lrange(&k.log, 0, -1)
            .hget(&k.stats, "shuffled")
            .query_async(conn)
            .await?;
        Ok(OrderAudit {
            admitted: log.len() as u64,
            inversions: inversions(&log, shuffled.unwrap_or(0)),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderAudit {
    pub admitted: u64,
    pub inversions: u64,
}

/// Pairs admitted out of arrival order. Tickets `<= shuffled_upto` (a shuffled pre-queue)
/// count as one arrival rank among themselves.
pub fn inversions(log: &[u64], shuffled_upto: u64) -> u64 {
    let ranks: Vec<u64> = log
        .iter()
        .map(|&t| if t <= shuffled_upto { 0 } else { t })
        .collect();
    count_inversions(&ranks)
}

/// Pairs i < j with v[i] > v[j], by merge sort.
fn count_inversions(v: &[u64]) -> u64 {
    if v.len() < 2 {
        return 0;
    }
    let (left, right) = v.split_at(v.len() / 2);
    let mut count = count_inversions(left) + count_inversions(right);
    let (mut l, mut r) = (left.to_vec(), right.to_vec());
    l.sort_unstable();
    r.sort_unstable();
    let mut j = 0;
    for x in &l {
        while j < r.len() && r[j] < *x {
            j += 1;
        }
        count += j as u64;
    }
    count
}

/// Seconds until a fan with `ahead` fans in front is admitted: the fans up to and
/// including them ÷ admissions per second.
pub fn eta_seconds(ahead: u64, rate: f64) -> Option<u64> {
    (rate > 0.0).then(|| ((ahead + 1) as f64 / rate).round() as u64)
}

impl RoomKeys {
    pub fn all(&self) -> [&str; 9] {
        [
            &self.counter,
            &self.line,
            &self.tickets,
            &self.heartbeats,
            &self.active,
            &self.grants,
            &self.finished,
            &self.stats,
            &self.log,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_count_out_of_order_pairs() {
        assert_eq!(inversions(&[1, 2, 3, 4], 0), 0);
        assert_eq!(inversions(&[2, 1, 3], 0), 1);
        assert_eq!(inversions(&[3, 2, 1], 0), 3);
        // A shuffled pre-queue (tickets 1..=3) may come in any order, but before ticket 4.
        assert_eq!(inversions(&[3, 1, 2, 4, 5], 3), 0);
        assert_eq!(inversions(&[3, 4, 1, 2, 5], 3), 2);
    }

    #[test]
    fn eta_divides_the_fans_ahead_by_the_rate() {
        assert_eq!(eta_seconds(0, 10.0), Some(0));
        assert_eq!(eta_seconds(14, 10.0), Some(2));
        assert_eq!(eta_seconds(99, 10.0), Some(10));
        assert_eq!(eta_seconds(5, 0.0), None);
    }
}
