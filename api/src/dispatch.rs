//! Sending reserve commands to the workers and waiting for their replies. Commands are
//! published persistent, mandatory and with publisher confirms, so a 202 or 201 is only
//! answered once RabbitMQ has taken responsibility for the command. Replies arrive on this
//! instance's own exclusive queue and are matched by correlation id.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use futures::StreamExt;
use lapin::{
    options::{
        BasicConsumeOptions, BasicPublishOptions, ConfirmSelectOptions, QueueDeclareOptions,
    },
    publisher_confirm::Confirmation,
    types::{AMQPValue, FieldTable},
    BasicProperties, Channel,
};
use tiketi_core::{
    infra::amqp::Broker,
    reservation::commands::{Reply, ReserveCommand, Topology},
};
use tokio::sync::oneshot;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error("the command queue is unavailable")]
    Unavailable(#[source] anyhow::Error),
    #[error("the command was not accepted by the broker")]
    Refused,
}

/// Tries of one publish before the api gives up and answers 503; with the pauses between
/// them they span a node failover (reconnect plus a quorum leader election).
const PUBLISH_ATTEMPTS: u32 = 5;
const PUBLISH_RETRY_PAUSE: Duration = Duration::from_millis(200);

/// Why one publish attempt did not end in a confirm.
#[derive(Debug)]
enum PublishFailure {
    /// The connection or channel broke, or none could be opened.
    Broken(anyhow::Error),
    /// The broker refused the message (a quorum queue without a leader does).
    Nacked,
    /// No queue is bound for the routing key.
    Returned,
}

/// Requests waiting for a reply, by request id. One id may have several waiters: a fan's
/// retries with the same Idempotency-Key publish the same command again.
type Waiters = Arc<Mutex<HashMap<Uuid, Vec<(u64, oneshot::Sender<Reply>)>>>>;

/// A registered wait for one reply.
pub struct Waiter {
    request_id: Uuid,
    id: u64,
    rx: oneshot::Receiver<Reply>,
}

struct Link {
    publish: Channel,
    /// This link's exclusive reply queue. Each link declares a fresh one: the queue of a
    /// link lost with its node may linger in the cluster's metadata for a while, and
    /// declaring it again would fail with RESOURCE_LOCKED.
    reply_queue: String,
    /// Tells this link from the ones built after it, so that a publish failing on an old
    /// link does not tear down the new one another request has just built.
    generation: u64,
    _replies: Channel,
    /// Cleared when the reply consumer ends (its queue's node died, or the broker
    /// cancelled it), so the next publish rebuilds the link instead of waiting for
    /// replies that can no longer arrive.
    replies_alive: Arc<AtomicBool>,
}

pub struct Dispatcher {
    broker: Arc<Broker>,
    topology: Topology,
    reply_prefix: String,
    link: tokio::sync::Mutex<Option<Link>>,
    generations: std::sync::atomic::AtomicU64,
    waiters: Waiters,
    next_waiter: std::sync::atomic::AtomicU64,
}

impl Dispatcher {
    pub fn new(broker: Arc<Broker>, topology: Topology) -> Self {
        let reply_prefix = format!("{}.replies.{}", topology.exchange(), Uuid::new_v4());
        Self {
            broker,
            topology,
            reply_prefix,
            link: tokio::sync::Mutex::new(None),
            generations: Default::default(),
            waiters: Default::default(),
            next_waiter: Default::default(),
        }
    }

