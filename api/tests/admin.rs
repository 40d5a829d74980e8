use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::SinkExt;
use serde_json::{json, Value};
use sqlx::{postgres::PgPoolOptions, PgPool};
use tiketi_testkit::{error_of, next_matching, TestApp};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

const ADMIN_EMAIL: &str = "boss@example.com";

async fn admin_token(app: &TestApp) -> String {
    app.admin_token(ADMIN_EMAIL).await
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut req = app.client.request(method, app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.expect("request sent")
}

async fn ok(res: reqwest::Response, status: u16) -> Value {
    let got = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{body}");
    body
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    send(app, reqwest::Method::POST, path, Some(token), Some(body)).await
}

async fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    send(app, reqwest::Method::PUT, path, Some(token), Some(body)).await
}

/// The per-field details of a 422.
async fn invalid_fields(res: reqwest::Response) -> Value {
    error_of(res, 422, "VALIDATION_FAILED").await["details"]["fields"].clone()
}

/// Wall-clock time in `zone`, `offset` from now, without an offset (as a form sends it).
fn local(zone: chrono_tz::Tz, offset: chrono::Duration) -> String {
    (Utc::now() + offset)
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn future_times() -> Value {
    let seoul = chrono_tz::Asia::Seoul;
    json!({
        "saleStart": local(seoul, chrono::Duration::days(5)),
        "saleEnd": local(seoul, chrono::Duration::days(9)),
        "startsAt": local(seoul, chrono::Duration::days(10)),
    })
}

fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

#[sqlx::test(migrations = "../migrations")]
async fn every_admin_route_refuses_anonymous_callers_and_fans(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (fan, _) = app.register("fan@example.com").await;
    let id = Uuid::new_v4();
    let body = json!({"title": "Sneaky", "venue": "Hall", "name": "Sneaky", "sections": []});
    let routes: Vec<(reqwest::Method, String)> = vec![
        (reqwest::Method::GET, "/api/admin/events".into()),
        (reqwest::Method::POST, "/api/admin/events".into()),
        (reqwest::Method::PUT, format!("/api/admin/events/{id}")),
        (
            reqwest::Method::POST,
            format!("/api/admin/events/{id}/cancel"),
        ),
        (reqwest::Method::GET, "/api/admin/reservations".into()),
        (reqwest::Method::GET, "/api/admin/layouts".into()),
        (reqwest::Method::POST, "/api/admin/layouts".into()),
        (reqwest::Method::GET, "/api/admin/dashboard/stats".into()),
        (reqwest::Method::GET, "/api/admin/audit".into()),
    ];
    for (method, path) in &routes {
        let with_body = (*method != reqwest::Method::GET).then_some(&body);
        error_of(
            send(&app, method.clone(), path, None, with_body).await,
            401,
            "AUTH_REQUIRED",
        )
        .await;
        error_of(
            send(&app, method.clone(), path, Some(&fan), with_body).await,
            403,
            "ADMIN_ONLY",
        )
        .await;
    }
    let written: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM seat_layouts)
                + (SELECT COUNT(*) FROM audit_log)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(written, 0);
    // The document lists every admin route.
    let doc = ok(app.get("/api/openapi.json").await, 200).await;
    for path in [
        "/api/admin/events",
        "/api/admin/events/{id}",
        "/api/admin/events/{id}/cancel",
        "/api/admin/reservations",
        "/api/admin/layouts",
        "/api/admin/dashboard/stats",
        "/api/admin/audit",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn layouts_are_validated_created_and_listed_everywhere(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = admin_token(&app).await;
    // Cache the public list first: creating a layout must drop it.
    let before = ok(app.get("/api/seats/layouts").await, 200).await;
    assert_eq!(before["layouts"].as_array().unwrap().len(), 0);

    let fields = invalid_fields(
        post(
            &app,
            &admin,
            "/api/admin/layouts",
            &json!({"name": " ", "venue": "v".repeat(201),
                    "sections": [{"name": "A", "rows": 0, "seatsPerRow": 5, "price": 0},
                                 {"name": "a", "rows": 1, "seatsPerRow": 101, "price": 10}]}),
        )
        .await,
    )
    .await;
    for f in [
        "name",
        "venue",
        "sections[0].rows",
        "sections[0].price",
        "sections[1].name",
        "sections[1].seatsPerRow",
    ] {
        assert!(fields[f].is_string(), "{f}: {fields}");
    }
    let fields = invalid_fields(post(&app, &admin, "/api/admin/layouts", &json!({})).await).await;
    assert!(fields["name"].is_string() && fields["sections"].is_string());
    let huge = json!({"name": "Huge", "sections": [
        {"name": "A", "rows": 100, "seatsPerRow": 100, "price": 1},
        {"name": "B", "rows": 100, "seatsPerRow": 100, "price": 1},
        {"name": "C", "rows": 1, "seatsPerRow": 1, "price": 1}]});
    invalid_fields(post(&app, &admin, "/api/admin/layouts", &huge).await).await;

    let spec = json!({"name": "Club Hall", "venue": "Hongdae Club", "sections": [
        {"name": "VIP", "rows": 2, "seatsPerRow": 5, "price": 150000, "color": "#ff0000"},
        {"name": "R", "rows": 3, "seatsPerRow": 10, "price": 90000}]});
    let created = ok(post(&app, &admin, "/api/admin/layouts", &spec).await, 201).await;
    let layout = &created["layout"];
    assert_eq!(layout["name"], "Club Hall");
    assert_eq!(layout["venue"], "Hongdae Club");
    assert_eq!(layout["totalSeats"], 40);
    assert_eq!(layout["sections"][1]["seatsPerRow"], 10);
    error_of(
        post(&app, &admin, "/api/admin/layouts", &spec).await,
        409,
        "LAYOUT_NAME_TAKEN",
    )
    .await;

    let listed = ok(app.get_auth("/api/admin/layouts", &admin).await, 200).await;
    assert_eq!(listed["layouts"].as_array().unwrap().len(), 1);
    let public = ok(app.get("/api/seats/layouts").await, 200).await;
    assert_eq!(public["layouts"][0]["id"], layout["id"]);

    let audit = ok(
        app.get_auth("/api/admin/audit?action=layout.create", &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(audit["pagination"]["total"], 1, "{audit}");
    let entry = &audit["entries"][0];
    assert_eq!(entry["entityType"], "layout");
    assert_eq!(entry["entityId"], layout["id"]);
    assert_eq!(entry["actor"]["email"], ADMIN_EMAIL);
    assert_eq!(
        entry["changes"]["name"],
        json!({"before": null, "after": "Club Hall"})
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn events_are_created_validated_updated_and_audited(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = admin_token(&app).await;
    let layout = ok(
        post(
            &app,
            &admin,
            "/api/admin/layouts",
            &json!({"name": "Small", "sections": [
                {"name": "VIP", "rows": 2, "seatsPerRow": 5, "price": 150000},
                {"name": "R", "rows": 3, "seatsPerRow": 10, "price": 90000}]}),
        )
        .await,
        201,
    )
    .await["layout"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Cached public list: a new event must show up in it at once.
    let listed = ok(app.get("/api/events").await, 200).await;
    assert_eq!(listed["pagination"]["total"], 0);

    // Every problem at once, by field.
    let bad = json!({
        "title": "", "venue": "v".repeat(201), "timezone": "Asia/Seoul",
        "startsAt": "2030-01-10T19:00", "saleStart": "2030-01-09T00:00", "saleEnd": "2030-01-11T00:00",
        "layoutId": layout, "ticketTypes": [{"name": "GA", "price": 0, "quantity": 10}],
        "posterUrl": "ftp://x", "queue": {"strategy": "lottery", "ratePerMinute": 0}
    });
    let fields = invalid_fields(post(&app, &admin, "/api/admin/events", &bad).await).await;
    for f in [
        "title",
        "venue",
        "saleEnd",
        "layoutId",
        "ticketTypes[0].price",
        "posterUrl",
        "queue.strategy",
        "queue.ratePerMinute",
    ] {
        assert!(fields[f].is_string(), "{f}: {fields}");
    }
    let fields = invalid_fields(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &json!({"title": "T", "venue": "V", "startsAt": "2030-01-10T19:00",
                    "saleStart": "2030-01-10T00:00", "saleEnd": "2030-01-09T00:00",
                    "layoutId": Uuid::new_v4()}),
        )
        .await,
    )
    .await;
    assert!(fields["saleStart"].is_string(), "{fields}");
    let fields = invalid_fields(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &with(
                future_times(),
                json!({"title": "T", "venue": "V", "layoutId": Uuid::new_v4()}),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(fields["layoutId"], "no such layout");
    let fields = invalid_fields(post(&app, &admin, "/api/admin/events", &json!({})).await).await;
    for f in [
        "title",
        "venue",
        "startsAt",
        "saleStart",
        "saleEnd",
        "layoutId",
    ] {
        assert!(fields[f].is_string(), "{f}: {fields}");
    }
    let none: i64 = sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM audit_log WHERE entity_type = 'event')")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(none, 0, "refused writes leave nothing behind");

    // Reserved seating: seats generated from the layout in the same transaction.
    let created = ok(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &with(
                future_times(),
                json!({"title": "  Spring Live ", "venue": "Olympic Hall", "artist": "Band",
                       "layoutId": layout,
                       "queue": {"enabled": true, "strategy": "max_active", "maxActive": 200,
                                 "windowSeconds": 300}}),
            ),
        )
        .await,
        201,
    )
    .await;
    let event = &created["event"];
    let id = event["id"].as_str().unwrap().to_string();
    assert_eq!(event["title"], "Spring Live");
    assert_eq!(event["status"], "upcoming");
    assert_eq!(event["seating"], "reserved");
    assert_eq!(event["timezone"], "Asia/Seoul");
    assert_eq!(event["availability"]["total"], 40);
    assert_eq!(
        event["queue"],
        json!({"enabled": true, "strategy": "max_active", "ratePerMinute": 600, "maxActive": 200,
               "windowSeconds": 300, "prequeueMinutes": 30, "shuffle": false})
    );
    let seats: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seats WHERE event_id = $1::uuid")
        .bind(&id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(seats, 40);
    let listed = ok(app.get("/api/events").await, 200).await;
    assert_eq!(
        listed["pagination"]["total"], 1,
        "the cached list was dropped"
    );

    // General admission with ticket types, on sale at once.
    let seoul = chrono_tz::Asia::Seoul;
    let ga = ok(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &json!({"title": "Standing Night", "venue": "Club", "category": "show",
                    "saleStart": local(seoul, -chrono::Duration::hours(1)),
                    "saleEnd": local(seoul, chrono::Duration::days(1)),
                    "startsAt": local(seoul, chrono::Duration::days(2)),
                    "ticketTypes": [{"name": "Early", "price": 40000, "quantity": 50},
                                    {"name": "Door", "price": 55000, "quantity": 30}]}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(ga["event"]["status"], "on_sale");
    assert_eq!(ga["event"]["seating"], "general");
    assert_eq!(ga["event"]["availability"]["total"], 80);
    assert_eq!(ga["event"]["minPrice"], 40000);

    // Admin list: every event with its sales figures.
    let admin_list = ok(
        app.get_auth("/api/admin/events?q=spring", &admin).await,
        200,
    )
    .await;
    assert_eq!(admin_list["pagination"]["total"], 1);
    assert_eq!(
        admin_list["events"][0]["sales"],
        json!({"total": 40, "sold": 0, "held": 0, "available": 40, "revenue": 0})
    );
    assert_eq!(admin_list["events"][0]["id"], id.as_str());
    error_of(
        app.get_auth("/api/admin/events?status=open", &admin).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;

    // Updates show on the cached public detail at once; watchers hear status changes.
    let detail = ok(app.get(&format!("/api/events/{id}")).await, 200).await;
    assert_eq!(detail["event"]["title"], "Spring Live");
    let mut ws = tokio_tungstenite::connect_async(format!("ws://{}/ws", app.addr))
        .await
        .unwrap()
        .0;
    ws.send(Message::Text(
        json!({"op": "subscribe", "topic": format!("event:{id}")})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    next_matching(&mut ws, Duration::from_secs(5), |m| m["op"] == "subscribed").await;

    let path = format!("/api/admin/events/{id}");
    let updated = ok(
        put(
            &app,
            &admin,
            &path,
            &json!({"title": "Spring Live 2030", "posterUrl": "https://cdn.example.com/p.jpg",
                    "queue": {"enabled": false}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(updated["event"]["title"], "Spring Live 2030");
    assert_eq!(updated["event"]["status"], "upcoming");
    let detail = ok(app.get(&format!("/api/events/{id}")).await, 200).await;
    assert_eq!(detail["event"]["title"], "Spring Live 2030");
    assert_eq!(
        detail["event"]["posterUrl"],
        "https://cdn.example.com/p.jpg"
    );
    assert_eq!(detail["event"]["queue"]["enabled"], false);

    // Status must agree with the sale window; moving the window re-derives it.
    let fields =
        invalid_fields(put(&app, &admin, &path, &json!({"status": "on_sale"})).await).await;
    assert!(fields["status"].is_string(), "{fields}");
    for (status, field) in [
        ("cancelled", "status"),
        ("sold_out", "status"),
        ("open", "status"),
    ] {
        let fields =
            invalid_fields(put(&app, &admin, &path, &json!({"status": status})).await).await;
        assert!(fields[field].is_string(), "{status}: {fields}");
    }
    let fields = invalid_fields(put(&app, &admin, &path, &json!({"layoutId": layout})).await).await;
    assert!(fields["layoutId"].is_string());
    let fields = invalid_fields(
        put(
            &app,
            &admin,
            &path,
            &json!({"saleEnd": local(seoul, chrono::Duration::days(11))}),
        )
        .await,
    )
    .await;
    assert_eq!(fields["saleEnd"], "must be no later than startsAt");

    let opened = ok(
        put(
            &app,
            &admin,
            &path,
            &json!({"saleStart": local(seoul, -chrono::Duration::minutes(5))}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(opened["event"]["status"], "on_sale");
    let msg = next_matching(&mut ws, Duration::from_secs(5), |m| {
        m["event"] == "event-status"
    })
    .await;
    assert_eq!(msg["data"]["status"], "on_sale");
    assert_eq!(msg["topic"], format!("event:{id}"));
    let ended = ok(
        put(&app, &admin, &path, &json!({"status": "ended"})).await,
        200,
    )
    .await;
    assert_eq!(ended["event"]["status"], "ended");
    let msg = next_matching(&mut ws, Duration::from_secs(5), |m| {
        m["event"] == "event-status"
    })
    .await;
    assert_eq!(msg["data"]["status"], "ended");
    let public = ok(app.get(&format!("/api/events/{id}")).await, 200).await;
    assert_eq!(public["event"]["status"], "ended");
    // Re-opening by hand needs the window to include now, which it does.
    let reopened = ok(
        put(&app, &admin, &path, &json!({"status": "on_sale"})).await,
        200,
    )
    .await;
    assert_eq!(reopened["event"]["status"], "on_sale");

    // A no-op update writes nothing.
    let audits = |pool: PgPool| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let n = audits(app.pool.clone()).await;
    ok(
        put(&app, &admin, &path, &json!({"title": "Spring Live 2030"})).await,
        200,
    )
    .await;
    assert_eq!(audits(app.pool.clone()).await, n);

    error_of(
        put(
            &app,
            &admin,
            &format!("/api/admin/events/{}", Uuid::new_v4()),
            &json!({"title": "x"}),
        )
        .await,
        404,
        "EVENT_NOT_FOUND",
    )
    .await;

    // The audit log: who did what, with before and after, filterable.
    let log = ok(
        app.get_auth(
            &format!("/api/admin/audit?entityType=event&entityId={id}"),
            &admin,
        )
        .await,
        200,
    )
    .await;
    let entries = log["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "event.update",
            "event.update",
            "event.update",
            "event.update",
            "event.create"
        ],
        "newest first"
    );
    let first_update = &entries[3];
    assert_eq!(
        first_update["changes"]["title"],
        json!({"before": "Spring Live", "after": "Spring Live 2030"})
    );
    assert_eq!(
        first_update["changes"]["queue.enabled"],
        json!({"before": true, "after": false})
    );
    assert!(first_update["changes"].get("updatedAt").is_none());
    assert_eq!(first_update["actor"]["email"], ADMIN_EMAIL);
    let at = DateTime::parse_from_rfc3339(first_update["at"].as_str().unwrap()).unwrap();
    assert!((Utc::now() - at.with_timezone(&Utc)).num_minutes().abs() < 5);
    assert_eq!(entries[4]["changes"]["title"]["after"], "Spring Live");
    assert_eq!(
        entries[1]["changes"]["status"],
        json!({"before": "on_sale", "after": "ended"})
    );

    let by_actor = ok(
        app.get_auth(
            &format!("/api/admin/audit?actor={}", ADMIN_EMAIL.to_uppercase()),
            &admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(by_actor["pagination"]["total"], 7, "{by_actor}"); // layout, 2 creates, 4 updates
    let nobody = ok(
        app.get_auth("/api/admin/audit?actor=x@example.com", &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(nobody["pagination"]["total"], 0);
    let tomorrow = (Utc::now() + chrono::Duration::days(2))
        .with_timezone(&seoul)
        .format("%Y-%m-%d");
    let later = ok(
        app.get_auth(&format!("/api/admin/audit?from={tomorrow}"), &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(later["pagination"]["total"], 0);
    let today = Utc::now().with_timezone(&seoul).format("%Y-%m-%d");
    let paged = ok(
        app.get_auth(
            &format!("/api/admin/audit?to={today}&limit=3&page=2"),
            &admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(paged["pagination"]["totalPages"], 3);
    assert_eq!(paged["entries"].as_array().unwrap().len(), 3);
    for bad in [
        "entityType=seat",
        "entityId=x",
        "action=delete",
        "from=yesterday",
        "limit=0",
    ] {
        error_of(
            app.get_auth(&format!("/api/admin/audit?{bad}"), &admin)
                .await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
    }
}

/// Pain Point 1: an admin in Seoul typing 09:00 must get 09:00+09:00 back everywhere, and
/// the sale must open at that instant, with the api process in UTC and the database
/// session in New York.
#[sqlx::test(migrations = "../migrations")]
async fn times_are_the_events_wall_clock_whatever_the_server_and_session_zones(pool: PgPool) {
    std::env::set_var("TZ", "UTC");
    // sqlx asks for a UTC session at startup; a server whose sessions run elsewhere is
    // what this test is about, so every connection is switched after connecting.
    let ny = PgPoolOptions::new()
        .max_connections(10)
        .after_connect(|conn, _| {
            Box::pin(async move {
                sqlx::Executor::execute(&mut *conn, "SET TIME ZONE 'America/New_York'").await?;
                Ok(())
            })
        })
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let session: String = sqlx::query_scalar("SHOW timezone")
        .fetch_one(&ny)
        .await
        .unwrap();
    assert_eq!(session, "America/New_York");
    let app = TestApp::spawn(ny.clone()).await;
    let admin = admin_token(&app).await;

    let created = ok(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &json!({"title": "Halloween in Seoul", "venue": "Olympic Hall",
                    "timezone": "Asia/Seoul", "saleStart": "2025-10-31T09:00",
                    "saleEnd": "2025-10-31T18:00", "startsAt": "2025-10-31T19:30",
                    "ticketTypes": [{"name": "GA", "price": 50000, "quantity": 10}]}),
        )
        .await,
        201,
    )
    .await;
    let id = created["event"]["id"].as_str().unwrap().to_string();
    let expect = |e: &Value| {
        assert_eq!(e["saleStart"], "2025-10-31T09:00:00+09:00", "{e}");
        assert_eq!(e["saleEnd"], "2025-10-31T18:00:00+09:00", "{e}");
        assert_eq!(e["startsAt"], "2025-10-31T19:30:00+09:00", "{e}");
        assert_eq!(e["timezone"], "Asia/Seoul");
    };
    expect(&created["event"]);
    let admin_list = ok(
        app.get_auth("/api/admin/events?q=halloween", &admin).await,
        200,
    )
    .await;
    expect(&admin_list["events"][0]);
    let public_list = ok(app.get("/api/events?q=halloween").await, 200).await;
    expect(&public_list["events"][0]);
    let detail = ok(app.get(&format!("/api/events/{id}")).await, 200).await;
    expect(&detail["event"]);
    // The stored instant is 00:00Z; the New York session merely prints it as 20:00-04.
    let (utc, as_text): (DateTime<Utc>, String) =
        sqlx::query_as("SELECT sale_start, sale_start::text FROM events WHERE id = $1::uuid")
            .bind(&id)
            .fetch_one(&ny)
            .await
            .unwrap();
    assert_eq!(utc.to_rfc3339(), "2025-10-31T00:00:00+00:00");
    assert_eq!(as_text, "2025-10-30 20:00:00-04");

    // Offsets are taken as given, whatever the event's zone.
    let given = ok(
        put(
            &app,
            &admin,
            &format!("/api/admin/events/{id}"),
            &json!({"saleStart": "2025-10-30T20:00:00-04:00"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(given["event"]["saleStart"], "2025-10-31T09:00:00+09:00");
    // Changing the zone alone keeps the instants and shows them with the new offset.
    let london = ok(
        put(
            &app,
            &admin,
            &format!("/api/admin/events/{id}"),
            &json!({"timezone": "Europe/London"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(london["event"]["saleStart"], "2025-10-31T00:00:00+00:00");

    // Local times that do not exist, or happen twice, in the event's zone are refused.
    let ny_event = |sale_start: &str| {
        json!({"title": "NYC", "venue": "Garden", "timezone": "America/New_York",
               "saleStart": sale_start, "saleEnd": "2025-11-20T10:00", "startsAt": "2025-11-21T20:00",
               "ticketTypes": [{"name": "GA", "price": 1000, "quantity": 1}]})
    };
    let fields = invalid_fields(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &ny_event("2025-03-09T02:30"),
        )
        .await,
    )
    .await;
    assert!(
        fields["saleStart"]
            .as_str()
            .unwrap()
            .contains("does not exist"),
        "{fields}"
    );
    let fields = invalid_fields(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &ny_event("2025-11-02T01:30"),
        )
        .await,
    )
    .await;
    assert!(
        fields["saleStart"].as_str().unwrap().contains("twice"),
        "{fields}"
    );
    let fine = ok(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &ny_event("2025-11-02T01:30:00-05:00"),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(fine["event"]["saleStart"], "2025-11-02T01:30:00-05:00");
    let fields = invalid_fields(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &with(
                ny_event("2025-11-01T10:00"),
                json!({"timezone": "Mars/Olympus"}),
            ),
        )
        .await,
    )
    .await;
    assert!(fields["timezone"].is_string() && fields.get("saleStart").is_none());

    // The sale opens at the instant typed in Seoul wall-clock time: not before, and not
    // nine hours off.
    let seoul = chrono_tz::Asia::Seoul;
    let opens = Utc::now() + chrono::Duration::seconds(8);
    let opens_local = opens
        .with_timezone(&seoul)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let soon = ok(
        post(
            &app,
            &admin,
            "/api/admin/events",
            &json!({"title": "Opening soon", "venue": "Hall", "saleStart": opens_local,
                    "saleEnd": local(seoul, chrono::Duration::hours(2)),
                    "startsAt": local(seoul, chrono::Duration::hours(3)),
                    "ticketTypes": [{"name": "GA", "price": 1000, "quantity": 5}]}),
        )
        .await,
        201,
    )
    .await;
    let soon_id: Uuid = soon["event"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(soon["event"]["status"], "upcoming");
    assert_eq!(soon["event"]["saleStart"], format!("{opens_local}+09:00"));
    let moved = tiketi_core::event::advance_statuses(&ny).await.unwrap();
    assert!(!moved.iter().any(|(e, _)| *e == soon_id), "opened early");
    let opens_at = DateTime::parse_from_rfc3339(&format!("{opens_local}+09:00")).unwrap();
    let wait = (opens_at.with_timezone(&Utc) - Utc::now())
        .to_std()
        .unwrap_or_default();
    // Pacing: the wall clock passes the sale start.
    tokio::time::sleep(wait + Duration::from_millis(200)).await;
    let moved = tiketi_core::event::advance_statuses(&ny).await.unwrap();
    assert!(
        moved.contains(&(soon_id, tiketi_core::event::EventStatus::OnSale)),
        "{moved:?}"
    );

    app.stop().await;
    ny.close().await;
}
