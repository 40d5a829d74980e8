//! Seats in Redis: per-seat locks that make losing workers fail fast, and the seat-state
//! hash that lets the api reject requests for taken seats without a queue or a database
//! round trip. Neither decides anything: the conditional update in Postgres does, so a lock
//! or state lost to a Redis restart can never cause a double booking.

use redis::Script;

use crate::infra::redis::RedisConn;
use crate::infra::script::Reply;
use uuid::Uuid;

use crate::{infra::redis::Keys, live::seat_events::SeatStatus};

// The scripts, each documented at its top with its KEYS and ARGV.
const ACQUIRE: &str = include_str!("seat_state/acquire.lua");
const RELEASE: &str = include_str!("seat_state/release.lua");
const APPLY: &str = include_str!("seat_state/apply.lua");
const RECONCILE: &str = include_str!("seat_state/reconcile.lua");

/// How many recent deltas per event are kept for catching up.
pub const SEAT_LOG_LENGTH: usize = 2000;

#[derive(Debug, PartialEq, Eq)]
pub enum LockOutcome {
    Acquired,
    /// This seat is held or sold: the request can lose at once.
    Taken(Uuid),
    /// Another owner is deciding this seat (or crashed while deciding it; its lock lapses
    /// with the TTL). Not a reason to lose: wait, or let Postgres decide.
    Locked(Uuid),
}

#[derive(Clone)]
pub struct SeatState {
    keys: Keys,
    acquire: std::sync::Arc<Script>,
    release: std::sync::Arc<Script>,
    apply: std::sync::Arc<Script>,
    reconcile: std::sync::Arc<Script>,
}

