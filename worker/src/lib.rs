//! The reservation worker. Each partition queue has a single active consumer, so commands
//! of one event arrive in order; the worker takes what has arrived as a batch, locks the
//! seats in Redis (fail fast), lets Postgres decide the batch in one transaction (earlier
//! commands win), relays the seat changes, replies to the api and only then acks. Nothing
//! is acked before it is committed, and a redelivered command gets its recorded decision.

pub mod config;

use std::{collections::HashMap, sync::Arc, time::Instant};

use futures::StreamExt;
use lapin::{
    message::Delivery,
    options::{
        BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicPublishOptions,
        BasicQosOptions,
    },
    types::{AMQPValue, FieldTable},
    BasicProperties, Channel,
};
use sqlx::PgPool;
use tiketi_core::{infra::amqp::Nodes, infra::redis::RedisConn};
use tiketi_core::{
    infra::redis::Keys,
    live::seat_events,
    reservation,
    reservation::commands::{Decision, Order, Rejection, Reply, ReserveCommand, Topology},
    reservation::seat_state::{LockOutcome, SeatState},
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use uuid::Uuid;

pub use config::WorkerConfig;

struct Shared {
    config: WorkerConfig,
    pool: PgPool,
    redis: RedisConn,
    seats: SeatState,
    topology: Topology,
    /// The RabbitMQ nodes; a lost connection reconnects to the next one.
    nodes: Nodes,
}

/// Runs until `shutdown`, reconnecting to RabbitMQ with backoff when the connection or a
/// consumer ends.
pub async fn run(
    config: WorkerConfig,
    pool: PgPool,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let redis = tiketi_core::infra::redis::connect(&config.infra).await?;
    let keys = Keys::new(config.infra.redis_prefix.clone());
    let shared = Arc::new(Shared {
        topology: Topology::new(config.infra.amqp_prefix.clone(), config.partitions)
            .with_quorum_group_size(config.infra.amqp_quorum_group_size),
        nodes: Nodes::new(&config.infra.amqp_url),
        seats: SeatState::new(keys),
        config,
        pool,
        redis,
    });
    let mut backoff = std::time::Duration::from_millis(200);
    while !shutdown.is_cancelled() {
        let started = Instant::now();
        match consume(shared.clone(), shutdown.clone()).await {
            Ok(()) => break,
            // A rejected certificate will be rejected again: stop and say why.
            Err(e) if tiketi_core::infra::tls::is_rejected(&e) => return Err(e),
            Err(e) => {
                // A connection that served for a while failed afresh (a node died): fail
                // over to the next node quickly instead of after an old, long backoff.
                if started.elapsed() > std::time::Duration::from_secs(10) {
                    backoff = std::time::Duration::from_millis(200);
                }
                tracing::error!(error = %e, "consumers stopped; reconnecting");
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(std::time::Duration::from_secs(5));
            }
        }
    }
    Ok(())
}

/// One connection's life: declare, subscribe to every partition, decide until shutdown or
/// until anything fails (then the caller reconnects).
async fn consume(shared: Arc<Shared>, shutdown: CancellationToken) -> anyhow::Result<()> {
    let conn = shared.nodes.connect("tiketi-worker").await?;
    let setup = conn.create_channel().await?;
    shared.topology.declare(&setup).await?;
    let failed = CancellationToken::new();
    let tasks = TaskTracker::new();
    for p in 0..shared.topology.partitions() {
        let channel = conn.create_channel().await?;
        let shared = shared.clone();
        let stop = shutdown.child_token();
        let failed = failed.clone();
        let fail_stop = failed.clone();
        tasks.spawn(async move {
            let result = tokio::select! {
                r = partition(shared, channel, p, stop.clone()) => r,
                _ = fail_stop.cancelled() => Ok(()),
            };
            if let Err(e) = result {
                tracing::error!(partition = p, error = %e, "partition consumer failed");
                failed.cancel();
            }
        });
    }
    tasks.close();
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = failed.cancelled() => {}
    }
    // Let every partition finish the batch in hand before the connection closes; what was
    // delivered but not acked is redelivered to the next consumer.
    tasks.wait().await;
    let _ = conn.close(200, "worker stopping").await;
    if failed.is_cancelled() && !shutdown.is_cancelled() {
        anyhow::bail!("a partition consumer ended");
    }
    Ok(())
}

fn preferred(config: &WorkerConfig, partition: u16) -> bool {
    partition % config.worker_count == config.worker_index
}