    /// Opens (or reopens after a connection loss) the publishing channel and the reply
    /// consumer, and declares the topology. Returns the channel, the reply queue and the
    /// link's generation.
    async fn channel(&self) -> anyhow::Result<(Channel, String, u64)> {
        let mut link = self.link.lock().await;
        if let Some(l) = link.as_ref() {
            if l.publish.status().connected() && l.replies_alive.load(Ordering::Relaxed) {
                return Ok((l.publish.clone(), l.reply_queue.clone(), l.generation));
            }
        }
        let generation = self.generations.fetch_add(1, Ordering::Relaxed) + 1;
        let reply_queue = format!("{}.{}", self.reply_prefix, Uuid::new_v4().simple());
        let publish = self.broker.channel().await?;
        publish
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        self.topology.declare(&publish).await?;
        let replies = self.broker.channel().await?;
        replies
            .queue_declare(
                &reply_queue,
                QueueDeclareOptions {
                    exclusive: true,
                    auto_delete: true,
                    ..Default::default()
                },
                FieldTable::default(),
            )
            .await?;
        let mut consumer = replies
            .basic_consume(
                &reply_queue,
                "api-replies",
                BasicConsumeOptions {
                    no_ack: true,
                    ..Default::default()
                },
                FieldTable::default(),
            )
            .await?;
        let waiters = self.waiters.clone();
        let replies_alive = Arc::new(AtomicBool::new(true));
        let alive = replies_alive.clone();
        tokio::spawn(async move {
            while let Some(Ok(delivery)) = consumer.next().await {
                let Ok(reply) = serde_json::from_slice::<Reply>(&delivery.data) else {
                    continue;
                };
                let waiting = waiters
                    .lock()
                    .expect("waiters lock")
                    .remove(&reply.request_id);
                for (_, tx) in waiting.into_iter().flatten() {
                    let _ = tx.send(reply.clone());
                }
            }
            alive.store(false, Ordering::Relaxed);
        });
        *link = Some(Link {
            publish: publish.clone(),
            reply_queue: reply_queue.clone(),
            generation,
            _replies: replies,
            replies_alive,
        });
        Ok((publish, reply_queue, generation))
    }

    /// Publishes `cmd`; with `wait`, returns a receiver for the worker's reply.
    pub async fn publish(
        &self,
        cmd: &ReserveCommand,
        http_request_id: Option<&str>,
        wait: bool,
    ) -> Result<Option<Waiter>, DispatchError> {
        let started = Instant::now();
        let body = serde_json::to_vec(cmd).map_err(|e| DispatchError::Unavailable(e.into()))?;
        let partition = self.topology.partition_of(cmd.event_id);
        let mut headers = FieldTable::default();
        if let Some(id) = http_request_id {
            headers.insert("x-request-id".into(), AMQPValue::LongString(id.into()));
        }
        let props = BasicProperties::default()
            .with_delivery_mode(2)
            .with_content_type("application/json".into())
            .with_message_id(cmd.request_id.to_string().into())
            .with_correlation_id(cmd.request_id.to_string().into())
            .with_headers(headers);
        let receiver = if wait {
            let (tx, rx) = oneshot::channel();
            let id = self.next_waiter.fetch_add(1, Ordering::Relaxed);
            self.waiters
                .lock()
                .expect("waiters lock")
                .entry(cmd.request_id)
                .or_default()
                .push((id, tx));
            Some(Waiter {
                request_id: cmd.request_id,
                id,
                rx,
            })
        } else {
            None
        };
        let result = self.publish_with_retry(partition, &body, props, wait).await;
        metrics::histogram!("tiketi_amqp_publish_seconds").record(started.elapsed().as_secs_f64());
        match result {
            Ok(()) => Ok(receiver),
            Err(e) => {
                if let Some(w) = &receiver {
                    self.forget(w);
                }
                Err(e)
            }
        }
    }

