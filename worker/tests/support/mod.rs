//! A whole Tiketi stack inside one test: api instances on port 0, in-process workers and a
//! sweeper, all on the fresh database `#[sqlx::test]` made, with their own Redis key and
//! RabbitMQ queue prefixes (removed again by `stop`).
#![allow(dead_code)]

#[path = "../../../api/tests/support/mod.rs"]
pub mod api;

use std::time::Duration;

#[allow(unused_imports)]
pub use api::{error_of, TestApp};
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_api::ApiConfig;
use tiketi_core::{
    event::time::EventZone,
    event::{EventStatus, NewEvent, NewSeating, NewTicketType},
    infra::redis::Keys,
    layout::{Section, ValidSections},
    reservation::commands::Topology,
    user::auth::{Role, Tokens},
};
use tiketi_worker::WorkerConfig;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub struct Fan {
    pub id: Uuid,
    pub token: String,
}

pub struct Stack {
    pub pool: PgPool,
    pub apps: Vec<TestApp>,
    pub api_config: ApiConfig,
    pub worker_config: WorkerConfig,
    shutdown: CancellationToken,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    cleaned: bool,
}

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
    pub async fn start(pool: PgPool, opts: Options) -> Self {
        let mut api_config = api::test_config();
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
        let mut tasks = Vec::new();
        for i in 0..opts.workers {
            let mut config = worker_config.clone();
            config.worker_index = i as u16;
            config.infra.amqp_url = rotated(&config.infra.amqp_url, i);
            let (pool, stop) = (pool.clone(), shutdown.clone());
            tasks.push(tokio::spawn(async move {
                tiketi_worker::run(config, pool, stop)
                    .await
                    .expect("worker runs");
            }));
        }
        if opts.sweeper {
            let mut config = sweeper_config(&api_config);
            config.queue_heartbeat_timeout = opts.queue_heartbeat_timeout;
            let sweeper = tiketi_sweeper::Sweeper::new(config, pool.clone())
                .await
                .expect("sweeper builds");
            let stop = shutdown.clone();
            tasks.push(tokio::spawn(sweeper.run(stop)));
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
            tasks,
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
        for _ in 0..200 {
            if let Ok(ch) = broker.channel().await {
                let mut ready = true;
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
                        _ => {
                            ready = false;
                            break;
                        }
                    }
                }
                if ready {
                    broker.close().await;
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("workers did not start consuming");
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
        let hash = tiketi_core::user::auth::hash_password("secret123").unwrap();
        let ids: Vec<Uuid> = sqlx::query_scalar(
            "INSERT INTO users (email, name, password_hash)
             SELECT format('fan-%s-%s@example.com', i, $2::text), 'Fan', $1 FROM generate_series(1, $3) i
             RETURNING id",
        )
        .bind(&hash)
        .bind(Uuid::new_v4().simple().to_string())
        .bind(n as i32)
        .fetch_all(&self.pool)
        .await
        .unwrap();
        let tokens = Tokens::new(
            &self.api_config.jwt_secret,
            self.api_config.jwt_ttl,
            self.keys(),
        );
        ids.into_iter()
            .map(|id| Fan {
                id,
                token: tokens.issue(id, Role::Fan).unwrap().0,
            })
            .collect()
    }

    /// An on-sale reserved-seating event on a fresh layout; returns it and its seat ids
    /// in layout order.
    pub async fn seated_event(&self, sections: Vec<Section>) -> (Uuid, Vec<Uuid>) {
        let valid = ValidSections::parse(sections).unwrap();
        let layout = tiketi_core::layout::create(
            &self.pool,
            None,
            &format!("layout-{}", Uuid::new_v4()),
            "",
            &valid,
        )
        .await
        .unwrap();
        let id = self.create_event(NewSeating::Layout(layout)).await;
        let seats = sqlx::query_scalar(
            "SELECT id FROM seats WHERE event_id = $1 ORDER BY section_index, row_index, number",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .unwrap();
        (id, seats)
    }

    /// An on-sale general-admission event; returns it and its ticket type ids.
    pub async fn ga_event(&self, quantities: &[i32]) -> (Uuid, Vec<Uuid>) {
        let types = quantities
            .iter()
            .enumerate()
            .map(|(i, q)| NewTicketType {
                name: format!("Standing {i}"),
                price: 50_000 + i as i64,
                quantity: *q,
            })
            .collect();
        let id = self.create_event(NewSeating::TicketTypes(types)).await;
        let types = sqlx::query_scalar(
            "SELECT id FROM ticket_types WHERE event_id = $1 ORDER BY sort_order",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .unwrap();
        (id, types)
    }

    async fn create_event(&self, seating: NewSeating) -> Uuid {
        let now = chrono::Utc::now();
        let new = NewEvent {
            id: None,
            title: "Test show".into(),
            description: String::new(),
            artist: "Band".into(),
            category: "concert".into(),
            venue: "Hall".into(),
            address: String::new(),
            poster_url: None,
            zone: EventZone::default(),
            starts_at: now + chrono::Duration::days(10),
            sale_start: now - chrono::Duration::hours(1),
            sale_end: now + chrono::Duration::days(9),
            status: EventStatus::OnSale,
            seating,
            queue_enabled: false,
        };
        let mut conn = self.pool.acquire().await.unwrap();
        tiketi_core::event::create(&mut conn, &new).await.unwrap().0
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
        for t in std::mem::take(&mut self.tasks) {
            let _ = tokio::time::timeout(Duration::from_secs(10), t).await;
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

/// The first of one worker, on the api's infrastructure, holding seats for 5 minutes.
pub fn worker_config(api_config: &ApiConfig) -> WorkerConfig {
    WorkerConfig {
        infra: api_config.infra.clone(),
        metrics_addr: None,
        partitions: api_config.partitions,
        hold_seconds: 300,
        batch_max: 32,
        batch_wait: Duration::from_millis(2),
        lock_ttl: Duration::from_secs(5),
        worker_index: 0,
        worker_count: 1,
    }
}

/// A sweeper that ticks fast and admits waiting fans every 200 ms.
pub fn sweeper_config(api_config: &ApiConfig) -> tiketi_sweeper::SweeperConfig {
    tiketi_sweeper::SweeperConfig {
        infra: api_config.infra.clone(),
        metrics_addr: None,
        tick: Duration::from_millis(100),
        reconcile_every: Duration::from_secs(3600),
        lease_ttl: Duration::from_secs(5),
        jwt_secret: api_config.jwt_secret.clone(),
        queue_tick: Duration::from_millis(200),
        queue_heartbeat_timeout: Duration::from_secs(30),
        queue_max_admitted_per_step: 1000,
        mail: mail_config(None),
    }
}

pub fn sections(spec: &[(&str, i32, i32, i64)]) -> Vec<Section> {
    spec.iter()
        .map(|(name, rows, per_row, price)| Section {
            name: name.to_string(),
            rows: *rows,
            seats_per_row: *per_row,
            price: *price,
            color: None,
            geometry: None,
        })
        .collect()
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
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM reservations WHERE status = 'pending'")
                .fetch_one(pool)
                .await
                .unwrap();
        if pending == 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{pending} holds still pending"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn body(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Mail settings for tests: SMTP at `smtp_url` (none: disabled), quick retries.
pub fn mail_config(smtp_url: Option<String>) -> tiketi_core::mail::sender::MailConfig {
    tiketi_core::mail::sender::MailConfig {
        smtp_url,
        from: Some("Tiketi <tickets@tiketi.test>".parse().unwrap()),
        hold_reminder: Duration::from_secs(120),
        retry_base: Duration::from_millis(200),
        retry_max: Duration::from_secs(5),
        max_attempts: 50,
        lease: Duration::from_secs(60),
        tick: Duration::from_millis(100),
        batch: 16,
    }
}
