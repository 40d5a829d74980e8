//! The failover suite (`make test TEST_SUITES=cluster`; excluded from the `rust` suite).
//!
//! Two api instances and two workers, each with connections of its own, run against
//! private clusters this test starts itself: a 3-master + 3-replica Redis Cluster, a 3-node
//! RabbitMQ cluster and a PostgreSQL server. Under a reserve-and-pay load it kills the
//! Redis master that owns the hot event's slot, kills the RabbitMQ node leading the
//! event's partition queue, and restarts PostgreSQL; then it checks that nothing sold or
//! held twice, nothing answered 201/200 was lost, every 202 was decided, Redis agrees with
//! PostgreSQL after reconciliation and a new fan can reserve at once. It prints how long
//! each fault interrupted reservations and the share of requests that failed meanwhile.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use rand::Rng;
use serde_json::{json, Value};
use sqlx::{postgres::PgPoolOptions, PgPool};
use tiketi_testkit::{assert_invariants, sections, sweeper_config, Fan, Options, Stack};
use tiketi_testkit::{postgres::Postgres, rabbitmq::RabbitCluster, redis_cluster::RedisCluster};
use uuid::Uuid;

/// Concurrent fans of the load; each pauses between requests, so the hot event does not
/// sell out before the last fault.
const LOAD_TASKS: usize = 8;
const FANS_PER_TASK: usize = 100;
const PAUSE: Duration = Duration::from_millis(100);
/// Share of reserve requests sent with `Prefer: respond-async`: answered 202 at once, so
/// the suite can check that every accepted command is decided exactly once.
const ASYNC_SHARE: f64 = 0.2;
/// How long reservations may stay interrupted by one fault before the test fails.
const RESUME_WITHIN: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    Reserve,
    Pay,
}

struct Sample {
    kind: Kind,
    sent: Instant,
    done: Instant,
    /// HTTP status; 0 when no answer came (connection error or client timeout).
    status: u16,
}

/// What the load saw: every request, and the answers it must find standing at the end.
#[derive(Default)]
struct Seen {
    samples: Vec<Sample>,
    reserved: Vec<Uuid>,
    paid: Vec<Uuid>,
    accepted: Vec<Uuid>,
}

type Shared = Arc<Mutex<Seen>>;

async fn send(req: reqwest::RequestBuilder, kind: Kind, seen: &Shared) -> (u16, Value) {
    let sent = Instant::now();
    let (status, body) = match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            (status, res.json().await.unwrap_or(Value::Null))
        }
        Err(_) => (0, Value::Null),
    };
    seen.lock().unwrap().samples.push(Sample {
        kind,
        sent,
        done: Instant::now(),
        status,
    });
    (status, body)
}

fn uuid_at(body: &Value, pointer: &str) -> Option<Uuid> {
    body.pointer(pointer)?.as_str()?.parse().ok()
}

/// One load task: its fans take turns reserving a random seat and paying for it. A fan
/// who got a 202 or whose payment did not go through moves aside (it may hold seats).
async fn load(
    stack: Arc<Stack>,
    task: usize,
    fans: Vec<Fan>,
    event: Uuid,
    seats: Arc<Vec<Uuid>>,
    seen: Shared,
    stop: Arc<AtomicBool>,
) {
    let app = stack.app(task);
    let mut fans = fans.into_iter();
    let mut fan = fans.next().expect("fans");
    while !stop.load(Ordering::Relaxed) {
        let (seat, asynchronous) = {
            let mut rng = rand::thread_rng();
            (
                seats[rng.gen_range(0..seats.len())],
                rng.gen_bool(ASYNC_SHARE),
            )
        };
        let mut req = app
            .client
            .post(app.url("/api/seats/reserve"))
            .bearer_auth(&fan.token)
            .json(&json!({"eventId": event, "seatIds": [seat]}));
        if asynchronous {
            req = req.header("prefer", "respond-async");
        }
        let (status, body) = send(req, Kind::Reserve, &seen).await;
        // A fan whose request is still undecided, or whose hold is unpaid, may hold seats:
        // the next request comes from another fan.
        let mut next_fan = status == 202;
        if status == 202 {
            if let Some(id) = uuid_at(&body, "/requestId") {
                seen.lock().unwrap().accepted.push(id);
            }
        }
        if let (201, Some(id)) = (status, uuid_at(&body, "/reservation/id")) {
            seen.lock().unwrap().reserved.push(id);
            next_fan = true;
            for _ in 0..5 {
                let req = app
                    .client
                    .post(app.url("/api/payments/process"))
                    .bearer_auth(&fan.token)
                    .header("idempotency-key", id.to_string())
                    .json(&json!({"reservationId": id, "paymentMethod": "kakao_pay"}));
                let (status, _) = send(req, Kind::Pay, &seen).await;
                if status == 200 {
                    seen.lock().unwrap().paid.push(id);
                    next_fan = false;
                    break;
                }
                tokio::time::sleep(PAUSE).await;
            }
        }
        if next_fan {
            match fans.next() {
                Some(f) => fan = f,
                None => return,
            }
        }
        tokio::time::sleep(PAUSE).await;
    }
}

