//! Announcing a committed batch: its seat and stock changes go out as live deltas (each
//! carrying its event's `seq`) and every requester hears its decision on its `user` topic.
//! Best effort: the outbox keeps unrelayed changes for the sweeper, and a fan who misses
//! the result still gets it from the reply or a poll of the request.

use tiketi_core::{
    infra::redis::RedisConn,
    live::{seat_events, Live},
    reservation::{commands::Decision, BatchOutcome},
};

use crate::Shared;

/// Relays the outbox rows of `outcome`, then publishes each command's result and counts it.
pub(crate) async fn announce(shared: &Shared, redis: &mut RedisConn, outcome: &BatchOutcome) {
    if let Err(e) = seat_events::relay(&shared.pool, redis, &shared.seats, &outcome.outbox).await {
        tracing::warn!(error = %e, "relay failed; the sweeper will retry");
    }
    for (cmd, decision) in &outcome.decisions {
        let outcome_label = match decision {
            Decision::Reserved { .. } => "reserved",
            Decision::Rejected(r) => r.code(),
        };
        metrics::counter!("tiketi_reservation_requests_total", "outcome" => outcome_label)
            .increment(1);
        let age = (chrono::Utc::now() - cmd.requested_at)
            .num_microseconds()
            .unwrap_or(0) as f64
            / 1e6;
        metrics::histogram!("tiketi_reservation_e2e_seconds").record(age.max(0.0));
        let result = Live::ReservationResult {
            user_id: cmd.user_id,
            request_id: cmd.request_id,
            decision: decision.clone(),
        };
        let _ = seat_events::publish(redis, shared.seats.keys(), &result).await;
    }
}