impl SeatState {
    pub fn new(keys: Keys) -> Self {
        Self {
            keys,
            acquire: std::sync::Arc::new(Script::new(ACQUIRE)),
            release: std::sync::Arc::new(Script::new(RELEASE)),
            apply: std::sync::Arc::new(Script::new(APPLY)),
            reconcile: std::sync::Arc::new(Script::new(RECONCILE)),
        }
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Locks `seats` (sorted here, so two requests never wait on each other in a cycle)
    /// for `ttl_ms`, all or nothing.
    pub async fn lock(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        seats: &[Uuid],
        token: Uuid,
        ttl_ms: u64,
    ) -> redis::RedisResult<LockOutcome> {
        let mut sorted = seats.to_vec();
        sorted.sort();
        let mut inv = self.acquire.prepare_invoke();
        inv.key(self.keys.seat_state(event_id));
        for s in &sorted {
            inv.key(self.keys.seat_lock(event_id, *s));
        }
        inv.arg(token.to_string()).arg(ttl_ms);
        for s in &sorted {
            inv.arg(s.to_string());
        }
        let mut reply = Reply::parse("seat_state/acquire.lua", inv.invoke_async(conn).await?)?;
        let outcome: String = reply.take("outcome")?;
        let outcome = match outcome.as_str() {
            "acquired" => {
                let _none: String = reply.take("seat")?;
                LockOutcome::Acquired
            }
            "taken" => LockOutcome::Taken(reply.parse_field("seat")?),
            "locked" => LockOutcome::Locked(reply.parse_field("seat")?),
            other => return Err(reply.error(format_args!("outcome {other}"))),
        };
        reply.finish()?;
        Ok(outcome)
    }

    /// Releases the locks `token` still owns (compare, then delete).
    pub async fn unlock(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        seats: &[Uuid],
        token: Uuid,
    ) -> redis::RedisResult<u32> {
        let mut inv = self.release.prepare_invoke();
        for s in seats {
            inv.key(self.keys.seat_lock(event_id, *s));
        }
        inv.arg(token.to_string());
        inv.invoke_async(conn).await
    }

    /// The seats among `seats` that Redis believes are held or sold.
    pub async fn taken(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        seats: &[Uuid],
    ) -> redis::RedisResult<Vec<Uuid>> {
        if seats.is_empty() {
            return Ok(vec![]);
        }
        let fields: Vec<String> = seats.iter().map(Uuid::to_string).collect();
        let states: Vec<Option<String>> = redis::cmd("HMGET")
            .arg(self.keys.seat_state(event_id))
            .arg(&fields)
            .query_async(conn)
            .await?;
        Ok(seats
            .iter()
            .zip(states)
            .filter(|(_, s)| s.as_deref().is_some_and(|s| !s.starts_with("available:")))
            .map(|(id, _)| *id)
            .collect())
    }

    /// Records a seat change, appends it to the seat log and publishes it, atomically.
    pub async fn apply(
        &self,
        conn: &mut RedisConn,
        change: &crate::live::seat_events::SeatChange,
        payload: &str,
    ) -> redis::RedisResult<()> {
        let mut inv = self.apply.prepare_invoke();
        inv.key(self.keys.seat_state(change.event_id))
            .key(self.keys.seat_log(change.event_id))
            .arg(change.status.as_str())
            .arg(change.seq)
            .arg(payload)
            .arg(self.keys.ws_channel(&format!("seats:{}", change.event_id)))
            .arg(SEAT_LOG_LENGTH)
            .arg(crate::infra::redis::publish_command(conn.mode()));
        for s in &change.seat_ids {
            inv.arg(s.to_string());
        }
        inv.invoke_async::<i64>(conn).await.map(|_| ())
    }

    /// Records `seats` (id, status) as of `seq`, except where a newer change has been
    /// relayed meanwhile.
    pub async fn overwrite(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
        seats: &[(Uuid, SeatStatus)],
        seq: i64,
    ) -> redis::RedisResult<()> {
        for chunk in seats.chunks(500) {
            let mut inv = self.reconcile.prepare_invoke();
            inv.key(self.keys.seat_state(event_id)).arg(seq);
            for (id, status) in chunk {
                inv.arg(id.to_string()).arg(status.as_str());
            }
            inv.invoke_async::<i64>(conn).await?;
        }
        Ok(())
    }

    /// The whole seat-state hash: seat id → status.
    pub async fn all(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
    ) -> redis::RedisResult<std::collections::HashMap<Uuid, String>> {
        Ok(self
            .versions(conn, event_id)
            .await?
            .into_iter()
            .map(|(id, (status, _))| (id, status))
            .collect())
    }

    /// The whole seat-state hash with versions: seat id → (status, seq of the change).
    pub async fn versions(
        &self,
        conn: &mut RedisConn,
        event_id: Uuid,
    ) -> redis::RedisResult<std::collections::HashMap<Uuid, (String, i64)>> {
        let raw: std::collections::HashMap<String, String> = redis::cmd("HGETALL")
            .arg(self.keys.seat_state(event_id))
            .query_async(conn)
            .await?;
        Ok(raw
            .into_iter()
            .filter_map(|(k, v)| {
                let (status, seq) = v.rsplit_once(':')?;
                Some((k.parse().ok()?, (status.to_string(), seq.parse().ok()?)))
            })
            .collect())
    }
}

/// Makes Redis's seat state of one event agree with Postgres. Returns how many seats had
/// drifted (0 when they agreed, in which case nothing is written).
///
/// Redis is compared with one database snapshot (seat statuses as of `seat_seq` S), so only
/// a real disagreement counts, never a change on its way: a seat Redis already shows at a
/// seq above S changed after the snapshot, and a seat named by an outbox row not yet
/// published is being relayed by its writer (or will be by the sweeper). Every change at
/// or below S committed before the snapshot (seqs are taken under the event row's lock),
/// and a published row was applied to Redis first, so what remains is lost or wrong state.
pub async fn reconcile(
    pool: &sqlx::PgPool,
    conn: &mut RedisConn,
    state: &SeatState,
    event_id: Uuid,
) -> anyhow::Result<usize> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let seq = sqlx::query_scalar!("SELECT seat_seq FROM events WHERE id = $1", event_id)
        .fetch_one(&mut *tx)
        .await?;
    let truth = sqlx::query!(
        r#"SELECT id, status AS "status: SeatStatus" FROM seats WHERE event_id = $1"#,
        event_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let in_flight: std::collections::HashSet<Uuid> = sqlx::query_scalar!(
        r#"SELECT DISTINCT seat.id::uuid AS "id!"
           FROM outbox o, jsonb_array_elements_text(o.payload->'data'->'seatIds') AS seat(id)
          WHERE o.event_id = $1 AND o.topic = 'seats:' || $1::uuid::text AND o.published_at IS NULL"#,
        event_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    tx.commit().await?;
    let seen = state.versions(conn, event_id).await?;
    let drifted: Vec<(Uuid, SeatStatus)> = truth
        .into_iter()
        .filter(|seat| {
            if in_flight.contains(&seat.id) {
                return false;
            }
            match seen.get(&seat.id) {
                Some((shown, shown_seq)) => *shown_seq <= seq && shown != seat.status.as_str(),
                None => seat.status != SeatStatus::Available,
            }
        })
        .map(|seat| (seat.id, seat.status))
        .collect();
    state.overwrite(conn, event_id, &drifted, seq).await?;
    Ok(drifted.len())
}
