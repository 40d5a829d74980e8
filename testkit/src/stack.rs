//! A whole Tiketi stack inside one test: api instances on port 0, in-process workers and a
//! sweeper, all on the fresh database `#[sqlx::test]` made, with their own Redis key and
//! RabbitMQ queue prefixes (removed again by `stop`, or on drop when a test panicked).

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_api::ApiConfig;
use tiketi_core::{infra::redis::Keys, layout::Section, reservation::commands::Topology};
use tiketi_worker::WorkerConfig;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{
    app::{test_config, TestApp},
    fixtures::{self, Fan},
    sweeper::{sweeper_config, TestSweeper},
    worker::{worker_config, TestWorker},
};

/// How long `stop` waits for each worker and the sweeper to wind down.
const STOP_WITHIN: Duration = Duration::from_secs(10);

/// Api instances, workers and a sweeper sharing one database and one set of prefixes.
pub struct Stack {
    pub pool: PgPool,
    pub apps: Vec<TestApp>,
    pub api_config: ApiConfig,
    pub worker_config: WorkerConfig,
    shutdown: CancellationToken,
    workers: Vec<TestWorker>,
    sweeper: Option<TestSweeper>,
    cleaned: bool,
}

/// What a `Stack` runs.
pub struct Options {
    pub apis: usize,
    pub workers: usize,
    pub hold_seconds: u32,
    pub sweeper: bool,
    /// Waiting fans who stop asking for their status are dropped after this long.
    pub queue_heartbeat_timeout: Duration,
    /// Seed URLs of a private Redis Cluster: every process runs with `REDIS_MODE=cluster`.
    pub redis_cluster: Option<String>,
    /// `AMQP_URL` of a private RabbitMQ cluster (its nodes separated by commas). Process
    /// `i` of each kind gets the list rotated by `i`, so the instances start on different
    /// nodes and a killed node leaves some of them connected to a survivor.
    pub amqp_url: Option<String>,
}

/// `list` (comma-separated) starting at its `by`-th entry.
fn rotated(list: &str, by: usize) -> String {
    let nodes: Vec<&str> = list.split(',').collect();
    (0..nodes.len())
        .map(|i| nodes[(i + by) % nodes.len()])
        .collect::<Vec<_>>()
        .join(",")
}

impl Default for Options {
    fn default() -> Self {
        Self {
            apis: 1,
            workers: 1,
            hold_seconds: 300,
            sweeper: true,
            queue_heartbeat_timeout: Duration::from_secs(30),
            redis_cluster: None,
            amqp_url: None,
        }
    }
}

impl Stack {
    /// Starts the workers and the sweeper, then the api instances, and returns once every
    /// partition queue has a consumer.
    pub async fn start(pool: PgPool, opts: Options) -> Self {
        let mut api_config = test_config();
        if let Some(seeds) = &opts.redis_cluster {
            api_config.infra.redis_url = seeds.clone();
            api_config.infra.redis_mode = tiketi_core::infra::redis::RedisMode::Cluster;
        }
        if let Some(nodes) = &opts.amqp_url {
            api_config.infra.amqp_url = nodes.clone();
        }
        let mut worker_config = worker_config(&api_config);
        worker_config.hold_seconds = opts.hold_seconds;
        worker_config.worker_count = opts.workers.max(1) as u16;
        let shutdown = CancellationToken::new();
        let mut workers = Vec::new();
        for i in 0..opts.workers {
            let mut config = worker_config.clone();
            config.worker_index = i as u16;
            config.infra.amqp_url = rotated(&config.infra.amqp_url, i);
            workers.push(TestWorker::spawn_until(
                config,
                pool.clone(),
                shutdown.child_token(),
            ));
        }
        let mut sweeper = None;
        if opts.sweeper {
            let mut config = sweeper_config(&api_config);
            config.queue_heartbeat_timeout = opts.queue_heartbeat_timeout;
            sweeper = Some(
                TestSweeper::spawn_until(config, pool.clone(), shutdown.child_token())
                    .await
                    .expect("sweeper builds"),
            );
        }
        let mut apps = Vec::new();
        for i in 0..opts.apis.max(1) {
            let mut config = api_config.clone();
            config.infra.amqp_url = rotated(&config.infra.amqp_url, i);
            apps.push(TestApp::spawn_with(pool.clone(), config).await);
        }
        let stack = Self {
            pool,
            apps,
            api_config,
            worker_config,
            shutdown,
            workers,
            sweeper,
            cleaned: false,
        };
        if opts.workers > 0 {
            stack.wait_for_consumers().await;
        }
        stack
    }