    /// Publishes until the broker confirms. A publish whose confirm did not come because
    /// the connection broke (its node died) or that the queue nacked (no leader yet) is
    /// sent again on a fresh connection, which may be to another node: a command that
    /// arrives twice is harmless, the worker answers the second copy with the decision
    /// it recorded for the request id.
    async fn publish_with_retry(
        &self,
        partition: u16,
        body: &[u8],
        props: BasicProperties,
        wants_reply: bool,
    ) -> Result<(), DispatchError> {
        let mut attempt = 1;
        loop {
            let result = self
                .publish_once(partition, body, props.clone(), wants_reply)
                .await;
            match result {
                Ok(()) => return Ok(()),
                Err(PublishFailure::Returned) => return Err(DispatchError::Refused),
                Err(PublishFailure::Nacked) if attempt >= PUBLISH_ATTEMPTS => {
                    return Err(DispatchError::Refused)
                }
                Err(PublishFailure::Broken(e)) if attempt >= PUBLISH_ATTEMPTS => {
                    return Err(DispatchError::Unavailable(e))
                }
                Err(failure) => {
                    tracing::warn!(attempt, failure = ?failure, "command publish not confirmed; retrying");
                    metrics::counter!("tiketi_amqp_publish_retries_total").increment(1);
                    tokio::time::sleep(PUBLISH_RETRY_PAUSE * attempt).await;
                    attempt += 1;
                }
            }
        }
    }

    /// Closes link `generation` if it is still the current one, so the next publish builds
    /// a new one.
    async fn drop_link(&self, generation: u64) {
        let mut current = self.link.lock().await;
        if current.as_ref().is_some_and(|l| l.generation == generation) {
            let link = current.take().expect("checked above");
            tokio::spawn(async move {
                let closing = async {
                    let _ = link.publish.close(200, "replaced").await;
                    let _ = link._replies.close(200, "replaced").await;
                };
                let _ = tokio::time::timeout(Duration::from_secs(5), closing).await;
            });
        }
    }

    async fn publish_once(
        &self,
        partition: u16,
        body: &[u8],
        props: BasicProperties,
        wants_reply: bool,
    ) -> Result<(), PublishFailure> {
        let (channel, reply_queue, generation) =
            self.channel().await.map_err(PublishFailure::Broken)?;
        let props = if wants_reply {
            props.with_reply_to(reply_queue.into())
        } else {
            props
        };
        let outcome = async {
            let pending = channel
                .basic_publish(
                    &self.topology.exchange(),
                    &self.topology.routing_key(partition),
                    BasicPublishOptions {
                        mandatory: true,
                        ..Default::default()
                    },
                    body,
                    props,
                )
                .await
                .map_err(|e| PublishFailure::Broken(e.into()))?;
            match pending.await {
                Ok(Confirmation::Ack(None)) | Ok(Confirmation::NotRequested) => Ok(()),
                // Acked but returned: no queue took it (mandatory).
                Ok(Confirmation::Ack(Some(_))) => Err(PublishFailure::Returned),
                Ok(Confirmation::Nack(_)) => Err(PublishFailure::Nacked),
                Err(e) => Err(PublishFailure::Broken(e.into())),
            }
        }
        .await;
        if matches!(
            outcome,
            Err(PublishFailure::Nacked | PublishFailure::Broken(_))
        ) {
            // The retry goes out on a new channel: a channel whose quorum queue lost its
            // leader can keep nacking every publish after the election (seen on RabbitMQ
            // 3.10), while a new channel finds the new leader.
            self.drop_link(generation).await;
        }
        outcome
    }

    /// Stops one waiter waiting (timed out or failed); other waiters for the same request
    /// keep waiting.
    fn forget(&self, waiter: &Waiter) {
        let mut waiters = self.waiters.lock().expect("waiters lock");
        if let Some(list) = waiters.get_mut(&waiter.request_id) {
            list.retain(|(id, _)| *id != waiter.id);
            if list.is_empty() {
                waiters.remove(&waiter.request_id);
            }
        }
    }

    /// Waits up to `timeout` for the reply.
    pub async fn await_reply(&self, mut waiter: Waiter, timeout: Duration) -> Option<Reply> {
        match tokio::time::timeout(timeout, &mut waiter.rx).await {
            Ok(Ok(reply)) => Some(reply),
            _ => {
                self.forget(&waiter);
                None
            }
        }
    }
}
