use std::io::Read;

use serde_json::Value;
use sqlx::PgPool;
use tiketi_core::seed;
use tiketi_testkit::{error_of, eventually, TestApp};

async fn json(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn event_list_filters_searches_and_paginates(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.seed().await;
    let all = json(app.get("/api/events?limit=100").await).await;
    let total = all["pagination"]["total"].as_i64().unwrap();
    assert_eq!(total, 27);
    let statuses: std::collections::HashSet<_> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap().to_string())
        .collect();
    for s in ["on_sale", "upcoming", "sold_out", "ended", "cancelled"] {
        assert!(statuses.contains(s), "{s}");
    }

    let on_sale = json(app.get("/api/events?status=on_sale&limit=100").await).await;
    let events = on_sale["events"].as_array().unwrap();
    assert!(events.len() >= 10);
    assert!(events.iter().all(|e| e["status"] == "on_sale"));
    assert_eq!(
        on_sale["pagination"]["total"].as_u64().unwrap() as usize,
        events.len()
    );

    // Pages are disjoint and together are the whole list.
    let mut seen = std::collections::HashSet::new();
    for page in 1..=4 {
        let p = json(app.get(&format!("/api/events?limit=7&page={page}")).await).await;
        assert_eq!(p["pagination"]["totalPages"], 4);
        for e in p["events"].as_array().unwrap() {
            assert!(
                seen.insert(e["id"].as_str().unwrap().to_string()),
                "duplicate across pages"
            );
        }
    }
    assert_eq!(seen.len(), 27);

    let jazz = json(app.get("/api/events?q=%EC%9E%AC%EC%A6%88").await).await; // "재즈"
    let titles: Vec<_> = jazz["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert!(
        !titles.is_empty() && titles.iter().all(|t| t.contains("재즈")),
        "{titles:?}"
    );
    let by_venue = json(app.get("/api/events?q=%EC%9B%94%EB%93%9C%EC%BB%B5").await).await; // "월드컵" venue
    assert!(by_venue["pagination"]["total"].as_i64().unwrap() >= 3);
    // LIKE wildcards are literal.
    let none = json(app.get("/api/events?q=%25").await).await;
    assert_eq!(none["pagination"]["total"], 0);

    for bad in ["status=sold", "page=0", "limit=101", "limit=abc"] {
        error_of(
            app.get(&format!("/api/events?{bad}")).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn event_detail_shows_times_in_the_event_zone_with_tiers_and_availability(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.seed().await;
    let detail = json(app.get(&format!("/api/events/{}", seed::event_id(1))).await).await;
    let event = &detail["event"];
    assert_eq!(event["timezone"], "Asia/Seoul");
    for field in ["startsAt", "saleStart", "saleEnd"] {
        let s = event[field].as_str().unwrap();
        assert!(s.ends_with("+09:00"), "{field}: {s}");
        chrono::DateTime::parse_from_rfc3339(s).unwrap();
    }
    assert!(event["startsAt"].as_str().unwrap().contains("T19:00:00"));
    let tiers: Vec<(String, i64, i64)> = detail["ticketTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().into(),
                t["price"].as_i64().unwrap(),
                t["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        tiers,
        [
            ("VIP".into(), 150_000, 30),
            ("R".into(), 100_000, 75),
            ("S".into(), 70_000, 160)
        ]
    );
    assert_eq!(detail["availability"]["total"], 265);
    assert_eq!(detail["availability"]["available"], 265);

    let ga = json(
        app.get(&format!("/api/events/{}", seed::event_id(10)))
            .await,
    )
    .await;
    assert_eq!(ga["event"]["seating"], "general");
    assert_eq!(ga["ticketTypes"].as_array().unwrap().len(), 2);
    assert!(ga["ticketTypes"][0]["id"].is_string());
    assert_eq!(ga["availability"]["total"], 2000);

    error_of(
        app.get(&format!("/api/events/{}", uuid::Uuid::new_v4()))
            .await,
        404,
        "EVENT_NOT_FOUND",
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn seat_maps_of_all_three_layouts_are_complete_and_in_layout_order(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.seed().await;
    for (event, total) in [
        (seed::event_id(1), 265),
        (seed::event_id(2), 1_250),
        (seed::event_id(3), 4_900),
    ] {
        let map = json(app.get(&format!("/api/seats/events/{event}")).await).await;
        let seats = map["seats"].as_array().unwrap();
        assert_eq!(seats.len(), total, "{event}");
        assert_eq!(map["layout"]["totalSeats"], total);
        assert!(map["seq"].as_i64().is_some());
        let sections = map["layout"]["sections"].as_array().unwrap();
        // Seats come section by section in layout order, rows in order, numbers ascending.
        let mut expected = Vec::new();
        let mut row = 0usize;
        for s in sections {
            // Drawn blocks letter their rows from A again.
            if s.get("geometry").is_some() {
                row = 0;
            }
            for _ in 0..s["rows"].as_i64().unwrap() {
                row += 1;
                let label = if row <= 26 {
                    ((b'A' + (row - 1) as u8) as char).to_string()
                } else {
                    format!(
                        "{}{}",
                        (b'A' + ((row - 1) / 26 - 1) as u8) as char,
                        (b'A' + ((row - 1) % 26) as u8) as char
                    )
                };
                for n in 1..=s["seatsPerRow"].as_i64().unwrap() {
                    expected.push((
                        s["name"].as_str().unwrap().to_string(),
                        label.clone(),
                        n,
                        s["price"].as_i64().unwrap(),
                    ));
                }
            }
        }
        let actual: Vec<_> = seats
            .iter()
            .map(|s| {
                assert_eq!(s["status"], "available");
                (
                    s["section"].as_str().unwrap().to_string(),
                    s["row"].as_str().unwrap().to_string(),
                    s["number"].as_i64().unwrap(),
                    s["price"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(actual, expected, "{event}");
    }
    // Small theater: the prices of the plan's tiers.
    let small = json(
        app.get(&format!("/api/seats/events/{}", seed::event_id(1)))
            .await,
    )
    .await;
    let count = |price: i64| {
        small["seats"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["price"] == price)
            .count()
    };
    assert_eq!(
        (count(150_000), count(100_000), count(70_000)),
        (30, 75, 160)
    );

    let layouts = json(app.get("/api/seats/layouts").await).await;
    let totals: Vec<_> = layouts["layouts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["totalSeats"].as_i64().unwrap())
        .collect();
    assert_eq!(totals, [265, 1_250, 4_900, 60_000]);
}

#[sqlx::test(migrations = "../migrations")]
async fn reads_are_cached_until_invalidated(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.seed().await;
    let id = seed::event_id(1);
    let path = format!("/api/events/{id}");
    let first = json(app.get(&path).await).await;
    sqlx::query("UPDATE events SET title = 'Renamed behind the cache' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    // Still the cached body (local level, then Redis level once the local copy lapses).
    assert_eq!(
        json(app.get(&path).await).await["event"]["title"],
        first["event"]["title"]
    );
    // Pacing: the local copy's TTL runs out, so the next read is Redis's.
    tokio::time::sleep(app.config.cache.local + std::time::Duration::from_millis(200)).await;
    assert_eq!(
        json(app.get(&path).await).await["event"]["title"],
        first["event"]["title"],
        "served from Redis"
    );

    // The one invalidation function makes the next read fresh.
    let redis = tiketi_core::infra::redis::connect(&app.config.infra)
        .await
        .unwrap();
    let cache = tiketi_core::infra::cache::Cache::new(
        redis,
        tiketi_core::infra::redis::Keys::new(app.config.infra.redis_prefix.clone()),
        app.config.cache.local,
    );
    cache.invalidate_event(id).await.unwrap();
    // Other instances drop their local copy through pub/sub, a moment later.
    let title = eventually(
        "the invalidation reached the local cache",
        std::time::Duration::from_secs(5),
        || async {
            let title = json(app.get(&path).await).await["event"]["title"].clone();
            match title == "Renamed behind the cache" {
                true => Ok(title),
                false => Err(title),
            }
        },
    )
    .await;
    assert_eq!(title, "Renamed behind the cache");
    let list = json(app.get("/api/events?limit=100").await).await;
    assert!(
        list.to_string().contains("Renamed behind the cache"),
        "list pages were invalidated too"
    );

    let metrics = app.metrics_text();
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("tiketi_cache_requests_total")
                && l.contains("cache=\"event_detail\"")
                && l.contains("result=\"local_hit\"")),
        "{metrics}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn seat_map_honours_etag_and_compression(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.seed().await;
    let path = format!("/api/seats/events/{}", seed::event_id(3));
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
    assert_eq!(res.status(), 304);
    assert!(res.bytes().await.unwrap().is_empty());
    let res = app
        .client
        .get(app.url(&path))
        .header("if-none-match", "W/\"other\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let res = app
        .client
        .get(app.url(&path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let gz = res.bytes().await.unwrap();
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz.as_ref())
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out, identity);
    assert!(
        gz.len() * 3 < identity.len(),
        "gzip {} vs {}",
        gz.len(),
        identity.len()
    );

    let res = app
        .client
        .get(app.url(&path))
        .header("accept-encoding", "gzip, br")
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
}
