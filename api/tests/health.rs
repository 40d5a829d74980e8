use std::{process::Stdio, time::Duration};

use serde_json::Value;
use sqlx::PgPool;
use tiketi_testkit::{test_config, TestApp};

/// A private redis-server on a free port, killed on drop. Never the shared instance.
struct PrivateRedis {
    child: std::process::Child,
    port: u16,
}

impl PrivateRedis {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is on PATH (make test installs it)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Self { child, port };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("private redis did not start");
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn health_turns_unhealthy_when_redis_goes_away(pool: PgPool) {
    let mut redis = PrivateRedis::start().await;
    let mut config = test_config();
    config.infra.redis_url = format!("redis://127.0.0.1:{}", redis.port);
    let app = TestApp::spawn_with(pool, config).await;

    let res = app.get("/api/health").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["checks"],
        serde_json::json!({"postgres": "ok", "redis": "ok", "rabbitmq": "ok"})
    );

    redis.stop();
    let res = app.get("/api/health").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["status"], "unhealthy");
    assert_eq!(body["checks"]["redis"], "down");
    assert_eq!(body["checks"]["postgres"], "ok");
    // Reads that need no Redis keep working from the database.
    assert_eq!(app.get("/api/events").await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn health_reports_an_unreachable_broker(pool: PgPool) {
    let mut config = test_config();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    config.infra.amqp_url = format!("amqp://guest:guest@127.0.0.1:{port}/%2f");
    let app = TestApp::spawn_with(pool, config).await;
    let res = app.get("/api/health").await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["checks"]["rabbitmq"], "down");
    assert_eq!(body["checks"]["redis"], "ok");
}
