//! The organizers' console: CSV exports (admin only, every awkward character survives a
//! round trip through a CSV reader, times in the event's zone, rows as in the database),
//! the cancel preview against what cancelling then does, and prices per grade.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::{error_of, TestApp};
use uuid::Uuid;

const BOM: &str = "\u{feff}";
/// A fan name with everything CSV must quote, and Korean.
const AWKWARD: &str = "Kim, \"Jay\"\n김재원";

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

async fn created(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

/// A reserved-seating event in New York (so the zone is not the server's nor Seoul's)
/// from a layout of one section, `VIP, 앞줄`, of 1 row × 4 seats.
async fn seated_event(app: &TestApp, admin: &str) -> Uuid {
    let layout = created(
        app.client
            .post(app.url("/api/admin/layouts"))
            .bearer_auth(admin)
            .json(&json!({"name": "Club", "sections": [
                {"name": "VIP, 앞줄", "rows": 1, "seatsPerRow": 4, "price": 150000}
            ]}))
            .send()
            .await
            .unwrap(),
    )
    .await["layout"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let at = |days| (Utc::now() + chrono::Duration::days(days)).to_rfc3339();
    let event = created(
        app.client
            .post(app.url("/api/admin/events"))
            .bearer_auth(admin)
            .json(
                &json!({"title": "쇼, \"Live\"", "venue": "Hall", "timezone": "America/New_York",
                          "saleStart": at(-1), "saleEnd": at(9), "startsAt": at(10),
                          "layoutId": layout}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    event["event"]["id"].as_str().unwrap().parse().unwrap()
}

async fn fan(pool: &PgPool, email: &str, name: &str) -> Uuid {
    sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash) VALUES ($1, $2, 'unused') RETURNING id",
    )
    .bind(email)
    .bind(name)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A reservation of `seats` (numbers of row A) made pending, then moved to `status` the way
/// the pipeline moves it, with the seats marked as the status says.
async fn reservation(
    pool: &PgPool,
    event: Uuid,
    user: Uuid,
    code: &str,
    seats: &[i32],
    status: &str,
) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO reservations (code, request_id, user_id, event_id, total_amount, expires_at)
         VALUES ($1, gen_random_uuid(), $2, $3, 150000 * $4, now() + interval '10 minutes')
         RETURNING id",
    )
    .bind(code)
    .bind(user)
    .bind(event)
    .bind(seats.len() as i64)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "WITH s AS (UPDATE seats SET status = 'held', reservation_id = $1
                    WHERE event_id = $2 AND number = ANY($3) RETURNING id, price)
         INSERT INTO reservation_items (reservation_id, seat_id, quantity, unit_price)
         SELECT $1, id, 1, price FROM s",
    )
    .bind(id)
    .bind(event)
    .bind(seats)
    .execute(pool)
    .await
    .unwrap();
    match status {
        "confirmed" => {
            sqlx::query(
                "UPDATE reservations SET status = 'confirmed', confirmed_at = now() WHERE id = $1",
            )
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
            sqlx::query("UPDATE seats SET status = 'sold' WHERE reservation_id = $1")
                .bind(id)
                .execute(pool)
                .await
                .unwrap();
        }
        "cancelled" => {
            sqlx::query(
                "UPDATE reservations SET status = 'cancelled', cancelled_at = now() WHERE id = $1",
            )
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
            sqlx::query("UPDATE seats SET status = 'available', reservation_id = NULL WHERE reservation_id = $1")
                .bind(id)
                .execute(pool)
                .await
                .unwrap();
        }
        _ => {}
    }
    id
}

async fn payment(pool: &PgPool, reservation: Uuid, method: &str, status: &str, amount: i64) {
    sqlx::query(
        "INSERT INTO payments (reservation_id, user_id, idempotency_key, request_hash, method, amount,
                               status, provider_ref, refunded_at)
         SELECT r.id, r.user_id, gen_random_uuid()::text, 'h', $2, $3, $4, 'ref,\"1\"',
                CASE WHEN $4 = 'refunded' THEN now() END
         FROM reservations r WHERE r.id = $1",
    )
    .bind(reservation)
    .bind(method)
    .bind(amount)
    .bind(status)
    .execute(pool)
    .await
    .unwrap();
}

