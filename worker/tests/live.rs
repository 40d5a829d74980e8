use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::{body, eventually, next_matching, sections, Options, Socket, Stack};
use tokio_tungstenite::tungstenite::Message;

async fn connect(stack: &Stack, app: usize, token: Option<&str>) -> Socket {
    let addr = stack.app(app).addr;
    let url = match token {
        Some(t) => format!("ws://{addr}/ws?token={t}"),
        None => format!("ws://{addr}/ws"),
    };
    tokio_tungstenite::connect_async(url)
        .await
        .expect("websocket connects")
        .0
}

async fn send(ws: &mut Socket, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_subscriber_on_one_instance_sees_a_seat_locked_through_the_other_within_a_second(
    pool: PgPool,
) {
    let stack = Stack::start(
        pool,
        Options {
            apis: 2,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 6, 100_000)])).await;
    let fans = stack.fans(1).await;
    let mut ws = connect(&stack, 0, None).await;
    send(
        &mut ws,
        json!({"op": "subscribe", "topic": format!("seats:{event}")}),
    )
    .await;
    next_matching(&mut ws, Duration::from_secs(2), |m| m["op"] == "subscribed").await;
    let snapshot = body(
        stack
            .app(0)
            .get(&format!("/api/seats/events/{event}"))
            .await,
    )
    .await
    .1;
    let snapshot_seq = snapshot["seq"].as_i64().unwrap();

    // How fast the delta arrives is logged, not asserted: a busy machine must not fail it.
    let started = std::time::Instant::now();
    let (s, b) = body(stack.reserve(1, &fans[0], event, &seats[..2]).await).await;
    assert_eq!(s, 201, "{b}");
    let msg = next_matching(&mut ws, Duration::from_secs(10), |m| {
        m["event"] == "seat-locked"
    })
    .await;
    eprintln!(
        "seat-locked arrived {:?} after the reserve",
        started.elapsed()
    );
    assert_eq!(msg["topic"], format!("seats:{event}"));
    assert_eq!(msg["data"]["status"], "held");
    let ids: Vec<String> = serde_json::from_value(msg["data"]["seatIds"].clone()).unwrap();
    assert_eq!(ids, [seats[0].to_string(), seats[1].to_string()]);
    assert!(msg["seq"].as_i64().unwrap() > snapshot_seq);

    // Paying sells them, with a larger seq again.
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    assert_eq!(body(stack.pay(1, &fans[0], &id, "k").await).await.0, 200);
    let sold = next_matching(&mut ws, Duration::from_secs(10), |m| {
        m["event"] == "seat-sold"
    })
    .await;
    assert!(sold["seq"].as_i64() > msg["seq"].as_i64());

    // The snapshot catches up to the deltas (rebuilt in the cache, not dropped).
    let fresh = eventually("the snapshot caught up", Duration::from_secs(5), || async {
        let fresh = body(
            stack
                .app(0)
                .get(&format!("/api/seats/events/{event}"))
                .await,
        )
        .await
        .1;
        match fresh["seq"] == sold["seq"] {
            true => Ok(fresh),
            false => Err(fresh["seq"].clone()),
        }
    })
    .await;
    assert_eq!(fresh["seq"], sold["seq"]);
    assert_eq!(fresh["seats"][0]["status"], "sold");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn late_subscribers_catch_up_from_their_snapshot_seq(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 6, 100_000)])).await;
    let fans = stack.fans(2).await;
    let snapshot = body(
        stack
            .app(0)
            .get(&format!("/api/seats/events/{event}"))
            .await,
    )
    .await
    .1;
    let seq = snapshot["seq"].as_i64().unwrap();
    assert_eq!(
        body(stack.reserve(0, &fans[0], event, &seats[..1]).await)
            .await
            .0,
        201
    );
    assert_eq!(
        body(stack.reserve(0, &fans[1], event, &seats[1..2]).await)
            .await
            .0,
        201
    );
    let mut ws = connect(&stack, 0, None).await;
    send(
        &mut ws,
        json!({"op": "subscribe", "topic": format!("seats:{event}"), "sinceSeq": seq}),
    )
    .await;
    let a = next_matching(&mut ws, Duration::from_secs(2), |m| {
        m["event"] == "seat-locked"
    })
    .await;
    let b = next_matching(&mut ws, Duration::from_secs(2), |m| {
        m["event"] == "seat-locked"
    })
    .await;
    assert_eq!(
        (a["seq"].as_i64().unwrap(), b["seq"].as_i64().unwrap()),
        (seq + 1, seq + 2)
    );
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_personal_topic_needs_a_token_and_carries_the_fans_own_results(pool: PgPool) {
    let stack = Stack::start(
        pool,
        Options {
            hold_seconds: 2,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 6, 100_000)])).await;
    let fans = stack.fans(2).await;
    let mut anon = connect(&stack, 0, None).await;
    send(&mut anon, json!({"op": "subscribe", "topic": "user"})).await;
    let err = next_matching(&mut anon, Duration::from_secs(2), |m| m["op"] == "error").await;
    assert_eq!(err["code"], "BAD_TOPIC");
    send(&mut anon, json!({"op": "ping"})).await;
    next_matching(&mut anon, Duration::from_secs(2), |m| m["op"] == "pong").await;
    let refused =
        tokio_tungstenite::connect_async(format!("ws://{}/ws?token=forged", stack.app(0).addr))
            .await;
    assert!(
        refused.is_err(),
        "an invalid token is refused before the upgrade"
    );

    let mut mine = connect(&stack, 0, Some(&fans[0].token)).await;
    send(&mut mine, json!({"op": "subscribe", "topic": "user"})).await;
    next_matching(&mut mine, Duration::from_secs(2), |m| {
        m["op"] == "subscribed"
    })
    .await;
    assert_eq!(
        body(stack.reserve(0, &fans[1], event, &seats[..1]).await)
            .await
            .0,
        201
    );
    assert_eq!(
        body(stack.reserve(0, &fans[0], event, &seats[1..2]).await)
            .await
            .0,
        201
    );
    let result = next_matching(&mut mine, Duration::from_secs(2), |m| {
        m["event"] == "reservation-result"
    })
    .await;
    assert_eq!(
        result["data"]["outcome"], "reserved",
        "only my own result arrives first: {result}"
    );
    let warned = next_matching(&mut mine, Duration::from_secs(3), |m| {
        m["event"] == "hold-expiring"
    })
    .await;
    assert!(warned["data"]["reservationId"].is_string());
    next_matching(&mut mine, Duration::from_secs(5), |m| {
        m["event"] == "hold-expired"
    })
    .await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_that_stops_reading_is_dropped_not_buffered(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, _) = stack.seated_event(sections(&[("R", 1, 2, 100_000)])).await;
    let mut slow = connect(&stack, 0, None).await;
    send(
        &mut slow,
        json!({"op": "subscribe", "topic": format!("seats:{event}")}),
    )
    .await;
    next_matching(&mut slow, Duration::from_secs(2), |m| {
        m["op"] == "subscribed"
    })
    .await;
    let mut fast = connect(&stack, 0, None).await;
    send(
        &mut fast,
        json!({"op": "subscribe", "topic": format!("seats:{event}")}),
    )
    .await;
    next_matching(&mut fast, Duration::from_secs(2), |m| {
        m["op"] == "subscribed"
    })
    .await;

    // Far more than the socket buffers, the topic buffer and the connection's send buffer
    // hold: the slow client (which reads nothing) must be cut off.
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let channel = stack.keys().ws_channel(&format!("seats:{event}"));
    let filler = "x".repeat(1000);
    for chunk in 0..50 {
        let mut pipe = redis::pipe();
        for i in 0..1000 {
            let msg = json!({"topic": format!("seats:{event}"), "event": "seat-locked", "seq": chunk * 1000 + i, "data": {"pad": filler}});
            pipe.cmd("PUBLISH")
                .arg(&channel)
                .arg(msg.to_string())
                .ignore();
        }
        let _: () = pipe.query_async(&mut redis).await.unwrap();
        // The fast client keeps up.
        while let Ok(Some(Ok(_))) =
            tokio::time::timeout(Duration::from_millis(1), fast.next()).await
        {}
    }

    eventually(
        "the slow client dropped",
        Duration::from_secs(15),
        || async {
            let text = stack.app(0).metrics_text();
            let dropped = text
                .lines()
                .find(|l| l.starts_with("tiketi_ws_dropped_clients_total"))
                .and_then(|l| l.rsplit(' ').next())
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0);
            match dropped >= 1.0 {
                true => Ok(()),
                false => Err(dropped),
            }
        },
    )
    .await;
    // Its stream ends after whatever was already in flight.
    let ended = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(Ok(_)) = slow.next().await {}
    })
    .await;
    assert!(ended.is_ok(), "the slow client's connection was closed");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_waiting_fan_hears_their_position_and_their_admission_on_the_user_topic(pool: PgPool) {
    let stack = Stack::start(pool.clone(), Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 6, 100_000)])).await;
    sqlx::query(
        "UPDATE events SET queue_enabled = true, queue_strategy = 'max_active', queue_max_active = 1
         WHERE id = $1",
    )
    .bind(event)
    .execute(&pool)
    .await
    .unwrap();
    let fans = stack.fans(2).await;
    let app = stack.app(0);
    let queue = |fan: usize, verb: &str| {
        let url = match verb {
            "join" => app.url(&format!("/api/queue/{event}/join")),
            _ => app.url(&format!("/api/queue/{event}")),
        };
        let req = match verb {
            "join" => app.client.post(url),
            _ => app.client.delete(url),
        };
        req.bearer_auth(&fans[fan].token).send()
    };
    assert_eq!(queue(0, "join").await.unwrap().status(), 200);
    let mut ws = connect(&stack, 0, Some(&fans[1].token)).await;
    send(&mut ws, json!({"op": "subscribe", "topic": "user"})).await;
    next_matching(&mut ws, Duration::from_secs(2), |m| m["op"] == "subscribed").await;
    // Fan 0 takes the one slot; fan 1 waits at the front and hears so.
    eventually("fan 0 admitted", Duration::from_secs(10), || async {
        let res = app
            .client
            .get(app.url(&format!("/api/queue/{event}/status")))
            .bearer_auth(&fans[0].token)
            .send()
            .await
            .unwrap();
        let (_, s) = body(res).await;
        match s["status"] == "admitted" {
            true => Ok(()),
            false => Err(s),
        }
    })
    .await;
    let (_, joined) = body(queue(1, "join").await.unwrap()).await;
    assert_eq!(joined["status"], "waiting", "{joined}");
    let position = next_matching(&mut ws, Duration::from_secs(3), |m| {
        m["event"] == "queue-position"
    })
    .await;
    assert_eq!(position["data"]["ahead"], 0, "{position}");
    assert_eq!(position["data"]["ticket"], joined["ticket"]);
    // Fan 0 leaves: fan 1 is admitted and told, with a token that reserves.
    assert_eq!(queue(0, "leave").await.unwrap().status(), 204);
    let admitted = next_matching(&mut ws, Duration::from_secs(3), |m| {
        m["event"] == "admitted"
    })
    .await;
    let token = admitted["data"]["admissionToken"].as_str().unwrap();
    assert!(admitted["data"]["expiresAt"]
        .as_str()
        .unwrap()
        .ends_with("+09:00"));
    let res = app
        .client
        .post(app.url("/api/seats/reserve"))
        .bearer_auth(&fans[1].token)
        .header("x-admission-token", token)
        .json(&json!({"eventId": event, "seatIds": [seats[0]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    stack.stop().await;
}
