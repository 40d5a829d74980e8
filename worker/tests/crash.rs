use std::{process::Stdio, time::Duration};

use serde_json::json;
use sqlx::PgPool;
use tiketi_testkit::{assert_invariants, eventually, sections, Options, Stack};

/// The real worker binary against this test's database, queues and keys.
fn spawn_worker(stack: &Stack, pool: &PgPool) -> std::process::Child {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let database = pool
        .connect_options()
        .get_database()
        .expect("test database name")
        .to_string();
    let (server, _) = base.rsplit_once('/').expect("DATABASE_URL has a path");
    let infra = &stack.api_config.infra;
    std::process::Command::new(env!("CARGO_BIN_EXE_tiketi-worker"))
        .env("DATABASE_URL", format!("{server}/{database}"))
        .env("REDIS_URL", &infra.redis_url)
        .env("AMQP_URL", &infra.amqp_url)
        .env("REDIS_PREFIX", &infra.redis_prefix)
        .env("AMQP_PREFIX", &infra.amqp_prefix)
        .env("PARTITIONS", stack.api_config.partitions.to_string())
        .env("TIKETI_ENV", "test")
        .env("WORKER_BATCH_MAX", "16")
        .env("RUST_LOG", "warn")
        .env_remove("METRICS_ADDR")
        .stdout(Stdio::null())
        .spawn()
        .expect("worker binary starts")
}

async fn decided(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM reservation_requests")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_worker_killed_mid_stream_loses_and_duplicates_nothing(pool: PgPool) {
    const N: usize = 300;
    let stack = Stack::start(
        pool.clone(),
        Options {
            workers: 0,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("S", 10, 40, 70_000)])).await;
    let fans = stack.fans(N).await;
    let mut first = spawn_worker(&stack, &pool);
    stack.wait_for_consumers().await;

    // Every fan queues one distinct seat; all of them must end up reserved exactly once.
    let app = stack.app(0);
    let sends = fans.iter().zip(&seats).map(|(fan, seat)| {
        app.client
            .post(app.url("/api/seats/reserve"))
            .bearer_auth(&fan.token)
            .header("prefer", "respond-async")
            .json(&json!({"eventId": event, "seatIds": [seat]}))
            .send()
    });
    let sending = tokio::spawn(futures::future::join_all(sends));

    eventually(
        "the first worker decided 40",
        Duration::from_secs(60),
        || async {
            match decided(&pool).await {
                n if n >= 40 => Ok(()),
                n => Err(n),
            }
        },
    )
    .await;
    first.kill().expect("SIGKILL the worker");
    first.wait().unwrap();
    let at_kill = decided(&pool).await;

    for res in sending.await.unwrap() {
        assert_eq!(res.unwrap().status(), 202);
    }
    let mut second = spawn_worker(&stack, &pool);
    eventually("every command decided", Duration::from_secs(60), || async {
        match decided(&pool).await {
            n if n >= N as i64 => Ok(()),
            n => Err(format!("only {n} of {N} decided")),
        }
    })
    .await;
    // Pacing: let redeliveries of already-decided commands drain too (they change nothing
    // a test could poll for).
    tokio::time::sleep(Duration::from_millis(500)).await;
    second.kill().unwrap();
    second.wait().unwrap();

    assert!(
        at_kill < N as i64,
        "the kill happened mid-stream ({at_kill} decided)"
    );
    let (requests, reserved, reservations, distinct_requests): (i64, i64, i64, i64) =
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM reservation_requests),
                (SELECT COUNT(*) FROM reservation_requests WHERE outcome = 'reserved'),
                (SELECT COUNT(*) FROM reservations),
                (SELECT COUNT(DISTINCT request_id) FROM reservations)",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        (requests, reserved, reservations, distinct_requests),
        (N as i64, N as i64, N as i64, N as i64)
    );
    let held: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM seats WHERE event_id = $1 AND status = 'held'")
            .bind(event)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(held, N as i64);
    assert_invariants(&pool).await;

    // Nothing was dead-lettered and nothing is left in the queues.
    let broker = tiketi_core::infra::amqp::Broker::new(stack.api_config.infra.amqp_url.clone());
    let ch = broker.channel().await.unwrap();
    let topology = stack.topology();
    let passive = lapin::options::QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    for q in (0..topology.partitions())
        .map(|p| topology.queue(p))
        .chain([topology.dead_letter_queue()])
    {
        let info = ch
            .queue_declare(&q, passive, Default::default())
            .await
            .unwrap();
        assert_eq!(info.message_count(), 0, "{q}");
    }
    broker.close().await;
    stack.stop().await;
}
