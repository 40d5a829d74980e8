//! One batch from delivery to ack, as a sequence of small steps: read the commands, refuse
//! the stale ones, lock seats in Redis ([`lock`](crate::lock)), let Postgres decide
//! (`reservation::decide_batch`, the pure arbiter inside one transaction), then announce
//! ([`announce`](crate::announce)), reply and ack ([`reply`](crate::reply)). A batch the
//! database refuses as a whole because of one command is decided again command by
//! command, so only the offender is set aside.

use std::{collections::HashMap, time::Instant};

use chrono::{DateTime, Utc};
use lapin::{message::Delivery, types::AMQPValue, Channel};
use tiketi_core::{
    infra::redis::RedisConn,
    reservation,
    reservation::{
        commands::{Decision, Rejection, ReserveCommand},
        wire, BatchOutcome,
    },
};
use uuid::Uuid;

use crate::{announce::announce, lock, reply, Shared};

/// Decides one batch of deliveries of partition `p`, in order, and settles every delivery
/// (ack, requeue or dead-letter). An `Err` means the channel itself failed.
pub(crate) async fn batch(
    shared: &Shared,
    channel: &Channel,
    p: u16,
    batch: Vec<Delivery>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let (commands, deliveries) = read(batch).await?;
    if commands.is_empty() {
        return Ok(());
    }
    metrics::histogram!("tiketi_worker_batch_size").record(commands.len() as f64);
    let mut refused = refuse_stale(&commands, Utc::now());
    let mut redis = shared.redis.clone();
    let locks = lock::lock_seats(shared, &mut redis, &commands, &mut refused).await;
    let settled = match decide_with_retry(shared, &commands, &refused).await {
        Ok(outcome) => settle(shared, channel, &mut redis, &outcome, &deliveries)
            .await
            .map(|()| true),
        Err(e) if is_poison(&e) => {
            tracing::warn!(error = %e, partition = p, "batch refused by the database; deciding its commands one by one");
            one_by_one(
                shared,
                channel,
                &mut redis,
                p,
                &commands,
                &deliveries,
                &refused,
            )
            .await
            .map(|()| true)
        }
        Err(e) => {
            tracing::error!(error = %e, partition = p, "batch failed; messages go back to the queue");
            Ok(false)
        }
    };
    lock::unlock(shared, &mut redis, &locks).await;
    if !settled? {
        for d in &deliveries {
            reply::requeue(d).await?;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        return Ok(());
    }
    metrics::histogram!("tiketi_worker_command_seconds")
        .record(started.elapsed().as_secs_f64() / deliveries.len() as f64);
    Ok(())
}

/// Decodes the batch's commands, keeping each with its delivery. An unreadable message is
/// poison: it is dead-lettered at once, never retried.
async fn read(batch: Vec<Delivery>) -> anyhow::Result<(Vec<ReserveCommand>, Vec<Delivery>)> {
    let mut commands = Vec::with_capacity(batch.len());
    let mut deliveries = Vec::with_capacity(batch.len());
    for d in batch {
        match wire::decode::<ReserveCommand>(&d.data) {
            Ok(cmd) => {
                tracing::debug!(request_id = ?request_id_header(&d), reservation_request = %cmd.request_id, "command");
                commands.push(cmd);
                deliveries.push(d);
            }
            Err(e) => {
                tracing::error!(error = %e, "unreadable command dead-lettered");
                metrics::counter!("tiketi_worker_poison_messages_total").increment(1);
                reply::dead_letter(&d).await?;
            }
        }
    }
    Ok((commands, deliveries))
}

/// The api's request id of a delivery, for the logs.
fn request_id_header(d: &Delivery) -> Option<String> {
    let headers = d.properties.headers().as_ref()?;
    match headers.inner().get("x-request-id")? {
        AMQPValue::LongString(s) => Some(s.to_string()),
        _ => None,
    }
}

/// Refusals decided before any lock is taken: the requester stopped waiting, or the
/// waiting-room admission the command was made under has ended. A redelivered command
/// decided before still gets its recorded decision (the arbiter looks that up first).
fn refuse_stale(commands: &[ReserveCommand], now: DateTime<Utc>) -> HashMap<Uuid, Rejection> {
    let mut refused = HashMap::new();
    for cmd in commands {
        if cmd.deadline.is_some_and(|d| d <= now) {
            refused.insert(cmd.request_id, Rejection::RequestExpired);
        } else if cmd.hold_until.is_some_and(|t| t <= now) {
            refused.insert(cmd.request_id, Rejection::AdmissionEnded);
        }
    }
    refused
}

/// Decides `commands` in one transaction, again after a serialization failure or a
/// deadlock (up to three more times).
async fn decide_with_retry(
    shared: &Shared,
    commands: &[ReserveCommand],
    refused: &HashMap<Uuid, Rejection>,
) -> Result<BatchOutcome, sqlx::Error> {
    let mut attempt = 0;
    loop {
        match reservation::decide_batch(&shared.pool, commands, refused, shared.config.hold_seconds)
            .await
        {
            Err(sqlx::Error::Database(e))
                if attempt < 3 && matches!(e.code().as_deref(), Some("40001" | "40P01")) =>
            {
                attempt += 1;
                tracing::warn!(attempt, "batch retried after a serialization failure");
            }
            other => return other,
        }
    }
}

/// A database error that deciding the same commands again cannot cure: a broken
/// integrity rule (class 23) or invalid data (class 22). Anything else (connection,
/// timeout, serialization) is worth a retry.
fn is_poison(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("23") || c.starts_with("22")),
        _ => false,
    }
}

