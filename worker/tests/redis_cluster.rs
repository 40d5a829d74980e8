//! The whole stack (two api instances, a worker, the sweeper) with `REDIS_MODE=cluster`
//! against a private 3-master + 3-replica Redis Cluster: reserving, the seat state and its
//! live fan-out across instances (sharded pub/sub), cache invalidation, the waiting room,
//! and a master killed under a hot event with no process restarted.

mod support;

use std::time::{Duration, Instant};

use futures::SinkExt;
use serde_json::{json, Value};
use sqlx::PgPool;
use support::{
    api::{next_matching, Socket},
    assert_invariants, body, sections, Options, Stack,
};
use tiketi_testkit::redis_cluster::RedisCluster;
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

async fn cluster_stack(pool: PgPool, cluster: &RedisCluster) -> Stack {
    Stack::start(
        pool,
        Options {
            apis: 2,
            redis_cluster: Some(cluster.seed_urls()),
            ..Default::default()
        },
    )
    .await
}

async fn watch_seats(stack: &Stack, app: usize, event: Uuid) -> Socket {
    let url = format!("ws://{}/ws", stack.app(app).addr);
    let mut ws = tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects")
        .0;
    let subscribe = json!({"op": "subscribe", "topic": format!("seats:{event}")});
    ws.send(Message::Text(subscribe.to_string().into()))
        .await
        .unwrap();
    next_matching(&mut ws, Duration::from_secs(5), |m| m["op"] == "subscribed").await;
    ws
}

async fn seat_status(stack: &Stack, app: usize, event: Uuid, seat: Uuid) -> Value {
    let (code, map) = body(
        stack
            .app(app)
            .get(&format!("/api/seats/events/{event}"))
            .await,
    )
    .await;
    assert_eq!(code, 200, "{map}");
    map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == seat.to_string())
        .map(|s| s["status"].clone())
        .unwrap()
}

