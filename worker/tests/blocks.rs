//! The seat map in blocks after a real reservation: the cached block summary and block seats
//! move on to the new `seq` together, agree with the full map at that `seq`, and a client that
//! loaded a block before the change and applies the live deltas newer than its `seq` ends
//! up with the same truth.

use std::time::Duration;

use serde_json::Value;
use sqlx::PgPool;
use tiketi_testkit::{next_matching, sections, Options, Stack};

async fn get(stack: &Stack, path: &str) -> Value {
    let res = stack.app(0).get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn blocks_follow_a_reservation_with_a_consistent_seq(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack
        .seated_event(sections(&[("A", 2, 5, 100_000), ("B", 2, 5, 80_000)]))
        .await;
    let fans = stack.fans(1).await;
    let before = get(&stack, &format!("/api/seats/events/{event}/blocks/1")).await;
    let summary_before = get(&stack, &format!("/api/seats/events/{event}/blocks")).await;
    let s0 = before["seq"].as_i64().unwrap();
    assert_eq!(summary_before["seq"], s0);
    assert_eq!(before["block"]["counts"]["available"], 10);

    // Live deltas from the start, as a fan's page would see them.
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", stack.app(0).addr))
        .await
        .unwrap();
    {
        use futures::SinkExt;
        ws.send(tokio_tungstenite::tungstenite::Message::Text(
            serde_json::json!({"op": "subscribe", "topic": format!("seats:{event}")})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    }
    next_matching(&mut ws, Duration::from_secs(5), |m| m["op"] == "subscribed").await;

    // Seat 1 of block B (index 10 in layout order).
    let taken = seats[10];
    let res = stack.reserve(0, &fans[0], event, &[taken]).await;
    assert_eq!(res.status(), 201);
    let delta = next_matching(&mut ws, Duration::from_secs(10), |m| {
        m["event"] == "seat-locked"
    })
    .await;
    let delta_seq = delta["seq"].as_i64().unwrap();
    assert!(delta_seq > s0);

    // The old snapshot plus the newer delta is the truth...
    let mut statuses: std::collections::HashMap<String, String> = before["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for id in delta["data"]["seatIds"].as_array().unwrap() {
        if let Some(s) = statuses.get_mut(id.as_str().unwrap()) {
            *s = delta["data"]["status"].as_str().unwrap().to_string();
        }
    }
    // ...and what the cached endpoints serve once refreshed, at the delta's seq.
    let (block, summary) = tiketi_testkit::eventually(
        "the cached block and summary reach the reservation's seq",
        Duration::from_secs(10),
        || async {
            let block = get(&stack, &format!("/api/seats/events/{event}/blocks/1")).await;
            let summary = get(&stack, &format!("/api/seats/events/{event}/blocks")).await;
            if block["seq"] == delta_seq && summary["seq"] == delta_seq {
                Ok((block, summary))
            } else {
                Err((block["seq"].clone(), summary["seq"].clone()))
            }
        },
    )
    .await;
    let fresh: std::collections::HashMap<String, String> = block["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(fresh, statuses);
    assert_eq!(fresh[&taken.to_string()], "held");
    let counts = &summary["blocks"][1]["counts"];
    assert_eq!(
        (counts["available"].clone(), counts["held"].clone()),
        (9.into(), 1.into())
    );
    assert_eq!(block["block"]["counts"], *counts);
    assert_eq!(summary["blocks"][0]["counts"]["available"], 10);
    // The full map at the same seq says the same.
    let map = get(&stack, &format!("/api/seats/events/{event}")).await;
    if map["seq"] == delta_seq {
        let held: Vec<_> = map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["status"] == "held")
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(held, [taken.to_string()]);
    }
    stack.stop().await;
}
