//! Sending reserve commands to the workers and waiting for their replies. Commands are
//! published persistent, mandatory and with publisher confirms, so a 202 or 201 is only
//! answered once RabbitMQ has taken responsibility for the command. Replies arrive on this
//! instance's own exclusive queue and are matched by correlation id.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
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
    amqp::Broker,
    commands::{Reply, ReserveCommand, Topology},
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
    _replies: Channel,
}

pub struct Dispatcher {
    broker: Arc<Broker>,
    topology: Topology,
    reply_queue: String,
    link: tokio::sync::Mutex<Option<Link>>,
    waiters: Waiters,
    next_waiter: std::sync::atomic::AtomicU64,
}

impl Dispatcher {
    pub fn new(broker: Arc<Broker>, topology: Topology) -> Self {
        let reply_queue = format!("{}.replies.{}", topology.exchange(), Uuid::new_v4());
        Self {
            broker,
            topology,
            reply_queue,
            link: tokio::sync::Mutex::new(None),
            waiters: Default::default(),
            next_waiter: Default::default(),
        }
    }

    /// Opens (or reopens after a connection loss) the publishing channel and the reply
    /// consumer, and declares the topology.
    async fn channel(&self) -> anyhow::Result<Channel> {
        let mut link = self.link.lock().await;
        if let Some(l) = link.as_ref() {
            if l.publish.status().connected() {
                return Ok(l.publish.clone());
            }
        }
        let publish = self.broker.channel().await?;
        publish
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        self.topology.declare(&publish).await?;
        let replies = self.broker.channel().await?;
        replies
            .queue_declare(
                &self.reply_queue,
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
                &self.reply_queue,
                "api-replies",
                BasicConsumeOptions {
                    no_ack: true,
                    ..Default::default()
                },
                FieldTable::default(),
            )
            .await?;
        let waiters = self.waiters.clone();
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
        });
        *link = Some(Link {
            publish: publish.clone(),
            _replies: replies,
        });
        Ok(publish)
    }

    /// Publishes `cmd`; with `wait`, returns a receiver for the worker's reply.
    pub async fn publish(
        &self,
        cmd: &ReserveCommand,
        http_request_id: Option<&str>,
        wait: bool,
    ) -> Result<Option<Waiter>, DispatchError> {
        let started = Instant::now();
        let channel = self.channel().await.map_err(DispatchError::Unavailable)?;
        let body = serde_json::to_vec(cmd).map_err(|e| DispatchError::Unavailable(e.into()))?;
        let partition = self.topology.partition_of(cmd.event_id);
        let mut headers = FieldTable::default();
        if let Some(id) = http_request_id {
            headers.insert("x-request-id".into(), AMQPValue::LongString(id.into()));
        }
        let mut props = BasicProperties::default()
            .with_delivery_mode(2)
            .with_content_type("application/json".into())
            .with_message_id(cmd.request_id.to_string().into())
            .with_correlation_id(cmd.request_id.to_string().into())
            .with_headers(headers);
        let receiver = if wait {
            let (tx, rx) = oneshot::channel();
            let id = self
                .next_waiter
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.waiters
                .lock()
                .expect("waiters lock")
                .entry(cmd.request_id)
                .or_default()
                .push((id, tx));
            props = props.with_reply_to(self.reply_queue.clone().into());
            Some(Waiter {
                request_id: cmd.request_id,
                id,
                rx,
            })
        } else {
            None
        };
        let confirm = channel
            .basic_publish(
                &self.topology.exchange(),
                &self.topology.routing_key(partition),
                BasicPublishOptions {
                    mandatory: true,
                    ..Default::default()
                },
                &body,
                props,
            )
            .await;
        let result = match confirm {
            Ok(pending) => match pending.await {
                Ok(Confirmation::Ack(None)) => Ok(()),
                // Acked but returned: no queue took it (mandatory).
                Ok(Confirmation::Ack(Some(_))) | Ok(Confirmation::Nack(_)) => {
                    Err(DispatchError::Refused)
                }
                Ok(Confirmation::NotRequested) => Ok(()),
                Err(e) => Err(DispatchError::Unavailable(e.into())),
            },
            Err(e) => Err(DispatchError::Unavailable(e.into())),
        };
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
