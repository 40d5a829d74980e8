//! TLS end to end against private servers that accept ONLY TLS (PostgreSQL with `hostssl`
//! lines only, `redis-server --port 0 --tls-port`, RabbitMQ with only an amqps listener),
//! signed by a throwaway CA: the whole stack works when `TLS_CA_FILE` trusts that CA, and
//! every binary refuses an untrusted server with the variable's name and the reason.

use std::time::Duration;

use futures::SinkExt;
use serde_json::{json, Value};
use tiketi_core::{infra::amqp::Broker, infra::tls::is_rejected};
use tiketi_testkit::tls::{Pki, TlsPostgres, TlsRabbit, TlsRedis};
use tiketi_testkit::{next_matching, sections, Options, Stack};
use tokio_tungstenite::tungstenite::Message;

/// The configuration comes from the environment (as in production), which is one per
/// process: tests that set it take turns when run as threads of one process.
static ENV: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The shared plain Redis and RabbitMQ the suite was given, read before any test here
/// points the environment at its private TLS servers.
struct Plain {
    redis: String,
    amqp: String,
}

fn plain() -> &'static Plain {
    static PLAIN: std::sync::OnceLock<Plain> = std::sync::OnceLock::new();
    PLAIN.get_or_init(|| {
        let config = tiketi_testkit::test_config();
        Plain {
            redis: config.infra.redis_url,
            amqp: config.infra.amqp_url,
        }
    })
}

struct Servers {
    pg: TlsPostgres,
    redis: TlsRedis,
    rabbit: TlsRabbit,
}

async fn servers(pki: &Pki) -> Servers {
    let (pg, redis, rabbit) = tokio::try_join!(
        TlsPostgres::start(pki),
        TlsRedis::start(pki),
        TlsRabbit::start(pki)
    )
    .expect("private TLS servers start");
    Servers { pg, redis, rabbit }
}

fn set_env(ca: &std::path::Path, s: &Servers) {
    std::env::set_var(tiketi_core::infra::tls::CA_FILE_VAR, ca);
    std::env::set_var("DATABASE_URL", s.pg.url("sslmode=verify-full"));
    std::env::set_var("REDIS_URL", s.redis.url());
    std::env::set_var("AMQP_URL", s.rabbit.url());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_stack_runs_on_tls_only_services_when_tls_ca_file_trusts_them() {
    let _env = ENV.lock().await;
    plain();
    let pki = Pki::generate().unwrap();
    let s = servers(&pki).await;
    set_env(&pki.ca(), &s);

    let pool = tiketi_core::infra::db::connect(&s.pg.url("sslmode=verify-full"), 10)
        .await
        .expect("verify-full with TLS_CA_FILE connects");
    tiketi_core::infra::db::migrate(&pool).await.unwrap();
    let ssl: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(ssl, "the session is encrypted");

    let stack = Stack::start(pool, Options::default()).await;
    let res = stack.app(0).get("/api/health").await;
    assert_eq!(res.status(), 200);
    let health: Value = res.json().await.unwrap();
    assert_eq!(health["status"], "ok", "{health}");
    for check in ["postgres", "redis", "rabbitmq"] {
        assert_eq!(health["checks"][check], "ok", "{health}");
    }

    // A reservation crosses all three: api → RabbitMQ → worker → PostgreSQL + Redis → reply,
    // and its seat update reaches a WebSocket through the api's rediss:// subscription.
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 2, 100_000)])).await;
    let fans = stack.fans(1).await;
    let url = format!("ws://{}/ws", stack.app(0).addr);
    let mut ws = tokio_tungstenite::connect_async(url).await.unwrap().0;
    let subscribe = json!({"op": "subscribe", "topic": format!("seats:{event}")});
    ws.send(Message::Text(subscribe.to_string().into()))
        .await
        .unwrap();
    next_matching(&mut ws, Duration::from_secs(5), |m| m["op"] == "subscribed").await;
    let res = stack.reserve(0, &fans[0], event, &seats[..1]).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM seats WHERE event_id = $1 AND status = 'held'")
            .bind(event)
            .fetch_one(&stack.pool)
            .await
            .unwrap();
    assert_eq!(held, 1);
    let locked = next_matching(&mut ws, Duration::from_secs(5), |m| {
        m["event"] == "seat-locked"
    })
    .await;
    assert_eq!(locked["data"]["seatIds"][0], seats[0].to_string());
    stack.stop().await;
}

