//! The whole stack (two api instances, a worker, the sweeper) with `REDIS_MODE=cluster`
//! against a private 3-master + 3-replica Redis Cluster: reserving, the seat state and its
//! live fan-out across instances (sharded pub/sub), cache invalidation, the waiting room,
//! and a master killed under a hot event with no process restarted.

use std::time::{Duration, Instant};

use futures::SinkExt;
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::redis_cluster::RedisCluster;
use tiketi_testkit::{assert_invariants, body, next_matching, sections, Options, Socket, Stack};
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
    watch(stack, app, &format!("seats:{event}"), None).await
}

async fn watch(stack: &Stack, app: usize, topic: &str, token: Option<&str>) -> Socket {
    let url = match token {
        Some(t) => format!("ws://{}/ws?token={t}", stack.app(app).addr),
        None => format!("ws://{}/ws", stack.app(app).addr),
    };
    let mut ws = tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects")
        .0;
    let subscribe = json!({"op": "subscribe", "topic": topic});
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

/// Polls `check` until it holds, for at most `within` (testkit's `eventually` for a yes/no check).
async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    tiketi_testkit::eventually(what, within, || {
        let checked = check();
        async move {
            match checked.await {
                true => Ok(()),
                false => Err("not yet"),
            }
        }
    })
    .await;
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
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let state = tiketi_core::reservation::seat_state::SeatState::new(stack.keys())
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
    // The sweeper's personal notices (published per fan, over many slots) reach instance 1.
    let mut mine = watch(&stack, 1, "user", Some(&fan.token)).await;
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
    let token = tiketi_testkit::eventually("admitted", Duration::from_secs(10), || async {
        let res = app
            .client
            .get(app.url(&format!("/api/queue/{queued}/status")))
            .bearer_auth(&fan.token)
            .send()
            .await
            .unwrap();
        let (_, s) = body(res).await;
        match (s["status"] == "admitted", s["admissionToken"].as_str()) {
            (true, Some(t)) => Ok(t.to_string()),
            _ => Err(s),
        }
    })
    .await;
    next_matching(&mut mine, Duration::from_secs(5), |m| {
        m["event"] == "admitted"
    })
    .await;
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

    // A token revoked through one instance is refused by the other.
    let me = other.get_auth("/api/auth/me", &fans[1].token).await;
    assert_eq!(me.status(), 200);
    let logout = app
        .client
        .post(app.url("/api/auth/logout"))
        .bearer_auth(&fans[1].token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    let me = other.get_auth("/api/auth/me", &fans[1].token).await;
    assert_eq!(me.status(), 401);
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_killed_master_fails_over_and_reservations_and_live_updates_resume_without_restarts(
    pool: PgPool,
) {
    let mut cluster = RedisCluster::start().await.unwrap();
    let stack = cluster_stack(pool, &cluster).await;
    let (event, seats) = stack
        .seated_event(sections(&[("R", 20, 30, 100_000)]))
        .await;
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

    // Fans keep reserving through both instances, each a fresh seat, until every lane got
    // three reservations in a row again.
    const LANES: usize = 4;
    let first_ok: std::sync::Mutex<Option<Duration>> = Default::default();
    let lane = |lane: usize| {
        let (stack, fans, seats, first_ok) = (&stack, &fans, &seats, &first_ok);
        async move {
            let mut answers = Vec::new();
            let (mut n, mut streak) = (lane + 1, 0);
            while streak < 3 && n < seats.len() && killed.elapsed() < Duration::from_secs(45) {
                let res = stack
                    .reserve(lane % 2, &fans[n], event, &seats[n..n + 1])
                    .await;
                let (code, b) = body(res).await;
                let at = killed.elapsed();
                if code == 201 {
                    first_ok.lock().unwrap().get_or_insert(at);
                    streak += 1;
                } else {
                    streak = 0;
                }
                answers.push((at, code, b, n));
                n += LANES;
            }
            answers
        }
    };
    let answers: Vec<_> = futures::future::join_all((0..LANES).map(lane))
        .await
        .into_iter()
        .flatten()
        .collect();
    let first_ok = first_ok
        .lock()
        .unwrap()
        .expect("reservations did not resume within 45 s");
    // Interrupted until the last refusal (or the first success, if nothing was refused).
    let interrupted = answers
        .iter()
        .filter(|(_, code, ..)| *code != 201)
        .map(|(at, ..)| *at)
        .fold(first_ok, Duration::max);
    let during: Vec<_> = answers
        .iter()
        .filter(|(at, ..)| *at <= interrupted)
        .collect();
    let failed = during.iter().filter(|(_, code, ..)| *code != 201).count();
    let promoted = cluster.wait_for_failover(&hot, master).await.unwrap();
    println!(
        "redis master failover ({master} -> {promoted}): reservations interrupted for {:.1} s \
         (first success after {:.1} s); {failed} of {} reserve requests answered meanwhile \
         failed ({:.0} %); {} requests in all",
        interrupted.as_secs_f64(),
        first_ok.as_secs_f64(),
        during.len(),
        100.0 * failed as f64 / during.len().max(1) as f64,
        answers.len(),
    );
    let timeline: Vec<String> = answers
        .iter()
        .map(|(at, code, ..)| format!("{:.2}s:{code}", at.as_secs_f64()))
        .collect();
    println!("answers after the kill: {}", timeline.join(" "));
    // Nothing but success or an honest refusal: every 201 stands in Postgres.
    for (_, code, b, _) in &answers {
        assert!(matches!(code, 201 | 202 | 409 | 503), "{code} {b}");
        if *code == 201 {
            let id: Uuid = b["reservation"]["id"].as_str().unwrap().parse().unwrap();
            let status: String =
                sqlx::query_scalar("SELECT status::text FROM reservations WHERE id = $1")
                    .bind(id)
                    .fetch_one(&stack.pool)
                    .await
                    .unwrap();
            assert_eq!(status, "pending", "{b}");
        }
    }
    let next = answers.iter().map(|(.., n)| *n).max().unwrap() + 1;
    let resumed_seat = answers
        .iter()
        .filter(|(_, code, ..)| *code == 201)
        .map(|(.., n)| *n)
        .max()
        .unwrap();

    // The reader on the other instance, resubscribed on the new master, sees the new hold.
    let seat = seats[resumed_seat].to_string();
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
    // Health reports Redis fine again, with one node of the cluster dead for good.
    for app in [0, 1] {
        eventually(
            Duration::from_secs(10),
            "healthy after the failover",
            || async { stack.app(app).get("/api/health").await.status() == 200 },
        )
        .await;
    }
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}
