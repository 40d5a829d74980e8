//! The api in-process on port 0: built on the fresh database `#[sqlx::test]` made, with
//! its own Redis key and RabbitMQ queue prefixes, and talked to over real HTTP, so a test
//! exercises the same router, middleware and error envelope a fan's browser does without
//! a stack of processes or a fixed port.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_api::{config::CacheTtls, ApiConfig, Application};
use tiketi_core::infra::config::{Environment, Infra, LogFormat};
use tokio_util::sync::CancellationToken;

/// One api instance serving on an ephemeral loopback port until `stop` (or drop).
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub pool: PgPool,
    pub config: ApiConfig,
    shutdown: CancellationToken,
    handle: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// `name` from the environment, or `default` when unset or empty.
pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// An api configuration on the shared services (`DATABASE_URL`, `REDIS_URL`, `AMQP_URL` or
/// their local defaults) with fresh prefixes, port 0, and limits generous enough that only
/// the tests that mean to hit a limit do.
pub fn test_config() -> ApiConfig {
    ApiConfig {
        infra: Infra {
            environment: Environment::Test,
            database_url: env_or(
                "DATABASE_URL",
                "postgres://postgres@127.0.0.1:5432/postgres",
            ),
            database_max_connections: 10,
            redis_url: env_or("REDIS_URL", "redis://127.0.0.1:6379"),
            redis_mode: Default::default(),
            amqp_url: env_or("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2f"),
            amqp_quorum_group_size: None,
            redis_prefix: format!("test-{}", uuid::Uuid::new_v4()),
            amqp_prefix: format!("test-{}", uuid::Uuid::new_v4()),
            log_format: LogFormat::Pretty,
        },
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        metrics_addr: None,
        jwt_secret: "integration-test-secret-0123456789".into(),
        ticket_signing_secret: "integration-test-ticket-secret-0123".into(),
        jwt_ttl: Duration::from_secs(3600),
        cors_origins: vec![],
        web_dist: None::<PathBuf>,
        body_limit_bytes: 64 * 1024,
        trust_proxy: false,
        trusted_proxy_hops: 1,
        auth_rate_per_ip_per_minute: 10_000,
        auth_rate_per_email_per_minute: 10_000,
        queue_rate_per_user_per_minute: 100_000,
        queue_rate_per_ip_per_minute: 1_000_000,
        reserve_rate_per_user_per_minute: 1_000_000,
        ws_max_connections_per_ip: 1_000,
        ws_token_recheck: Duration::from_millis(200),
        cache: CacheTtls {
            event_list: Duration::from_secs(30),
            event_detail: Duration::from_secs(60),
            seat_map: Duration::from_secs(60),
            local: Duration::from_millis(1000),
        },
        partitions: 2,
        max_seats_per_order: 4,
        reserve_reply_timeout: Duration::from_secs(10),
        mock_payment_latency: Duration::from_millis(20),
        cache_refresh_interval: Duration::from_millis(100),
        media: tiketi_core::media::MediaConfig::local(
            std::env::temp_dir().join(format!("tiketi-media-{}", uuid::Uuid::new_v4())),
        ),
    }
}

impl TestApp {
    /// The api with `test_config()` on `pool`.
    pub async fn spawn(pool: PgPool) -> Self {
        Self::spawn_with(pool, test_config()).await
    }

    /// The api with `config` on `pool`, listening where `config.addr` says (port 0 in
    /// `test_config`: the kernel picks a free port, `addr` tells which).
    pub async fn spawn_with(pool: PgPool, config: ApiConfig) -> Self {
        let app = Application::build_with_pool(config.clone(), pool.clone())
            .await
            .expect("app builds");
        let addr = app.local_addr();
        let shutdown = app.shutdown_token();
        let handle = tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .no_gzip()
            .no_brotli()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Self {
            addr,
            client,
            pool,
            config,
            shutdown,
            handle: Some(handle),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    /// This app's Redis key names and a connection to its Redis.
    pub async fn redis(
        &self,
    ) -> (
        tiketi_core::infra::redis::Keys,
        tiketi_core::infra::redis::RedisConn,
    ) {
        let keys = tiketi_core::infra::redis::Keys::new(self.config.infra.redis_prefix.clone());
        let conn = tiketi_core::infra::redis::connect(&self.config.infra)
            .await
            .expect("redis connects");
        (keys, conn)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Registers a fan and returns (token, user id).
    pub async fn register(&self, email: &str) -> (String, String) {
        let res = self
            .post_json(
                "/api/auth/register",
                &json!({"name": "Fan", "email": email, "password": "secret123"}),
            )
            .await;
        assert_eq!(res.status(), 201, "register {email}");
        let body: Value = res.json().await.unwrap();
        (
            body["token"].as_str().unwrap().to_string(),
            body["user"]["id"].as_str().unwrap().to_string(),
        )
    }

    /// An admin account made in the database, with a token minted for it.
    pub async fn admin_token(&self, email: &str) -> String {
        crate::fixtures::admin_token(&self.pool, &self.config, email).await
    }

    /// The demo catalogue (`tiketi_core::seed`).
    pub async fn seed(&self) {
        tiketi_core::seed::load(&self.pool)
            .await
            .expect("seed loads");
    }

    /// What the process's Prometheus recorder would serve on `METRICS_ADDR` (never on the
    /// api port).
    pub fn metrics_text(&self) -> String {
        tiketi_core::infra::telemetry::install_metrics(None)
            .expect("recorder installed")
            .render()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(h) = self.handle.take() {
            h.await.expect("server task").expect("server ran cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Asserts the error envelope and returns its `error` object.
pub async fn error_of(res: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let body: Value = res.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    body["error"].clone()
}

/// A test's WebSocket connection to an api.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next JSON message that satisfies `pred`, within `within`.
pub async fn next_matching(
    ws: &mut Socket,
    within: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    use futures::StreamExt;
    tokio::time::timeout(within, async {
        loop {
            let msg = ws.next().await.expect("socket open").expect("message");
            if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                let v: Value = serde_json::from_str(t.as_str()).unwrap();
                if pred(&v) {
                    return v;
                }
            }
        }
    })
    .await
    .expect("message arrived in time")
}