    /// Waits until every partition queue has its consumer, so the first command is not
    /// left waiting on a worker that is still connecting.
    pub async fn wait_for_consumers(&self) {
        let broker = tiketi_core::infra::amqp::Broker::new(self.api_config.infra.amqp_url.clone());
        let topology = self.topology();
        crate::eventually(
            "workers consume every partition",
            Duration::from_secs(10),
            || async {
                let ch = broker.channel().await.map_err(|e| format!("{e:#}"))?;
                for p in 0..topology.partitions() {
                    let passive = lapin::options::QueueDeclareOptions {
                        passive: true,
                        ..Default::default()
                    };
                    match ch
                        .queue_declare(&topology.queue(p), passive, Default::default())
                        .await
                    {
                        Ok(q) if q.consumer_count() > 0 => {}
                        Ok(_) => return Err(format!("partition {p} has no consumer")),
                        Err(e) => return Err(format!("partition {p}: {e}")),
                    }
                }
                Ok(())
            },
        )
        .await;
        broker.close().await;
    }

    pub fn topology(&self) -> Topology {
        Topology::new(
            self.api_config.infra.amqp_prefix.clone(),
            self.api_config.partitions,
        )
    }

    pub fn keys(&self) -> Keys {
        Keys::new(self.api_config.infra.redis_prefix.clone())
    }

    pub fn app(&self, i: usize) -> &TestApp {
        &self.apps[i % self.apps.len()]
    }

    /// Fans created directly in the database with minted tokens (argon2 for hundreds of
    /// sign-ups would dominate the test's time and test nothing here).
    pub async fn fans(&self, n: usize) -> Vec<Fan> {
        fixtures::fans(&self.pool, &self.api_config, n).await
    }

    /// An on-sale reserved-seating event on a fresh layout; returns it and its seat ids
    /// in layout order.
    pub async fn seated_event(&self, sections: Vec<Section>) -> (Uuid, Vec<Uuid>) {
        fixtures::seated_event(&self.pool, sections).await
    }

    /// An on-sale general-admission event; returns it and its ticket type ids.
    pub async fn ga_event(&self, quantities: &[i32]) -> (Uuid, Vec<Uuid>) {
        fixtures::ga_event(&self.pool, quantities).await
    }

    /// A seat reserve request, ready to send or to add headers to.
    pub fn reserve_request(
        &self,
        app: usize,
        fan: &Fan,
        event: Uuid,
        seats: &[Uuid],
    ) -> reqwest::RequestBuilder {
        let app = self.app(app);
        app.client
            .post(app.url("/api/seats/reserve"))
            .bearer_auth(&fan.token)
            .json(&json!({"eventId": event, "seatIds": seats}))
    }

    pub async fn reserve(
        &self,
        app: usize,
        fan: &Fan,
        event: Uuid,
        seats: &[Uuid],
    ) -> reqwest::Response {
        self.reserve_request(app, fan, event, seats)
            .send()
            .await
            .unwrap()
    }

    /// A seat reserve that asks for 202 (`Prefer: respond-async`).
    pub async fn reserve_async(
        &self,
        app: usize,
        fan: &Fan,
        event: Uuid,
        seats: &[Uuid],
    ) -> reqwest::Response {
        self.reserve_request(app, fan, event, seats)
            .header("prefer", "respond-async")
            .send()
            .await
            .unwrap()
    }

