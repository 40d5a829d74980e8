//! Paying without an `Idempotency-Key` (the plan's request): the reservation is then the
//! idempotency scope. Payment attempts of one reservation take turns (a Redis lease), so
//! a retry that races the first request waits for its answer rather than charging the
//! provider again, and the implicit key makes the retry find that answer.

use std::time::Duration;

use tiketi_core::infra::lease::Lease;
use uuid::Uuid;

use crate::{error::ApiResult, state::AppState};

/// Longer than any payment takes (the provider's latency plus two transactions); a turn
/// whose api died is free again after it.
const TURN_TTL: Duration = Duration::from_secs(30);
/// How long a request waits for another attempt of the same reservation to finish.
const TURN_WAIT: Duration = Duration::from_secs(15);
const TURN_POLL: Duration = Duration::from_millis(20);

/// This request's turn to pay for a reservation; [`Turn::end`] it when done.
pub struct Turn(Lease);

/// Waits until no other attempt is paying for `reservation_id`, then takes the turn.
/// 503 (retry in a second) when the other attempt takes longer than [`TURN_WAIT`] or Redis
/// cannot be reached.
pub async fn take_turn(state: &AppState, reservation_id: Uuid) -> ApiResult<Turn> {
    let lease = Lease::new(state.cache.keys().payment_turn(reservation_id), TURN_TTL);
    let mut redis = state.redis.clone();
    let deadline = tokio::time::Instant::now() + TURN_WAIT;
    while !lease.hold(&mut redis).await {
        if tokio::time::Instant::now() >= deadline {
            return Err(crate::error::ApiError::Unavailable { retry_after: 1 });
        }
        tokio::time::sleep(TURN_POLL).await;
    }
    Ok(Turn(lease))
}

impl Turn {
    pub async fn end(self, state: &AppState) {
        let mut redis = state.redis.clone();
        self.0.give_up(&mut redis).await;
    }
}

/// The key a payment without one is recorded under: the reservation and the number of
/// declined attempts so far. A retry after a success finds that success (nothing is
/// declined after it); a new attempt after a decline gets a fresh key and really retries.
pub async fn implicit_key(
    pool: &sqlx::PgPool,
    reservation_id: Uuid,
    user_id: Uuid,
) -> ApiResult<String> {
    let declined = sqlx::query_scalar!(
        r#"SELECT count(*) AS "declined!" FROM payments
           WHERE reservation_id = $1 AND user_id = $2 AND status = 'declined'"#,
        reservation_id,
        user_id
    )
    .fetch_one(pool)
    .await?;
    Ok(format!("reservation:{reservation_id}:{declined}"))
}