/// A committed outcome is announced, replied to, then acked: nothing is acked before it
/// is committed.
async fn settle(
    shared: &Shared,
    channel: &Channel,
    redis: &mut RedisConn,
    outcome: &BatchOutcome,
    deliveries: &[Delivery],
) -> anyhow::Result<()> {
    announce(shared, redis, outcome).await;
    reply::reply(channel, outcome, deliveries).await?;
    reply::ack_all(deliveries).await
}

/// Decides the commands one by one, in order, each in its own transaction through the same
/// arbiter: the offender is set aside, the others keep their place and their answers.
async fn one_by_one(
    shared: &Shared,
    channel: &Channel,
    redis: &mut RedisConn,
    p: u16,
    commands: &[ReserveCommand],
    deliveries: &[Delivery],
    refused: &HashMap<Uuid, Rejection>,
) -> anyhow::Result<()> {
    for (cmd, delivery) in commands.iter().zip(deliveries) {
        let delivery = std::slice::from_ref(delivery);
        match decide_with_retry(shared, std::slice::from_ref(cmd), refused).await {
            Ok(outcome) => settle(shared, channel, redis, &outcome, delivery).await?,
            Err(e) if is_poison(&e) => {
                set_aside(shared, channel, redis, cmd, &delivery[0], &e).await?
            }
            Err(e) => {
                tracing::error!(error = %e, partition = p, "command failed; it goes back to the queue");
                reply::requeue(&delivery[0]).await?;
            }
        }
    }
    Ok(())
}

/// Answers a command that can never be decided and dead-letters it: its requester hears
/// REQUEST_NOT_PROCESSABLE instead of waiting, and nobody else's command is held up.
async fn set_aside(
    shared: &Shared,
    channel: &Channel,
    redis: &mut RedisConn,
    cmd: &ReserveCommand,
    delivery: &Delivery,
    error: &sqlx::Error,
) -> anyhow::Result<()> {
    tracing::error!(error = %error, reservation_request = %cmd.request_id, "undecidable command dead-lettered");
    metrics::counter!("tiketi_worker_poison_messages_total").increment(1);
    let rejection = Rejection::RequestNotProcessable;
    if let Err(e) = reservation::record_rejection(&shared.pool, cmd, rejection.clone()).await {
        tracing::warn!(error = %e, "the refusal of an undecidable command could not be recorded");
    }
    let outcome = BatchOutcome {
        decisions: vec![(cmd.clone(), Decision::Rejected(rejection))],
        ..Default::default()
    };
    announce(shared, redis, &outcome).await;
    reply::reply(channel, &outcome, std::slice::from_ref(delivery)).await?;
    reply::dead_letter(delivery).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiketi_core::reservation::commands::Order;

    fn command(
        deadline: Option<DateTime<Utc>>,
        hold_until: Option<DateTime<Utc>>,
    ) -> ReserveCommand {
        ReserveCommand {
            request_id: Uuid::new_v4(),
            user_id: Uuid::new_v4(),
            event_id: Uuid::new_v4(),
            order: Order::Seats {
                seat_ids: vec![Uuid::new_v4()],
            },
            requested_at: Utc::now(),
            hold_until,
            deadline,
        }
    }

    #[test]
    fn stale_commands_are_refused_and_the_deadline_is_told_first() {
        let now = Utc::now();
        let past = Some(now - chrono::Duration::seconds(1));
        let future = Some(now + chrono::Duration::seconds(30));
        let batch = [
            command(None, None),
            command(future, future),
            command(past, None),
            command(None, past),
            command(past, past),
        ];
        let refused = refuse_stale(&batch, now);
        assert_eq!(refused.len(), 3);
        assert!(!refused.contains_key(&batch[0].request_id));
        assert!(!refused.contains_key(&batch[1].request_id));
        assert_eq!(refused[&batch[2].request_id], Rejection::RequestExpired);
        assert_eq!(refused[&batch[3].request_id], Rejection::AdmissionEnded);
        assert_eq!(refused[&batch[4].request_id], Rejection::RequestExpired);
    }
}