async fn partition(
    shared: Arc<Shared>,
    channel: Channel,
    p: u16,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let config = &shared.config;
    if !preferred(config, p) {
        // Single active consumer goes to whoever subscribes first: let the worker whose
        // share this is take it, and stand by.
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(std::time::Duration::from_secs(2)) => {}
        }
    }
    channel
        .basic_qos(
            (config.batch_max * 2).min(u16::MAX as usize) as u16,
            BasicQosOptions::default(),
        )
        .await?;
    let queue = shared.topology.queue(p);
    let mut consumer = channel
        .basic_consume(
            &queue,
            &format!("worker-{}-{p}", Uuid::new_v4()),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await?;
    tracing::info!(partition = p, queue, "consuming");
    loop {
        let first = tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            next = consumer.next() => match next {
                Some(d) => d?,
                None => anyhow::bail!("consumer of {queue} ended"),
            }
        };
        let mut batch = vec![first];
        let deadline = tokio::time::Instant::now() + config.batch_wait;
        while batch.len() < config.batch_max {
            match tokio::time::timeout_at(deadline, consumer.next()).await {
                Ok(Some(d)) => batch.push(d?),
                Ok(None) => break,
                Err(_) => break,
            }
        }
        decide(&shared, &channel, p, batch).await?;
    }
}

fn request_id_header(d: &Delivery) -> Option<String> {
    let headers = d.properties.headers().as_ref()?;
    match headers.inner().get("x-request-id")? {
        AMQPValue::LongString(s) => Some(s.to_string()),
        _ => None,
    }
}

