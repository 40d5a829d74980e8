//! The original plan's API, called as its "API 명세" and "기능 명세" write it: every request
//! example with the plan's own field names and no Tiketi-only headers, in the order a fan
//! and an organizer would send them, each answer checked for what the plan promises.
//! (Needs a worker: reserving goes through the queue.)

use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::{body, Options, Stack};

/// Wall-clock time in Seoul `minutes` from now, as the plan's admin form sends it.
fn seoul(minutes: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(minutes))
        .with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Sends one request and asserts the status; returns the JSON answer.
async fn call(
    stack: &Stack,
    method: &str,
    path: &str,
    token: Option<&str>,
    request: Option<Value>,
    status: u16,
) -> Value {
    let app = stack.app(0);
    let mut req = app.client.request(method.parse().unwrap(), app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = &request {
        req = req.json(b);
    }
    let (got, answer) = body(req.send().await.unwrap()).await;
    assert_eq!(got, status, "{method} {path} {request:?}: {answer}");
    answer
}

/// Asserts that `answer` has every key the plan shows for it.
fn has(answer: &Value, keys: &[&str]) {
    for k in keys {
        assert!(!answer[k].is_null(), "`{k}` missing from {answer}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_request_example_of_the_plan_works_as_written(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let admin = stack.app(0).admin_token("admin@tiketi.gg").await;
    let admin = Some(admin.as_str());

    // 인증: register `{name, email, password}`, login `{email, password}` → `{token, user}`.
    let registered = call(
        &stack,
        "POST",
        "/api/auth/register",
        None,
        Some(json!({"name": "홍길동", "email": "user@example.com", "password": "password123"})),
        201,
    )
    .await;
    has(&registered, &["token", "user"]);
    let login = call(
        &stack,
        "POST",
        "/api/auth/login",
        None,
        Some(json!({"email": "user@example.com", "password": "password123"})),
        200,
    )
    .await;
    has(&login, &["token", "user"]);
    let fan = login["token"].as_str().unwrap().to_string();
    let fan = Some(fan.as_str());

    // 관리자: a layout to seat the event on, then the event in the plan's names.
    let layout = call(
        &stack,
        "POST",
        "/api/admin/layouts",
        admin,
        Some(json!({"name": "소극장", "sections": [
            {"name": "R", "rows": 2, "seatsPerRow": 5, "price": 110000}
        ]})),
        201,
    )
    .await["layout"]["id"]
        .clone();
    let created = call(
        &stack,
        "POST",
        "/api/admin/events",
        admin,
        Some(json!({
            "title": "봄날의 재즈 나이트",
            "venue": "블루스퀘어",
            "eventDate": seoul(60 * 24 * 7),
            "saleStartDate": seoul(-10),
            "saleEndDate": seoul(60 * 24 * 6),
            "seatLayoutId": layout,
            "posterImageUrl": "https://cdn.example.com/jazz.jpg",
            "artistName": "김하늘 트리오",
        })),
        201,
    )
    .await;
    has(&created, &["event"]);
    let event = &created["event"];
    assert_eq!(event["status"], "on_sale", "{event}");
    assert_eq!(event["posterUrl"], "https://cdn.example.com/jazz.jpg");
    assert_eq!(event["artist"], "김하늘 트리오");
    assert_eq!(event["layoutId"], layout);
    assert!(event["startsAt"]
        .as_str()
        .unwrap()
        .starts_with(&seoul(60 * 24 * 7)));
    let event_id = event["id"].as_str().unwrap().to_string();

    // General admission with the plan's `totalQuantity`.
    let standing = call(
        &stack,
        "POST",
        "/api/admin/events",
        admin,
        Some(json!({
            "title": "스탠딩 파티", "venue": "롤링홀",
            "eventDate": seoul(600), "saleStartDate": seoul(-10), "saleEndDate": seoul(300),
            "ticketTypes": [{"name": "스탠딩", "price": 50000, "totalQuantity": 300}],
        })),
        201,
    )
    .await;
    assert_eq!(standing["event"]["availability"]["total"], 300);

    // PUT `{title, ...}` with a plan field: applied, never ignored.
    let updated = call(
        &stack,
        "PUT",
        &format!("/api/admin/events/{event_id}"),
        admin,
        Some(json!({"title": "봄날의 재즈 나이트 (앵콜)", "eventDate": seoul(60 * 24 * 8)})),
        200,
    )
    .await;
    has(&updated, &["event"]);
    assert_eq!(updated["event"]["title"], "봄날의 재즈 나이트 (앵콜)");
    assert!(updated["event"]["startsAt"]
        .as_str()
        .unwrap()
        .starts_with(&seoul(60 * 24 * 8)));

    // 이벤트: list `{events}`, detail `{event, ticketTypes}`.
    let list = call(&stack, "GET", "/api/events", None, None, 200).await;
    has(&list, &["events"]);
    let detail = call(
        &stack,
        "GET",
        &format!("/api/events/{event_id}"),
        None,
        None,
        200,
    )
    .await;
    has(&detail, &["event", "ticketTypes"]);

    // 좌석: seat map `{seats, layout}`, reserve `{eventId, seatIds}` → `{reservation, expiresAt}`.
    let map = call(
        &stack,
        "GET",
        &format!("/api/seats/events/{event_id}"),
        fan,
        None,
        200,
    )
    .await;
    has(&map, &["seats", "layout"]);
    let seat_ids: Vec<Value> = map["seats"].as_array().unwrap()[..2]
        .iter()
        .map(|s| s["id"].clone())
        .collect();
    let reserved = call(
        &stack,
        "POST",
        "/api/seats/reserve",
        fan,
        Some(json!({"eventId": event_id, "seatIds": seat_ids})),
        201,
    )
    .await;
    has(&reserved, &["reservation", "expiresAt"]);
    let reservation_id = reserved["reservation"]["id"].as_str().unwrap().to_string();
    let seat_reservation = call(
        &stack,
        "GET",
        &format!("/api/seats/reservation/{reservation_id}"),
        fan,
        None,
        200,
    )
    .await;
    has(&seat_reservation, &["reservation"]);

    // 결제: methods `{methods}`; process `{reservationId, paymentMethod}` (no
    // Idempotency-Key) → `{payment}`; the same request again returns the same payment.
    let methods = call(&stack, "GET", "/api/payments/methods", None, None, 200).await;
    has(&methods, &["methods"]);
    let pay = json!({"reservationId": reservation_id, "paymentMethod": "naver_pay"});
    let paid = call(
        &stack,
        "POST",
        "/api/payments/process",
        fan,
        Some(pay.clone()),
        200,
    )
    .await;
    has(&paid, &["payment"]);
    assert_eq!(paid["payment"]["status"], "completed");
    assert_eq!(paid["payment"]["method"], "naver_pay");
    let again = call(&stack, "POST", "/api/payments/process", fan, Some(pay), 200).await;
    assert_eq!(again["payment"]["id"], paid["payment"]["id"]);

    // 예매 관리: mine `{reservations}`, one `{reservation}`, cancel → `{message: "취소됨"}`.
    let mine = call(&stack, "GET", "/api/reservations/my", fan, None, 200).await;
    has(&mine, &["reservations"]);
    let one = call(
        &stack,
        "GET",
        &format!("/api/reservations/{reservation_id}"),
        fan,
        None,
        200,
    )
    .await;
    assert_eq!(one["reservation"]["status"], "confirmed");
    let cancelled = call(
        &stack,
        "POST",
        &format!("/api/reservations/{reservation_id}/cancel"),
        fan,
        None,
        200,
    )
    .await;
    assert_eq!(cancelled["message"], "취소됨");
    assert_eq!(cancelled["reservation"]["status"], "cancelled");

    // 관리자: stats `{stats}`, event cancel → `{message: "취소됨"}`.
    let stats = call(
        &stack,
        "GET",
        "/api/admin/dashboard/stats",
        admin,
        None,
        200,
    )
    .await;
    has(&stats, &["stats"]);
    let cancelled = call(
        &stack,
        "POST",
        &format!("/api/admin/events/{event_id}/cancel"),
        admin,
        None,
        200,
    )
    .await;
    assert_eq!(cancelled["message"], "취소됨");
    assert_eq!(cancelled["event"]["status"], "cancelled");

    let payments: i64 = sqlx::query_scalar("SELECT count(*) FROM payments")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(payments, 1, "one charge for two identical payment requests");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_keyless_payments_of_one_reservation_charge_once(pool: PgPool) {
    let stack = Stack::start(
        pool,
        Options {
            apis: 2,
            ..Options::default()
        },
    )
    .await;
    let (event, seats) = stack
        .seated_event(tiketi_testkit::sections(&[("R", 1, 4, 70_000)]))
        .await;
    let fans = stack.fans(1).await;
    let (status, held) = body(stack.reserve(0, &fans[0], event, &seats[..1]).await).await;
    assert_eq!(status, 201, "{held}");
    let id = held["reservation"]["id"].as_str().unwrap().to_string();
    // Eight copies of the plan's request at once, through two api instances.
    let attempts = (0..8).map(|i| {
        let app = stack.app(i);
        app.client
            .post(app.url("/api/payments/process"))
            .bearer_auth(&fans[0].token)
            .json(&json!({"reservationId": id, "paymentMethod": "kakao_pay"}))
            .send()
    });
    let answers = futures::future::join_all(attempts).await;
    let mut payment_ids = std::collections::HashSet::new();
    for answer in answers {
        let (status, b) = body(answer.unwrap()).await;
        assert_eq!(status, 200, "{b}");
        payment_ids.insert(b["payment"]["id"].as_str().unwrap().to_string());
    }
    assert_eq!(payment_ids.len(), 1, "every retry got the one payment");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM payments")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);

    // After a decline (tests only), a keyless retry really retries instead of replaying it.
    let (_, held) = body(stack.reserve(0, &fans[0], event, &seats[1..2]).await).await;
    let id = held["reservation"]["id"].as_str().unwrap().to_string();
    let app = stack.app(0);
    let declined = app
        .client
        .post(app.url("/api/payments/process"))
        .bearer_auth(&fans[0].token)
        .json(&json!({"reservationId": id, "paymentMethod": "kakao_pay", "simulate": "decline"}))
        .send()
        .await
        .unwrap();
    tiketi_testkit::error_of(declined, 402, "PAYMENT_DECLINED").await;
    let retry = app
        .client
        .post(app.url("/api/payments/process"))
        .bearer_auth(&fans[0].token)
        .json(&json!({"reservationId": id, "paymentMethod": "kakao_pay"}))
        .send()
        .await
        .unwrap();
    let (status, b) = body(retry).await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["payment"]["status"], "completed");
    stack.stop().await;
}
