//! Seats in Redis: per-seat locks that make losing workers fail fast, and the seat-state
//! hash that lets the api reject requests for taken seats without a queue or a database
//! round trip. Neither decides anything: the conditional update in Postgres does, so a lock
//! or state lost to a Redis restart can never cause a double booking.

use redis::Script;

use crate::infra::redis::RedisConn;
use uuid::Uuid;

use crate::{infra::redis::Keys, live::seat_events::SeatStatus};

/// Takes every lock or none. KEYS[1] is the seat-state hash, KEYS[2..] the lock keys in
/// sorted seat order; ARGV[1] the owner token, ARGV[2] the TTL in ms, ARGV[3..] the seat ids
/// in the same order. Returns "" when all were taken, `taken:<seat>` when a seat is held
/// or sold, `locked:<seat>` when another owner is deciding it right now.
const ACQUIRE: &str = r#"
for i = 2, #KEYS do
  local seat = ARGV[i + 1]
  local state = redis.call('HGET', KEYS[1], seat)
  if state and string.sub(state, 1, 10) ~= 'available:' then return 'taken:' .. seat end
end
for i = 2, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= ARGV[1] then return 'locked:' .. ARGV[i + 1] end
end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return ''
"#;

/// Deletes the locks still held by ARGV[1]; someone else's (after a TTL lapse) stay.
const RELEASE: &str = r#"
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    n = n + 1
  end
end
return n
"#;

/// Applies one seat change: for each seat, records `status:seq` unless a newer change was
/// recorded already (relays may run out of order after a crash); then appends the delta to
/// the seat log and publishes it. KEYS[1] seat state, KEYS[2] seat log; ARGV[1] status,
/// ARGV[2] seq, ARGV[3] payload, ARGV[4] channel (tagged like the keys, so a cluster's
/// SPUBLISH stays on this slot), ARGV[5] log length, ARGV[6] PUBLISH or SPUBLISH,
/// ARGV[7..] seat ids.
const APPLY: &str = r#"
local seq = tonumber(ARGV[2])
for i = 7, #ARGV do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local curseq = -1
  if cur then curseq = tonumber(string.match(cur, ':(%d+)$')) or -1 end
  if seq > curseq then redis.call('HSET', KEYS[1], ARGV[i], ARGV[1] .. ':' .. ARGV[2]) end
end
redis.call('LPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[5]) - 1)
redis.call(ARGV[6], ARGV[4], ARGV[3])
return 1
"#;

/// Sets `status:seq` for each (seat, status) pair unless a change at least as new is
/// recorded. KEYS[1] seat state; ARGV[1] seq; ARGV[2..] seat, status, seat, status, …
const RECONCILE: &str = r#"
local seq = tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV, 2 do
  local cur = redis.call('HGET', KEYS[1], ARGV[i])
  local curseq = -1
  if cur then curseq = tonumber(string.match(cur, ':(%d+)$')) or -1 end
  if seq >= curseq then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ':' .. ARGV[1])
    n = n + 1
  end
end
return n
"#;

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
        let answer: String = inv.invoke_async(conn).await?;
        Ok(match answer.split_once(':') {
            None => LockOutcome::Acquired,
            Some(("taken", seat)) => LockOutcome::Taken(seat.parse().unwrap_or_default()),
            Some((_, seat)) => LockOutcome::Locked(seat.parse().unwrap_or_default()),
        })
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