/// Reads a CSV download: its BOM, header and records.
async fn csv_of(res: reqwest::Response) -> (String, Vec<String>, Vec<csv::StringRecord>) {
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename="));
    let text = res.text().await.unwrap();
    let body = text
        .strip_prefix(BOM)
        .expect("starts with a UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let records = reader.records().map(Result::unwrap).collect();
    (text, header, records)
}

fn col<'r>(header: &[String], record: &'r csv::StringRecord, name: &str) -> &'r str {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    &record[i]
}

/// code, status, created_at, confirmed_at, total_amount
type ReservationInDb = (String, String, DateTime<Utc>, Option<DateTime<Utc>>, i64);

fn in_new_york(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::America::New_York)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[sqlx::test(migrations = "../migrations")]
async fn exports_and_the_cancel_preview_are_for_admins_only(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let (fan, _) = app.register("fan@example.com").await;
    let event = seated_event(&app, &admin).await;
    for what in ["reservations.csv", "sales.csv", "cancel-impact"] {
        let path = format!("/api/admin/events/{event}/{what}");
        error_of(get(&app, &path, None).await, 401, "AUTH_REQUIRED").await;
        error_of(get(&app, &path, Some(&fan)).await, 403, "ADMIN_ONLY").await;
        let nobody = format!("/api/admin/events/{}/{what}", Uuid::new_v4());
        error_of(
            get(&app, &nobody, Some(&admin)).await,
            404,
            "EVENT_NOT_FOUND",
        )
        .await;
    }
    // An event without a sale yet: a header and nothing else.
    let (_, header, records) = csv_of(
        get(
            &app,
            &format!("/api/admin/events/{event}/reservations.csv"),
            Some(&admin),
        )
        .await,
    )
    .await;
    assert_eq!(header[0], "code");
    assert!(records.is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn reservation_and_sales_exports_are_the_databases_rows_escaped(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let event = seated_event(&app, &admin).await;
    let jay = fan(&app.pool, "jay@example.com", AWKWARD).await;
    let other = fan(&app.pool, "other@example.com", "다른 팬").await;
    let paid = reservation(&app.pool, event, jay, "TK-PAID", &[1, 2], "confirmed").await;
    payment(&app.pool, paid, "kakao_pay", "completed", 300_000).await;
    let held = reservation(&app.pool, event, other, "TK-HELD", &[3], "pending").await;
    payment(&app.pool, held, "naver_pay", "declined", 150_000).await;
    let gone = reservation(&app.pool, event, jay, "TK-GONE", &[4], "cancelled").await;
    payment(&app.pool, gone, "bank_transfer", "refunded", 150_000).await;

    let res = get(
        &app,
        &format!("/api/admin/events/{event}/reservations.csv"),
        Some(&admin),
    )
    .await;
    let (raw, header, rows) = csv_of(res).await;
    // Quotes doubled inside a quoted field; the newline kept inside it.
    assert!(raw.contains("\"Kim, \"\"Jay\"\"\n김재원\""), "{raw}");
    let codes: Vec<&str> = rows.iter().map(|r| col(&header, r, "code")).collect();
    assert_eq!(codes, ["TK-PAID", "TK-HELD", "TK-GONE"]);
    let db: Vec<ReservationInDb> = sqlx::query_as(
        "SELECT code, status, created_at, confirmed_at, total_amount FROM reservations
         WHERE event_id = $1 ORDER BY created_at, id",
    )
    .bind(event)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (row, (code, status, created_at, confirmed_at, total)) in rows.iter().zip(&db) {
        assert_eq!(col(&header, row, "code"), code);
        assert_eq!(col(&header, row, "status"), status);
        assert_eq!(col(&header, row, "created_at"), in_new_york(*created_at));
        assert_eq!(
            col(&header, row, "confirmed_at"),
            confirmed_at.map(in_new_york).unwrap_or_default()
        );
        assert_eq!(col(&header, row, "total_amount_krw"), total.to_string());
    }
    let first = &rows[0];
    assert!(
        col(&header, first, "created_at").ends_with("-05:00")
            || col(&header, first, "created_at").ends_with("-04:00")
    );
    assert_eq!(col(&header, first, "fan_name"), AWKWARD);
    assert_eq!(col(&header, first, "fan_email"), "jay@example.com");
    assert_eq!(col(&header, first, "items"), "VIP, 앞줄 A-1; VIP, 앞줄 A-2");
    assert_eq!(col(&header, first, "quantity"), "2");
    assert_eq!(col(&header, first, "payment_method"), "kakao_pay");
    assert_eq!(col(&header, first, "payment_status"), "completed");
    assert_eq!(col(&header, &rows[1], "fan_name"), "다른 팬");
    assert_eq!(col(&header, &rows[1], "payment_status"), "declined");
    assert_eq!(col(&header, &rows[2], "payment_status"), "refunded");
    assert!(!col(&header, &rows[2], "cancelled_at").is_empty());

    let res = get(
        &app,
        &format!("/api/admin/events/{event}/sales.csv"),
        Some(&admin),
    )
    .await;
    let (_, header, rows) = csv_of(res).await;
    let db: Vec<(String, String, String, i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT r.code, p.method, p.status, p.amount, p.created_at
         FROM payments p JOIN reservations r ON r.id = p.reservation_id
         WHERE r.event_id = $1 ORDER BY p.created_at, p.id",
    )
    .bind(event)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 3);
    for (row, (code, method, status, amount, at)) in rows.iter().zip(&db) {
        assert_eq!(col(&header, row, "reservation_code"), code);
        assert_eq!(col(&header, row, "method"), method);
        assert_eq!(col(&header, row, "status"), status);
        assert_eq!(col(&header, row, "amount_krw"), amount.to_string());
        assert_eq!(col(&header, row, "paid_at"), in_new_york(*at));
        assert_eq!(col(&header, row, "provider_ref"), "ref,\"1\"");
    }
    assert_eq!(col(&header, &rows[0], "fan_name"), AWKWARD);
    assert!(!col(&header, &rows[2], "refunded_at").is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_cancel_preview_states_what_cancelling_then_does(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let event = seated_event(&app, &admin).await;
    let jay = fan(&app.pool, "jay@example.com", "Jay").await;
    let other = fan(&app.pool, "other@example.com", "Other").await;
    let paid = reservation(&app.pool, event, jay, "TK-PAID", &[1, 2], "confirmed").await;
    payment(&app.pool, paid, "kakao_pay", "completed", 300_000).await;
    let held = reservation(&app.pool, event, other, "TK-HELD", &[3], "pending").await;
    payment(&app.pool, held, "naver_pay", "declined", 150_000).await;
    let gone = reservation(&app.pool, event, jay, "TK-GONE", &[4], "cancelled").await;
    payment(&app.pool, gone, "bank_transfer", "refunded", 150_000).await;

    let path = format!("/api/admin/events/{event}/cancel-impact");
    let impact: Value = get(&app, &path, Some(&admin)).await.json().await.unwrap();
    assert_eq!(
        impact["impact"],
        json!({"pendingReservations": 1, "confirmedReservations": 1, "refundPayments": 1,
               "refundAmount": 300000, "fansToNotify": 2})
    );
    let cancelled: Value = app
        .client
        .post(app.url(&format!("/api/admin/events/{event}/cancel")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["cancelledReservations"], 2, "{cancelled}");
    assert_eq!(cancelled["refundedPayments"], 1);
    let refunded: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount), 0)::bigint FROM payments WHERE reservation_id = $1 AND status = 'refunded'",
    )
    .bind(paid)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(refunded, 300_000);
    let after: Value = get(&app, &path, Some(&admin)).await.json().await.unwrap();
    assert_eq!(
        after["impact"],
        json!({"pendingReservations": 0, "confirmedReservations": 0, "refundPayments": 0,
               "refundAmount": 0, "fansToNotify": 0})
    );
}

async fn send_json(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let res = app
        .client
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn seat_prices(pool: &PgPool, event: &str) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT section, price FROM seats WHERE event_id = $1::uuid
         GROUP BY section, price ORDER BY section, price",
    )
    .bind(event)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn seated_events_are_priced_per_grade_on_create_and_edit(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let (_, layout) = send_json(
        &app,
        reqwest::Method::POST,
        &admin,
        "/api/admin/layouts",
        &json!({"name": "Two grades", "sections": [
            {"name": "VIP", "rows": 1, "seatsPerRow": 2, "price": 150000},
            {"name": "R", "rows": 1, "seatsPerRow": 2, "price": 99000}
        ]}),
    )
    .await;
    let layout = layout["layout"]["id"].as_str().unwrap().to_string();
    let at = |days| (Utc::now() + chrono::Duration::days(days)).to_rfc3339();
    let base = json!({"title": "Show", "venue": "Hall", "saleStart": at(-1), "saleEnd": at(9),
                      "startsAt": at(10), "layoutId": layout});
    let with = |extra: Value| {
        let mut body = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };

    // Grades must be the layout's, once each, at a valid price; reasons are machine-readable.
    let (status, bad) = send_json(
        &app,
        reqwest::Method::POST,
        &admin,
        "/api/admin/events",
        &with(json!({"gradePrices": [{"grade": "Z", "price": 1000}, {"grade": "R", "price": 0}]})),
    )
    .await;
    assert_eq!(status, 422, "{bad}");
    let reasons = &bad["error"]["details"]["reasons"];
    assert_eq!(
        reasons["gradePrices[0].grade"]["reason"], "not_found",
        "{bad}"
    );
    assert_eq!(
        reasons["gradePrices[1].price"]["reason"], "out_of_range",
        "{bad}"
    );
    assert_eq!(
        reasons["gradePrices[1].price"]["params"],
        json!({"min": 1, "max": 10000000})
    );
    let (status, bad) = send_json(&app, reqwest::Method::POST, &admin, "/api/admin/events",
        &json!({"title": "GA", "venue": "Hall", "saleStart": at(-1), "saleEnd": at(9), "startsAt": at(10),
                "ticketTypes": [{"name": "GA", "price": 1000, "quantity": 10}],
                "gradePrices": [{"grade": "VIP", "price": 1000}]})).await;
    assert_eq!(status, 422);
    assert_eq!(
        bad["error"]["details"]["reasons"]["gradePrices"]["reason"],
        "seating_choice"
    );
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(events, 0);

    // VIP priced for this event; R keeps the layout's price.
    let (status, created) = send_json(
        &app,
        reqwest::Method::POST,
        &admin,
        "/api/admin/events",
        &with(json!({"gradePrices": [{"grade": "VIP", "price": 200000}]})),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["event"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["event"]["minPrice"], 99000);
    assert_eq!(created["event"]["maxPrice"], 200000);
    assert_eq!(
        seat_prices(&app.pool, &id).await,
        [("R".to_string(), 99000), ("VIP".to_string(), 200000)]
    );

    // A fan holds an R seat at today's price; then the organizer reprices R.
    let user = fan(&app.pool, "jay@example.com", "Jay").await;
    let held = reservation(&app.pool, id.parse().unwrap(), user, "TK-R", &[], "pending").await;
    sqlx::query(
        "WITH s AS (UPDATE seats SET status = 'held', reservation_id = $1
                    WHERE event_id = $2 AND section = 'R' AND number = 1 RETURNING id, price)
         INSERT INTO reservation_items (reservation_id, seat_id, quantity, unit_price)
         SELECT $1, id, 1, price FROM s",
    )
    .bind(held)
    .bind(id.parse::<Uuid>().unwrap())
    .execute(&app.pool)
    .await
    .unwrap();
    let path = format!("/api/admin/events/{id}");
    let (status, updated) = send_json(
        &app,
        reqwest::Method::PUT,
        &admin,
        &path,
        &json!({"gradePrices": [{"grade": "R", "price": 120000}]}),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["event"]["minPrice"], 120000);
    assert_eq!(
        seat_prices(&app.pool, &id).await,
        [("R".to_string(), 120000), ("VIP".to_string(), 200000)]
    );
    let unit: i64 =
        sqlx::query_scalar("SELECT unit_price FROM reservation_items WHERE reservation_id = $1")
            .bind(held)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(unit, 99000, "a hold keeps the price it was made at");
    let detail: Value = app
        .get(&format!("/api/events/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let tiers: Vec<(String, i64)> = detail["ticketTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_string(),
                t["price"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(tiers.contains(&("R".to_string(), 120000)), "{detail}");
    assert!(tiers.contains(&("VIP".to_string(), 200000)), "{detail}");

    // Audited with before and after; the same price again changes nothing.
    let audit: Value = get(&app, "/api/admin/audit?action=event.update", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let change = &audit["entries"][0]["changes"]["gradePrices"];
    assert_eq!(
        change["before"],
        json!([{"grade": "VIP", "price": 200000}, {"grade": "R", "price": 99000}]),
        "{audit}"
    );
    assert_eq!(
        change["after"],
        json!([{"grade": "VIP", "price": 200000}, {"grade": "R", "price": 120000}])
    );
    let (status, _) = send_json(
        &app,
        reqwest::Method::PUT,
        &admin,
        &path,
        &json!({"gradePrices": [{"grade": "R", "price": 120000}]}),
    )
    .await;
    assert_eq!(status, 200);
    let entries: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'event.update'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(entries, 1);
}

/// The sentences the issue found untranslated reach the client as reasons it can translate.
#[sqlx::test(migrations = "../migrations")]
async fn field_errors_carry_machine_readable_reasons(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let login = app
        .post_json("/api/auth/login", &json!({"email": "", "password": ""}))
        .await;
    let body = error_of(login, 422, "VALIDATION_FAILED").await;
    assert_eq!(body["details"]["fields"]["email"], "email is required");
    assert_eq!(
        body["details"]["reasons"]["email"],
        json!({"reason": "required", "params": {}})
    );
    assert_eq!(body["details"]["reasons"]["password"]["reason"], "required");

    let (status, bad) = send_json(&app, reqwest::Method::POST, &admin, "/api/admin/events",
        &json!({"title": "T".repeat(201), "venue": "Hall", "startsAt": "", "saleStart": "2030-01-01T00:00",
                "saleEnd": "2030-01-02T00:00", "timezone": "Mars/Base",
                "ticketTypes": [{"name": "GA", "price": 1000, "quantity": 10}]})).await;
    assert_eq!(status, 422, "{bad}");
    let reasons = &bad["error"]["details"]["reasons"];
    assert_eq!(reasons["timezone"]["reason"], "unknown_timezone", "{bad}");
    assert_eq!(reasons["title"]["reason"], "length_range", "{bad}");
    assert_eq!(reasons["title"]["params"]["max"], 200, "{bad}");

    let (status, bad) = send_json(
        &app,
        reqwest::Method::POST,
        &admin,
        "/api/admin/events",
        &json!({"title": "T", "venue": "Hall", "startsAt": "", "saleStart": "2030-01-01T00:00",
                "saleEnd": "2030-01-02T00:00",
                "ticketTypes": [{"name": "GA", "price": 1000, "quantity": 10}]}),
    )
    .await;
    assert_eq!(status, 422, "{bad}");
    let reasons = &bad["error"]["details"]["reasons"];
    assert_eq!(reasons["startsAt"]["reason"], "invalid_datetime", "{bad}");
    // Every field has a reason, and none is the fallback.
    let fields = bad["error"]["details"]["fields"].as_object().unwrap();
    for field in fields.keys() {
        assert_ne!(reasons[field]["reason"], "invalid", "{field}: {bad}");
    }
}