async fn decide(
    shared: &Shared,
    channel: &Channel,
    p: u16,
    batch: Vec<Delivery>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut commands = Vec::with_capacity(batch.len());
    let mut deliveries = Vec::with_capacity(batch.len());
    for d in batch {
        match serde_json::from_slice::<ReserveCommand>(&d.data) {
            Ok(cmd) => {
                tracing::debug!(request_id = ?request_id_header(&d), reservation_request = %cmd.request_id, "command");
                commands.push(cmd);
                deliveries.push(d);
            }
            Err(e) => {
                // A poison message: dead-letter it, never retry it.
                tracing::error!(error = %e, "unreadable command dead-lettered");
                metrics::counter!("tiketi_worker_poison_messages_total").increment(1);
                d.nack(BasicNackOptions {
                    requeue: false,
                    multiple: false,
                })
                .await?;
            }
        }
    }
    if commands.is_empty() {
        return Ok(());
    }
    metrics::histogram!("tiketi_worker_batch_size").record(commands.len() as f64);

    // Commands whose requester stopped waiting, or whose admission ended, are refused
    // before they take any lock; a redelivered decided command still gets its decision.
    let now = chrono::Utc::now();
    let mut pre_rejected = HashMap::new();
    for cmd in &commands {
        if cmd.deadline.is_some_and(|d| d <= now) {
            pre_rejected.insert(cmd.request_id, Rejection::RequestExpired);
        } else if cmd.hold_until.is_some_and(|t| t <= now) {
            pre_rejected.insert(cmd.request_id, Rejection::AdmissionEnded);
        }
    }

    // One token per batch: commands of this batch may share seats (the database decides
    // between them in order); commands of another batch may not.
    let token = Uuid::new_v4();
    let mut redis = shared.redis.clone();
    let mut locked: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for cmd in &commands {
        let Order::Seats { seat_ids } = &cmd.order else {
            continue;
        };
        if pre_rejected.contains_key(&cmd.request_id) {
            continue;
        }
        let t = Instant::now();
        let ttl = shared.config.lock_ttl;
        let give_up = Instant::now() + ttl;
        loop {
            match shared
                .seats
                .lock(
                    &mut redis,
                    cmd.event_id,
                    seat_ids,
                    token,
                    ttl.as_millis() as u64,
                )
                .await
            {
                Ok(LockOutcome::Acquired) => locked.push((cmd.event_id, seat_ids.clone())),
                Ok(LockOutcome::Taken(seat)) => {
                    metrics::counter!("tiketi_seat_lock_conflicts_total").increment(1);
                    pre_rejected.insert(
                        cmd.request_id,
                        Rejection::SeatUnavailable {
                            seat_ids: vec![seat],
                        },
                    );
                }
                // Someone else is deciding these seats (a worker during failover, or one
                // that died holding the lock): wait for the outcome, at most one TTL, then
                // let Postgres decide regardless.
                Ok(LockOutcome::Locked(_)) if Instant::now() < give_up => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
                Ok(LockOutcome::Locked(_)) => {
                    tracing::warn!(event_id = %cmd.event_id, "seat lock did not lapse in time; deciding in Postgres alone")
                }
                // Locks only make losers fast; without Redis, Postgres still decides safely.
                Err(e) => {
                    tracing::warn!(error = %e, "seat locks unavailable; deciding in Postgres alone")
                }
            }
            break;
        }
        metrics::histogram!("tiketi_seat_lock_acquire_seconds").record(t.elapsed().as_secs_f64());
    }

    let result = match decide_with_retry(shared, &commands, &pre_rejected).await {
        Ok(outcome) => {
            answer(shared, channel, &mut redis, &outcome, &deliveries).await?;
            if let Some(last) = deliveries.last() {
                last.ack(BasicAckOptions { multiple: true }).await?;
            }
            Ok(())
        }
        Err(e) if is_poison(&e) => {
            // One command breaks a database rule. Decide the commands one by one, in
            // order, so only the offender is set aside and the others keep their place.
            tracing::warn!(error = %e, partition = p, "batch refused by the database; deciding its commands one by one");
            for (cmd, delivery) in commands.iter().zip(&deliveries) {
                match decide_with_retry(shared, std::slice::from_ref(cmd), &pre_rejected).await {
                    Ok(outcome) => {
                        answer(
                            shared,
                            channel,
                            &mut redis,
                            &outcome,
                            std::slice::from_ref(delivery),
                        )
                        .await?;
                        delivery.ack(BasicAckOptions::default()).await?;
                    }
                    Err(e) if is_poison(&e) => {
                        set_aside(shared, channel, &mut redis, cmd, delivery, &e).await?
                    }
                    Err(e) => {
                        tracing::error!(error = %e, partition = p, "command failed; it goes back to the queue");
                        delivery
                            .nack(BasicNackOptions {
                                requeue: true,
                                multiple: false,
                            })
                            .await?;
                    }
                }
            }
            Ok(())
        }
        Err(e) => Err(e),
    };
    unlock(shared, &mut redis, &locked, token).await;
    if let Err(e) = result {
        tracing::error!(error = %e, partition = p, "batch failed; messages go back to the queue");
        for d in &deliveries {
            d.nack(BasicNackOptions {
                requeue: true,
                multiple: false,
            })
            .await?;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        return Ok(());
    }
    metrics::histogram!("tiketi_worker_command_seconds")
        .record(started.elapsed().as_secs_f64() / deliveries.len() as f64);
    Ok(())
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
    let outcome = reservation::BatchOutcome {
        decisions: vec![(cmd.clone(), Decision::Rejected(rejection))],
        ..Default::default()
    };
    answer(
        shared,
        channel,
        redis,
        &outcome,
        std::slice::from_ref(delivery),
    )
    .await?;
    delivery
        .nack(BasicNackOptions {
            requeue: false,
            multiple: false,
        })
        .await?;
    Ok(())
}

/// Relays a committed outcome's seat changes and tells each requester its decision (its
/// reply queue and its `user` topic).
async fn answer(
    shared: &Shared,
    channel: &Channel,
    redis: &mut RedisConn,
    outcome: &reservation::BatchOutcome,
    deliveries: &[Delivery],
) -> anyhow::Result<()> {
    if let Err(e) = seat_events::relay(&shared.pool, redis, &shared.seats, &outcome.outbox).await {
        tracing::warn!(error = %e, "relay failed; the sweeper will retry");
    }
    for ((cmd, decision), delivery) in outcome.decisions.iter().zip(deliveries) {
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
        let result = match decision {
            Decision::Reserved { reservation_id } => {
                serde_json::json!({"requestId": cmd.request_id, "outcome": "reserved", "reservationId": reservation_id})
            }
            Decision::Rejected(r) => {
                serde_json::json!({"requestId": cmd.request_id, "outcome": "rejected", "code": r.code(), "details": r.details()})
            }
        };
        let _ = seat_events::publish(
            redis,
            shared.seats.keys(),
            &seat_events::user_topic(cmd.user_id),
            "reservation-result",
            result,
        )
        .await;
        if let (Some(reply_to), Some(corr)) = (
            delivery.properties.reply_to(),
            delivery.properties.correlation_id(),
        ) {
            let reservation = match decision {
                Decision::Reserved { reservation_id } => {
                    outcome.views.get(reservation_id).cloned().map(Box::new)
                }
                Decision::Rejected(_) => None,
            };
            let reply = Reply {
                request_id: cmd.request_id,
                decision: decision.clone(),
                reservation,
            };
            let body = serde_json::to_vec(&reply)?;
            // Replies are a convenience: the decision is recorded, so a lost reply costs
            // the fan one poll of GET /api/seats/requests/:id.
            let _ = channel
                .basic_publish(
                    "",
                    reply_to.as_str(),
                    BasicPublishOptions::default(),
                    &body,
                    BasicProperties::default()
                        .with_correlation_id(corr.clone())
                        .with_content_type("application/json".into()),
                )
                .await;
        }
    }
    Ok(())
}

async fn decide_with_retry(
    shared: &Shared,
    commands: &[ReserveCommand],
    pre_rejected: &HashMap<Uuid, Rejection>,
) -> Result<reservation::BatchOutcome, sqlx::Error> {
    let mut attempt = 0;
    loop {
        match reservation::decide_batch(
            &shared.pool,
            commands,
            pre_rejected,
            shared.config.hold_seconds,
        )
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

async fn unlock(shared: &Shared, redis: &mut RedisConn, locked: &[(Uuid, Vec<Uuid>)], token: Uuid) {
    for (event_id, seats) in locked {
        if let Err(e) = shared.seats.unlock(redis, *event_id, seats, token).await {
            tracing::warn!(error = %e, "seat unlock failed; the locks will lapse");
        }
    }
}