/// Polls `check` until it holds, for at most `within`.
async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !check().await {
        assert!(Instant::now() < deadline, "{what} not within {within:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn on_a_cluster_seats_live_updates_caches_and_the_waiting_room_work_across_instances(
    pool: PgPool,
) {
    let cluster = RedisCluster::start().await.unwrap();
    let stack = cluster_stack(pool, &cluster).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 6, 100_000)])).await;
    let fans = stack.fans(3).await;
    // A reader of instance 1 and a cached seat map on both instances.
    let mut ws = watch_seats(&stack, 1, event).await;
    assert_eq!(seat_status(&stack, 0, event, seats[0]).await, "available");
    assert_eq!(seat_status(&stack, 1, event, seats[0]).await, "available");

    // A hold made through instance 0 reaches instance 1's WebSocket client.
    let (code, held) = body(stack.reserve(0, &fans[0], event, &seats[..2]).await).await;
    assert_eq!(code, 201, "{held}");
    let locked = next_matching(&mut ws, Duration::from_secs(2), |m| {
        m["event"] == "seat-locked"
    })
    .await;
    let ids: Vec<String> = serde_json::from_value(locked["data"]["seatIds"].clone()).unwrap();
    assert_eq!(ids, [seats[0].to_string(), seats[1].to_string()]);

    // The seat state on the cluster turns the next fan away.
    let (code, lost) = body(stack.reserve(1, &fans[1], event, &seats[1..3]).await).await;
    assert_eq!(code, 409, "{lost}");
    // Both instances' caches follow the change (refreshed and invalidated through Redis).
    for app in [0, 1] {
        eventually(
            Duration::from_secs(3),
            "the cached seat map shows the hold",
            || async { seat_status(&stack, app, event, seats[0]).await == "held" },
        )
        .await;
    }
    let id = held["reservation"]["id"].as_str().unwrap().to_string();
    let (code, paid) = body(stack.pay(1, &fans[0], &id, "k").await).await;
    assert_eq!(code, 200, "{paid}");
    let sold = next_matching(&mut ws, Duration::from_secs(2), |m| {
        m["event"] == "seat-sold"
    })
    .await;
    assert!(sold["seq"].as_i64() > locked["seq"].as_i64());

    // The seat state really lives on the cluster, not on the shared server.
    let mut redis = tiketi_core::keys::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let state = tiketi_core::seat_state::SeatState::new(stack.keys())
        .all(&mut redis, event)
        .await
        .unwrap();
    assert_eq!(state[&seats[0]], "sold", "{state:?}");

    // The waiting room: join through one instance, get admitted by the sweeper, buy with
    // the admission token through the other.
    let (queued, queued_seats) = stack.seated_event(sections(&[("Q", 1, 4, 100_000)])).await;
    sqlx::query(
        "UPDATE events SET queue_enabled = true, queue_rate_per_minute = 60000 WHERE id = $1",
    )
    .bind(queued)
    .execute(&stack.pool)
    .await
    .unwrap();
    let fan = &fans[2];
    let app = stack.app(0);
    let join = app
        .client
        .post(app.url(&format!("/api/queue/{queued}/join")))
        .bearer_auth(&fan.token)
        .send()
        .await
        .unwrap();
    let (code, place) = body(join).await;
    assert_eq!(code, 200, "{place}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let token = loop {
        let res = app
            .client
            .get(app.url(&format!("/api/queue/{queued}/status")))
            .bearer_auth(&fan.token)
            .send()
            .await
            .unwrap();
        let (_, s) = body(res).await;
        if let (true, Some(t)) = (s["status"] == "admitted", s["admissionToken"].as_str()) {
            break t.to_string();
        }
        assert!(Instant::now() < deadline, "not admitted: {s}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let other = stack.app(1);
    let reserve = |token: Option<&str>| {
        let mut req = other
            .client
            .post(other.url("/api/seats/reserve"))
            .bearer_auth(&fan.token)
            .json(&json!({"eventId": queued, "seatIds": [queued_seats[0]]}));
        if let Some(t) = token {
            req = req.header("x-admission-token", t);
        }
        req.send()
    };
    assert_eq!(reserve(None).await.unwrap().status(), 403);
    let (code, b) = body(reserve(Some(&token)).await.unwrap()).await;
    assert_eq!(code, 201, "{b}");
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_killed_master_fails_over_and_reservations_and_live_updates_resume_without_restarts(
    pool: PgPool,
) {
    let mut cluster = RedisCluster::start().await.unwrap();
    let stack = cluster_stack(pool, &cluster).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 2, 10, 100_000)])).await;
    let fans = stack.fans(seats.len()).await;
    let mut ws = watch_seats(&stack, 1, event).await;
    let (code, b) = body(stack.reserve(0, &fans[0], event, &seats[..1]).await).await;
    assert_eq!(code, 201, "{b}");
    next_matching(&mut ws, Duration::from_secs(2), |m| {
        m["event"] == "seat-locked"
    })
    .await;

    // The master owning the event's slot (its seat state, locks, log and live channel).
    let hot = stack.keys().seat_state(event);
    let master = cluster.master_of(&hot).await.unwrap();
    cluster.kill(master).unwrap();
    let killed = Instant::now();

    // Keep reserving, one fresh fan and seat at a time, until one succeeds again.
    let (mut attempts, mut failed, mut next) = (0, 0, 1);
    let resumed = loop {
        assert!(
            killed.elapsed() < Duration::from_secs(45),
            "reservations did not resume within 45 s ({failed} of {attempts} failed)"
        );
        let (code, b) = body(
            stack
                .reserve(0, &fans[next], event, &seats[next..next + 1])
                .await,
        )
        .await;
        attempts += 1;
        next += 1;
        if code == 201 {
            break b;
        }
        failed += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let interrupted = killed.elapsed();
    let promoted = cluster.wait_for_failover(&hot, master).await.unwrap();
    println!(
        "redis master failover ({master} -> {promoted}): reservations interrupted for {:.1} s; \
         {failed} of {attempts} reserve requests failed meanwhile",
        interrupted.as_secs_f64()
    );

    // The reader on the other instance, resubscribed on the new master, sees the new hold.
    assert!(resumed["reservation"]["id"].is_string(), "{resumed}");
    let seat = seats[next - 1].to_string();
    next_matching(&mut ws, Duration::from_secs(10), |m| {
        m["event"] == "seat-locked"
            && m["data"]["seatIds"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|id| id == &json!(seat)))
    })
    .await;
    // And a new one, through either instance.
    let (code, b) = body(
        stack
            .reserve(1, &fans[next], event, &seats[next..next + 1])
            .await,
    )
    .await;
    assert_eq!(code, 201, "{b}");
    next_matching(&mut ws, Duration::from_secs(5), |m| {
        m["event"] == "seat-locked" && m["data"]["seatIds"][0] == json!(seats[next].to_string())
    })
    .await;
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}
