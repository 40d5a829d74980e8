//! The seat map in blocks: the summary and each block's seats agree with the full map, come
//! cached and compressed, and unknown blocks are a 404.

use std::{collections::HashMap, io::Read};

use serde_json::Value;
use sqlx::PgPool;
use tiketi_core::seed;
use tiketi_testkit::{error_of, TestApp};

async fn json(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Per section name: (available, held, sold) counted from the full map.
fn counts_of_map(map: &Value) -> HashMap<String, (i64, i64, i64)> {
    let mut out: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for s in map["seats"].as_array().unwrap() {
        let c = out
            .entry(s["section"].as_str().unwrap().to_string())
            .or_default();
        match s["status"].as_str().unwrap() {
            "available" => c.0 += 1,
            "held" => c.1 += 1,
            _ => c.2 += 1,
        }
    }
    out
}

#[sqlx::test(migrations = "../migrations")]
async fn blocks_agree_with_the_full_map_for_every_seed_venue(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.seed().await;
    // Some seats of the small theater held and sold, straight in the database, so the
    // counts are not all "available".
    sqlx::query(
        "WITH r AS (
            INSERT INTO reservations (code, request_id, user_id, event_id, total_amount, expires_at)
            SELECT 'TEST-BLOCKS', gen_random_uuid(), id, $1, 1, now() + interval '5 minutes'
            FROM users LIMIT 1
            RETURNING id)
         UPDATE seats SET status = CASE WHEN number % 2 = 0 THEN 'held' ELSE 'sold' END,
                          reservation_id = (SELECT id FROM r)
         WHERE event_id = $1 AND row_label IN ('A', 'B') AND number <= 4",
    )
    .bind(seed::event_id(1))
    .execute(&pool)
    .await
    .unwrap();

    // The organizer priced the small theater's S grade apart from the layout's default.
    sqlx::query("UPDATE seats SET price = 66000 WHERE event_id = $1 AND section = 'S'")
        .bind(seed::event_id(1))
        .execute(&pool)
        .await
        .unwrap();
    let small = seed::event_id(1);
    let s_block = json(
        app.get(&format!("/api/seats/events/{small}/blocks/2"))
            .await,
    )
    .await;
    assert_eq!(s_block["block"]["name"], "S");
    assert_eq!(s_block["block"]["price"], 66000);
    let small_summary = json(app.get(&format!("/api/seats/events/{small}/blocks")).await).await;
    assert_eq!(small_summary["blocks"][2]["price"], 66000);
    assert_eq!(small_summary["blocks"][0]["price"], 150000);

    for (n, blocks, kind) in [
        (1, 3, "stage"),
        (2, 4, "stage"),
        (3, 5, "field"),
        (seed::BIG_STADIUM_EVENT, 54, "field"),
    ] {
        let event = seed::event_id(n);
        let map = json(app.get(&format!("/api/seats/events/{event}")).await).await;
        let summary = json(app.get(&format!("/api/seats/events/{event}/blocks")).await).await;
        assert_eq!(summary["seq"], map["seq"], "event {n}");
        assert_eq!(summary["focus"]["kind"], kind);
        let list = summary["blocks"].as_array().unwrap();
        assert_eq!(list.len(), blocks, "event {n}");
        let expected = counts_of_map(&map);
        let mut total = 0;
        for (i, b) in list.iter().enumerate() {
            assert_eq!(b["id"], i as i64);
            let name = b["name"].as_str().unwrap();
            let (a, h, s) = expected[name];
            let c = &b["counts"];
            assert_eq!(
                (
                    c["available"].as_i64().unwrap(),
                    c["held"].as_i64().unwrap(),
                    c["sold"].as_i64().unwrap()
                ),
                (a, h, s),
                "event {n} block {name}"
            );
            assert_eq!(
                c["total"],
                b["rows"].as_i64().unwrap() * b["seatsPerRow"].as_i64().unwrap()
            );
            assert!(b["polygon"].as_array().unwrap().len() >= 3);
            assert!(b["price"].as_i64().unwrap() > 0);
            total += c["total"].as_i64().unwrap();
        }
        assert_eq!(total, map["seats"].as_array().unwrap().len() as i64);

        // Two blocks' seats: exactly the map's seats of that section, in the same order,
        // rows lettered from A in every block.
        for id in [0, list.len() - 1] {
            let block = json(
                app.get(&format!("/api/seats/events/{event}/blocks/{id}"))
                    .await,
            )
            .await;
            assert_eq!(block["seq"], map["seq"]);
            let name = list[id]["name"].as_str().unwrap();
            assert_eq!(block["block"]["name"], name);
            assert_eq!(block["block"]["counts"], list[id]["counts"]);
            let from_map: Vec<_> = map["seats"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["section"] == name)
                .map(|s| {
                    (
                        s["id"].clone(),
                        s["row"].clone(),
                        s["number"].clone(),
                        s["status"].clone(),
                    )
                })
                .collect();
            let seats: Vec<_> = block["seats"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["id"].clone(),
                        s["row"].clone(),
                        s["number"].clone(),
                        s["status"].clone(),
                    )
                })
                .collect();
            assert_eq!(seats, from_map, "event {n} block {id}");
            assert_eq!(seats[0].1, "A");
            assert_eq!(seats[0].2, 1);
        }
    }

    // The big stadium's blocks are numbered around the field.
    let big = json(
        app.get(&format!(
            "/api/seats/events/{}/blocks",
            seed::event_id(seed::BIG_STADIUM_EVENT)
        ))
        .await,
    )
    .await;
    let labels: Vec<_> = big["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["label"].as_str().unwrap().to_string())
        .collect();
    assert!(labels.contains(&"101".to_string()) && labels.contains(&"224".to_string()));
    assert!(big["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["kind"] == "bowl" && b["aislesAfter"] == serde_json::json!([20])));
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_blocks_and_events_are_404(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.seed().await;
    let event = seed::event_id(1);
    for block in ["3", "-1", "119", "120", "99999"] {
        error_of(
            app.get(&format!("/api/seats/events/{event}/blocks/{block}"))
                .await,
            404,
            "BLOCK_NOT_FOUND",
        )
        .await;
    }
    let nobody = uuid::Uuid::new_v4();
    error_of(
        app.get(&format!("/api/seats/events/{nobody}/blocks/0"))
            .await,
        404,
        "BLOCK_NOT_FOUND",
    )
    .await;
    error_of(
        app.get(&format!("/api/seats/events/{nobody}/blocks")).await,
        404,
        "EVENT_NOT_FOUND",
    )
    .await;
    // A general-admission event has no blocks.
    let standing: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM events WHERE layout_id IS NULL LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let ga = json(
        app.get(&format!("/api/seats/events/{standing}/blocks"))
            .await,
    )
    .await;
    assert!(ga["blocks"].as_array().unwrap().is_empty());
    assert!(ga["layoutId"].is_null());
    error_of(
        app.get(&format!("/api/seats/events/{standing}/blocks/0"))
            .await,
        404,
        "BLOCK_NOT_FOUND",
    )
    .await;
    error_of(
        app.get(&format!("/api/seats/events/{event}/blocks/x"))
            .await,
        400,
        "INVALID_PATH",
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn block_bodies_are_cached_compressed_and_revalidated(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.seed().await;
    let event = seed::event_id(seed::BIG_STADIUM_EVENT);
    for path in [
        format!("/api/seats/events/{event}/blocks"),
        format!("/api/seats/events/{event}/blocks/7"),
    ] {
        let plain = app.get(&path).await;
        let etag = plain.headers()["etag"].to_str().unwrap().to_string();
        let identity = plain.bytes().await.unwrap();
        let res = app
            .client
            .get(app.url(&path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 304, "{path}");
        let res = app
            .client
            .get(app.url(&path))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-encoding"], "br");
        let br = res.bytes().await.unwrap();
        let mut out = Vec::new();
        brotli::Decompressor::new(br.as_ref(), 4096)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, identity);
        assert!(br.len() * 3 < identity.len(), "{path}");
    }
    // One block of the 60,000-seat stadium is a small fraction of the whole map.
    let whole = app
        .get(&format!("/api/seats/events/{event}"))
        .await
        .bytes()
        .await
        .unwrap()
        .len();
    let block = app
        .get(&format!("/api/seats/events/{event}/blocks/7"))
        .await
        .bytes()
        .await
        .unwrap()
        .len();
    assert!(block * 30 < whole, "block {block} bytes, map {whole} bytes");
}