    pub async fn order(
        &self,
        app: usize,
        fan: &Fan,
        event: Uuid,
        items: &[(Uuid, i32)],
    ) -> reqwest::Response {
        let app = self.app(app);
        let items: Vec<Value> = items
            .iter()
            .map(|(t, q)| json!({"ticketTypeId": t, "quantity": q}))
            .collect();
        app.client
            .post(app.url("/api/reservations"))
            .bearer_auth(&fan.token)
            .json(&json!({"eventId": event, "items": items}))
            .send()
            .await
            .unwrap()
    }

    pub async fn pay(
        &self,
        app: usize,
        fan: &Fan,
        reservation: &str,
        key: &str,
    ) -> reqwest::Response {
        let app = self.app(app);
        app.client
            .post(app.url("/api/payments/process"))
            .bearer_auth(&fan.token)
            .header("idempotency-key", key)
            .json(&json!({"reservationId": reservation, "paymentMethod": "kakao_pay"}))
            .send()
            .await
            .unwrap()
    }

    pub async fn cancel(&self, app: usize, fan: &Fan, reservation: &str) -> reqwest::Response {
        let app = self.app(app);
        app.client
            .post(app.url(&format!("/api/reservations/{reservation}/cancel")))
            .bearer_auth(&fan.token)
            .send()
            .await
            .unwrap()
    }

    /// Stops everything and removes this test's queues and keys.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        for (i, worker) in std::mem::take(&mut self.workers).into_iter().enumerate() {
            if let Err(e) = worker.stop(STOP_WITHIN).await {
                eprintln!("worker {i} ended badly: {e:#}");
            }
        }
        if let Some(sweeper) = self.sweeper.take() {
            if let Err(e) = sweeper.stop(STOP_WITHIN).await {
                eprintln!("sweeper ended badly: {e:#}");
            }
        }
        for app in std::mem::take(&mut self.apps) {
            app.stop().await;
        }
        cleanup(&self.api_config).await;
        self.cleaned = true;
    }
}

/// A test that panicked never reaches `stop`: clean up its queues and keys anyway, so
/// failed runs do not pile up quorum queues on a shared RabbitMQ.
impl Drop for Stack {
    fn drop(&mut self) {
        if self.cleaned {
            return;
        }
        self.shutdown.cancel();
        let config = self.api_config.clone();
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Runtime::new() {
                rt.block_on(cleanup(&config));
            }
        })
        .join();
    }
}

async fn cleanup(config: &ApiConfig) {
    let infra = &config.infra;
    let broker = tiketi_core::infra::amqp::Broker::new(infra.amqp_url.clone());
    if let Ok(ch) = broker.channel().await {
        let _ = Topology::new(infra.amqp_prefix.clone(), config.partitions)
            .delete(&ch)
            .await;
    }
    broker.close().await;
    if let Ok(mut redis) = tiketi_core::infra::redis::connect(infra).await {
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}:*", infra.redis_prefix))
            .query_async(&mut redis)
            .await
            .unwrap_or_default();
        if !keys.is_empty() {
            let _: redis::RedisResult<()> =
                redis::cmd("DEL").arg(keys).query_async(&mut redis).await;
        }
    }
}

/// The invariants of ARCHITECTURE.md (core::audit), asserted; panics with the offenders.
pub async fn assert_invariants(pool: &PgPool) {
    let violations = tiketi_core::reservation::audit::violations(pool)
        .await
        .unwrap();
    assert!(
        violations.is_empty(),
        "invariants violated:\n{}",
        violations.join("\n")
    );
}

/// Waits until no hold is pending any more (the sweeper expired them all).
pub async fn wait_for_no_pending(pool: &PgPool, within: Duration) {
    crate::eventually("no hold pending", within, || async {
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM reservations WHERE status = 'pending'")
                .fetch_one(pool)
                .await
                .unwrap();
        match pending {
            0 => Ok(()),
            n => Err(format!("{n} holds still pending")),
        }
    })
    .await;
}

/// A response's status and JSON body (`null` when it has none).
pub async fn body(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}