/// When reservations worked again after a fault at `at` (the first reserve sent after it
/// that was decided, 201 or 409), and how many of the requests in flight meanwhile (sent
/// before it resumed, answered after the fault) failed.
fn interruption(seen: &Shared, at: Instant) -> Option<(Duration, usize, usize)> {
    let seen = seen.lock().unwrap();
    let resumed = seen
        .samples
        .iter()
        .filter(|s| s.kind == Kind::Reserve && s.sent >= at && matches!(s.status, 201 | 409))
        .map(|s| s.done)
        .min()?;
    let during: Vec<&Sample> = seen
        .samples
        .iter()
        .filter(|s| s.done >= at && s.sent <= resumed)
        .collect();
    let failed = during
        .iter()
        .filter(|s| !matches!(s.status, 200 | 201 | 202 | 409))
        .count();
    Some((resumed - at, failed, during.len()))
}

/// Waits until reservations work again after the fault at `at`, prints the figures and
/// returns the interruption.
async fn measure(seen: &Shared, fault: &str, at: Instant) -> Duration {
    let deadline = at + RESUME_WITHIN;
    loop {
        if let Some((took, failed, total)) = interruption(seen, at) {
            println!(
                "FAILOVER {fault}: reservations interrupted for {:.2} s; {failed} of {total} \
                 requests failed meanwhile ({:.0} %)",
                took.as_secs_f64(),
                100.0 * failed as f64 / total.max(1) as f64
            );
            return took;
        }
        assert!(
            Instant::now() < deadline,
            "{fault}: reservations did not resume within {RESUME_WITHIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn count(pool: &PgPool, sql: &str, ids: &[Uuid]) -> usize {
    let n: i64 = sqlx::query_scalar(sql)
        .bind(ids)
        .fetch_one(pool)
        .await
        .unwrap();
    n as usize
}

fn distinct(ids: &[Uuid]) -> Vec<Uuid> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reservations_survive_a_redis_master_a_rabbitmq_node_and_a_postgres_restart() {
    // RUST_LOG=warn shows what the processes went through.
    if std::env::var_os("RUST_LOG").is_some() {
        tiketi_core::infra::telemetry::init_tracing(tiketi_core::infra::config::LogFormat::Pretty);
    }
    let started = Instant::now();
    // PostgreSQL as on RDS: TLS only (`hostssl` lines alone), verified against our own CA.
    let pki = tiketi_testkit::tls::Pki::generate().unwrap();
    let (pg, rabbit, redis) = tokio::join!(
        Postgres::start(Some(tiketi_testkit::postgres::Tls {
            cert: pki.server_cert(),
            key: pki.server_key(),
        })),
        RabbitCluster::start(),
        RedisCluster::start()
    );
    let (mut pg, mut rabbit, mut redis) = (pg.unwrap(), rabbit.unwrap(), redis.unwrap());
    println!(
        "private clusters up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let pool = PgPoolOptions::new()
        .max_connections(40)
        .acquire_timeout(Duration::from_secs(10))
        .connect(&pg.url(
            "postgres",
            &format!("sslmode=verify-full&sslrootcert={}", pki.ca().display()),
        ))
        .await
        .unwrap();
    sqlx::migrate!("../migrations").run(&pool).await.unwrap();
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(encrypted, "the stack's database connections must be TLS");
    let stack = Arc::new(
        Stack::start(
            pool.clone(),
            Options {
                apis: 2,
                workers: 2,
                redis_cluster: Some(redis.seed_urls()),
                amqp_url: Some(rabbit.urls()),
                ..Default::default()
            },
        )
        .await,
    );
    let (event, seats) = stack
        .seated_event(sections(&[("R", 40, 50, 100_000)]))
        .await;
    let seats = Arc::new(seats);
    let mut fans = stack.fans(LOAD_TASKS * FANS_PER_TASK + 1).await;
    let newcomer = fans.pop().unwrap();

    let seen: Shared = Default::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for task in 0..LOAD_TASKS {
        let mine: Vec<Fan> = fans.drain(..FANS_PER_TASK).collect();
        tasks.push(tokio::spawn(load(
            stack.clone(),
            task,
            mine,
            event,
            seats.clone(),
            seen.clone(),
            stop.clone(),
        )));
    }
    // Pacing: the load runs steadily for a while before the first fault.
    tokio::time::sleep(Duration::from_secs(3)).await;

    // 1. The Redis master owning the event's slot (seat state, locks, live channel).
    let hot = stack.keys().seat_state(event);
    let master = redis.master_of(&hot).await.unwrap();
    let at = Instant::now();
    redis.kill(master).unwrap();
    measure(&seen, "redis master killed", at).await;
    redis.wait_for_failover(&hot, master).await.unwrap();
    // Pacing: the load runs on the new master before the next fault.
    tokio::time::sleep(Duration::from_secs(2)).await;

    // 2. The RabbitMQ node leading the event's partition queue.
    let topology = stack.topology();
    let queue = topology.queue(topology.partition_of(event));
    let leader = rabbit.leader_of(&queue).await.unwrap();
    let at = Instant::now();
    rabbit.kill(&leader).unwrap();
    measure(&seen, "rabbitmq queue leader killed", at).await;
    let new_leader = rabbit.wait_for_new_leader(&queue, &leader).await.unwrap();
    println!("partition queue {queue}: leader {leader} -> {new_leader}");
    // Pacing: the load runs on the new leader before the next fault.
    tokio::time::sleep(Duration::from_secs(2)).await;

    // 3. PostgreSQL, stopped and started again.
    let at = Instant::now();
    let down = pg.restart().await.unwrap();
    println!("postgres was down for {:.2} s", down.as_secs_f64());
    measure(&seen, "postgres restarted", at).await;
    let faults_over = Instant::now();

    // A fan who was not part of the load reserves a seat that is still free.
    let app = stack.app(1);
    let reserved_newcomer = loop {
        let free: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM seats WHERE event_id = $1 AND status = 'available' LIMIT 1",
        )
        .bind(event)
        .fetch_optional(&pool)
        .await
        .unwrap_or(None);
        let free = free.expect("the event still has free seats");
        let req = app
            .client
            .post(app.url("/api/seats/reserve"))
            .bearer_auth(&newcomer.token)
            .timeout(Duration::from_secs(10))
            .json(&json!({"eventId": event, "seatIds": [free]}));
        let (status, body) = send(req, Kind::Reserve, &seen).await;
        if status == 201 {
            break faults_over.elapsed();
        }
        assert!(
            faults_over.elapsed() < Duration::from_secs(10),
            "a new fan could not reserve within 10 s of the last fault: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    println!(
        "a new fan reserved {:.2} s after the last fault",
        reserved_newcomer.as_secs_f64()
    );

    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let (reserved, paid, accepted, total, by_status) = {
        let seen = seen.lock().unwrap();
        let mut by_status: HashMap<(Kind, u16), usize> = HashMap::new();
        for s in &seen.samples {
            *by_status.entry((s.kind, s.status)).or_default() += 1;
        }
        (
            distinct(&seen.reserved),
            distinct(&seen.paid),
            distinct(&seen.accepted),
            seen.samples.len(),
            by_status,
        )
    };
    println!("load: {total} requests, by status {by_status:?}");
    assert!(
        reserved.len() >= 20 && !paid.is_empty(),
        "the load made too little progress: {} reserved, {} paid",
        reserved.len(),
        paid.len()
    );

    // Every 202 reaches a decision (recorded in PostgreSQL, winners and losers alike).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let decided = count(
            &pool,
            "SELECT COUNT(*) FROM reservation_requests WHERE request_id = ANY($1)",
            &accepted,
        )
        .await;
        if decided == accepted.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {} accepted (202) requests were never decided",
            accepted.len() - decided,
            accepted.len()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        !accepted.is_empty(),
        "the load sent no asynchronous request"
    );
    println!("{} requests answered 202 were all decided", accepted.len());

    // Every 201 still holds or owns its seats, every 200 is a confirmed, paid reservation.
    let standing = count(
        &pool,
        "SELECT COUNT(*) FROM reservations WHERE id = ANY($1) AND status IN ('pending', 'confirmed')",
        &reserved,
    )
    .await;
    assert_eq!(standing, reserved.len(), "a 201 reservation was lost");
    let confirmed = count(
        &pool,
        "SELECT COUNT(*) FROM reservations r WHERE r.id = ANY($1) AND r.status = 'confirmed'
           AND (SELECT COUNT(*) FROM payments p WHERE p.reservation_id = r.id AND p.status = 'completed') = 1",
        &paid,
    )
    .await;
    assert_eq!(confirmed, paid.len(), "a 200 payment was lost");
    // No seat held or sold twice; statuses agree with the reservations.
    assert_invariants(&pool).await;

    // Redis's seat state agrees with PostgreSQL once the sweeper has reconciled.
    let sweeper = tiketi_sweeper::Sweeper::new(sweeper_config(&stack.api_config), pool.clone())
        .await
        .unwrap();
    sweeper.reconcile().await.unwrap();
    let mut conn = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let in_redis = tiketi_core::reservation::seat_state::SeatState::new(stack.keys())
        .all(&mut conn, event)
        .await
        .unwrap();
    let truth: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, status FROM seats WHERE event_id = $1")
            .bind(event)
            .fetch_all(&pool)
            .await
            .unwrap();
    let drift: Vec<_> = truth
        .iter()
        .filter(|(id, status)| in_redis.get(id).map_or("available", String::as_str) != status)
        .collect();
    assert!(
        drift.is_empty(),
        "Redis disagrees with PostgreSQL: {drift:?}"
    );

    drop(sweeper);
    match Arc::try_unwrap(stack) {
        Ok(stack) => stack.stop().await,
        Err(_) => panic!("the load tasks still hold the stack"),
    }
    pool.close().await;
    println!(
        "failover suite done in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The private PostgreSQL of testkit, TLS-only: `ssl=on` and `hostssl` lines alone, so a
/// TLS client gets in and a plain-text one is turned away, before and after a restart.
#[tokio::test]
async fn the_private_postgres_can_be_tls_only_and_restarted() {
    let dir = std::env::temp_dir().join(format!("tiketi-pg-cert-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("server.crt"), dir.join("server.key"));
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl runs");
    assert!(made.status.success(), "{made:?}");
    let mut pg = Postgres::start(Some(tiketi_testkit::postgres::Tls {
        cert: cert.clone(),
        key,
    }))
    .await
    .unwrap();
    let psql = |query: &str| {
        std::process::Command::new("psql")
            .arg(pg.url("postgres", query))
            .args([
                "-tAc",
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            ])
            .output()
            .expect("psql runs")
    };
    let over_tls = psql("sslmode=require");
    assert!(over_tls.status.success(), "{over_tls:?}");
    assert_eq!(String::from_utf8_lossy(&over_tls.stdout).trim(), "t");
    let plain = psql("sslmode=disable");
    assert!(!plain.status.success(), "a plain-text client got in");
    assert!(
        String::from_utf8_lossy(&plain.stderr).contains("no pg_hba.conf entry"),
        "{plain:?}"
    );
    pg.restart().await.unwrap();
    let psql = |query: &str| {
        std::process::Command::new("psql")
            .arg(pg.url("postgres", query))
            .args(["-tAc", "SELECT 1"])
            .output()
            .expect("psql runs")
    };
    let again = psql(&format!(
        "sslmode=verify-full&sslrootcert={}",
        cert.display()
    ));
    assert!(again.status.success(), "{again:?}");
    drop(pg);
    let _ = std::fs::remove_dir_all(&dir);
}