fn assert_names(err: &anyhow::Error, var: &str, reason: &str) {
    let text = format!("{err:#}");
    assert!(text.contains(var), "names {var}: {text}");
    assert!(text.contains(reason), "says {reason}: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn untrusted_servers_are_refused_naming_the_variable_and_the_reason() {
    let _env = ENV.lock().await;
    let plain = plain();
    let pki = Pki::generate().unwrap();
    let other = Pki::generate().unwrap();
    let s = servers(&pki).await;
    // Every connection now trusts a CA that did not sign these servers.
    set_env(&other.ca(), &s);

    let err = tiketi_core::infra::db::connect(&s.pg.url("sslmode=verify-full"), 1)
        .await
        .unwrap_err();
    assert_names(&err, "DATABASE_URL", "UnknownIssuer");
    assert!(is_rejected(&err), "{err:#}");
    // verify-ca checks the chain too, only not the host name.
    let err = tiketi_core::infra::db::connect(&s.pg.url("sslmode=verify-ca"), 1)
        .await
        .unwrap_err();
    assert_names(&err, "DATABASE_URL", "UnknownIssuer");
    // libpq's sslrootcert names the CA for PostgreSQL alone, ahead of TLS_CA_FILE.
    let right_root = format!("sslmode=verify-full&sslrootcert={}", pki.ca().display());
    let pool = tiketi_core::infra::db::connect(&s.pg.url(&right_root), 1)
        .await
        .expect("sslrootcert is trusted");
    pool.close().await;
    // The server accepts only hostssl: a plain connection is refused by the server itself.
    let err = tiketi_core::infra::db::connect(&s.pg.url("sslmode=disable"), 1)
        .await
        .unwrap_err();
    assert_names(&err, "DATABASE_URL", "no encryption");
    assert!(!is_rejected(&err), "not a TLS failure: {err:#}");

    let err = tiketi_core::infra::redis::connect_to(
        &s.redis.url(),
        tiketi_core::infra::redis::RedisMode::Standalone,
    )
    .await
    .err()
    .expect("REDIS_URL refused");
    assert_names(&err, "REDIS_URL", "UnknownIssuer");

    let err = Broker::new(s.rabbit.url()).connect().await.unwrap_err();
    assert_names(&err, "AMQP_URL", "UnknownIssuer");
    assert!(is_rejected(&err), "{err:#}");

    // The binaries stop instead of retrying forever or starting half-connected. The other
    // services are the shared plain ones, so only the TLS one can be the cause.
    let mut config = tiketi_testkit::test_config();
    config.infra.redis_url = plain.redis.clone();
    config.infra.amqp_url = s.rabbit.url();
    let trusted_pool = tiketi_core::infra::db::connect(&s.pg.url(&right_root), 2)
        .await
        .unwrap();
    let err = tiketi_api::Application::build_with_pool(config.clone(), trusted_pool.clone())
        .await
        .err()
        .expect("the api refuses to start");
    assert_names(&err, "AMQP_URL", "UnknownIssuer");

    config.infra.amqp_url = plain.amqp.clone();
    let lazy = tiketi_core::infra::db::connect_lazy(&s.pg.url("sslmode=verify-full"), 2).unwrap();
    let err = tiketi_api::Application::build_with_pool(config.clone(), lazy)
        .await
        .err()
        .expect("the api refuses to start");
    assert_names(&err, "DATABASE_URL", "UnknownIssuer");

    let mut worker = tiketi_testkit::worker_config(&config);
    worker.infra.amqp_url = s.rabbit.url();
    let run = tiketi_worker::run(
        worker,
        trusted_pool,
        tokio_util::sync::CancellationToken::new(),
    );
    let err = tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("the worker stops instead of reconnecting forever")
        .unwrap_err();
    assert_names(&err, "AMQP_URL", "UnknownIssuer");

    // A TLS_CA_FILE that cannot be used is reported as such, before any server is blamed.
    std::env::set_var(tiketi_core::infra::tls::CA_FILE_VAR, "/nonexistent/ca.pem");
    let err = tiketi_core::infra::redis::connect_to(
        &s.redis.url(),
        tiketi_core::infra::redis::RedisMode::Standalone,
    )
    .await
    .err()
    .expect("refused");
    assert_names(&err, "TLS_CA_FILE=/nonexistent/ca.pem", "cannot be read");
    let not_pem = other.ca().with_extension("txt");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    std::env::set_var(tiketi_core::infra::tls::CA_FILE_VAR, &not_pem);
    let err = Broker::new(s.rabbit.url()).connect().await.unwrap_err();
    assert_names(&err, "TLS_CA_FILE", "holds no PEM certificate");
    let err = tiketi_core::infra::db::connect(&s.pg.url("sslmode=verify-full"), 1)
        .await
        .unwrap_err();
    assert_names(&err, "TLS_CA_FILE", "holds no PEM certificate");
}
