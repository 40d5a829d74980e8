//! Redis seat locks: they make a batch's losers fail fast and keep contention off
//! Postgres. They are not what guarantees correctness (the conditional UPDATE is), so any
//! Redis trouble means deciding in Postgres alone, never failing the batch.

use std::{collections::HashMap, time::Instant};

use tiketi_core::{
    infra::redis::RedisConn,
    reservation::{
        commands::{Order, Rejection, ReserveCommand},
        seat_state::LockOutcome,
    },
};
use uuid::Uuid;

use crate::Shared;

/// The locks one batch holds: one token for the whole batch, so commands of the batch may
/// share seats (the database decides between them in order) while another batch may not.
pub(crate) struct SeatLocks {
    token: Uuid,
    locked: Vec<(Uuid, Vec<Uuid>)>,
}

/// Locks each seat command's seats (sorted by the lock script, all or nothing), in arrival
/// order. A command whose seats are taken is refused into `refused`; seats being decided
/// by another worker are waited for at most one lock TTL, then left to Postgres. Commands
/// already refused take no lock.
pub(crate) async fn lock_seats(
    shared: &Shared,
    redis: &mut RedisConn,
    commands: &[ReserveCommand],
    refused: &mut HashMap<Uuid, Rejection>,
) -> SeatLocks {
    let mut locks = SeatLocks {
        token: Uuid::new_v4(),
        locked: Vec::new(),
    };
    for cmd in commands {
        let Order::Seats { seat_ids } = &cmd.order else {
            continue;
        };
        if refused.contains_key(&cmd.request_id) {
            continue;
        }
        let started = Instant::now();
        match lock_one(shared, redis, cmd.event_id, seat_ids, locks.token).await {
            Some(LockOutcome::Acquired) => locks.locked.push((cmd.event_id, seat_ids.clone())),
            Some(LockOutcome::Taken(seat)) => {
                metrics::counter!("tiketi_seat_lock_conflicts_total").increment(1);
                refused.insert(
                    cmd.request_id,
                    Rejection::SeatUnavailable {
                        seat_ids: vec![seat],
                    },
                );
            }
            Some(LockOutcome::Locked(_)) | None => {}
        }
        metrics::histogram!("tiketi_seat_lock_acquire_seconds")
            .record(started.elapsed().as_secs_f64());
    }
    locks
}

/// One command's lock attempt. Seats another worker is deciding right now (a worker during
/// failover, or one that died holding the lock) are retried until one TTL has passed;
/// `None` (or a lock still held) means Postgres decides alone.
async fn lock_one(
    shared: &Shared,
    redis: &mut RedisConn,
    event_id: Uuid,
    seat_ids: &[Uuid],
    token: Uuid,
) -> Option<LockOutcome> {
    let ttl = shared.config.lock_ttl;
    let give_up = Instant::now() + ttl;
    loop {
        match shared
            .seats
            .lock(redis, event_id, seat_ids, token, ttl.as_millis() as u64)
            .await
        {
            Ok(LockOutcome::Locked(_)) if Instant::now() < give_up => {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Ok(outcome @ LockOutcome::Locked(_)) => {
                tracing::warn!(%event_id, "seat lock did not lapse in time; deciding in Postgres alone");
                return Some(outcome);
            }
            Ok(outcome) => return Some(outcome),
            Err(e) => {
                tracing::warn!(error = %e, "seat locks unavailable; deciding in Postgres alone");
                return None;
            }
        }
    }
}

/// Releases the batch's locks (compare token, then delete); a failure leaves them to lapse.
pub(crate) async fn unlock(shared: &Shared, redis: &mut RedisConn, locks: &SeatLocks) {
    for (event_id, seats) in &locks.locked {
        if let Err(e) = shared
            .seats
            .unlock(redis, *event_id, seats, locks.token)
            .await
        {
            tracing::warn!(error = %e, "seat unlock failed; the locks will lapse");
        }
    }
}
