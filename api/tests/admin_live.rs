//! Admin operations against a whole stack with real reservations made through the
//! reserve, pay and cancel paths.

use std::{collections::BTreeMap, time::Duration};

use chrono::{DateTime, FixedOffset, Utc};
use futures::SinkExt;
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_core::user::auth::{Role, Tokens};
use tiketi_testkit::{
    assert_invariants, body, error_of, eventually, next_matching, sections, Fan, Options, Socket,
    Stack,
};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

async fn admin_token(stack: &Stack) -> String {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, role)
         VALUES ('organizer@example.com', 'Organizer', 'unused', 'admin') RETURNING id",
    )
    .fetch_one(&stack.pool)
    .await
    .unwrap();
    Tokens::new(
        &stack.api_config.jwt_secret,
        stack.api_config.jwt_ttl,
        stack.keys(),
    )
    .issue(id, Role::Admin)
    .unwrap()
    .0
}

async fn admin_get(stack: &Stack, token: &str, path: &str) -> Value {
    let (s, b) = body(stack.app(0).get_auth(path, token).await).await;
    assert_eq!(s, 200, "{path}: {b}");
    b
}

async fn admin_send(
    stack: &Stack,
    token: &str,
    method: reqwest::Method,
    path: &str,
    json_body: Option<Value>,
) -> reqwest::Response {
    let app = stack.app(0);
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = json_body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

/// Reserves `seats` for `fan` and returns the reservation id.
async fn hold(stack: &Stack, fan: &Fan, event: Uuid, seats: &[Uuid]) -> String {
    let (s, b) = body(stack.reserve(0, fan, event, seats).await).await;
    assert_eq!(s, 201, "{b}");
    b["reservation"]["id"].as_str().unwrap().to_string()
}

async fn order(stack: &Stack, fan: &Fan, event: Uuid, items: &[(Uuid, i32)]) -> String {
    let (s, b) = body(stack.order(0, fan, event, items).await).await;
    assert_eq!(s, 201, "{b}");
    b["reservation"]["id"].as_str().unwrap().to_string()
}

async fn pay(stack: &Stack, fan: &Fan, reservation: &str) {
    let (s, b) = body(
        stack
            .pay(0, fan, reservation, &format!("pay-{reservation}"))
            .await,
    )
    .await;
    assert_eq!(s, 200, "{b}");
}

async fn connect(stack: &Stack, topics: &[String]) -> Socket {
    let mut ws = tokio_tungstenite::connect_async(format!("ws://{}/ws", stack.app(0).addr))
        .await
        .unwrap()
        .0;
    for topic in topics {
        ws.send(Message::Text(
            json!({"op": "subscribe", "topic": topic})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
        next_matching(&mut ws, Duration::from_secs(5), |m| {
            m["op"] == "subscribed" && m["topic"] == *topic
        })
        .await;
    }
    ws
}

async fn scalar(pool: &PgPool, sql: &str, id: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn cancelling_an_event_refunds_every_payment_frees_every_seat_and_twice_changes_nothing(
    pool: PgPool,
) {
    let stack = Stack::start(pool, Options::default()).await;
    let admin = admin_token(&stack).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 8, 100_000)])).await;
    let (ga, types) = stack.ga_event(&[10]).await;
    let fans = stack.fans(4).await;
    // Paid, held, and already cancelled by its fan.
    let paid = hold(&stack, &fans[0], event, &seats[0..2]).await;
    pay(&stack, &fans[0], &paid).await;
    let held = hold(&stack, &fans[1], event, &seats[2..4]).await;
    let gone = hold(&stack, &fans[2], event, &seats[4..5]).await;
    assert_eq!(body(stack.cancel(0, &fans[2], &gone).await).await.0, 200);
    let ga_paid = order(&stack, &fans[3], ga, &[(types[0], 3)]).await;
    pay(&stack, &fans[3], &ga_paid).await;

    let mut ws = connect(
        &stack,
        &[format!("event:{event}"), format!("seats:{event}")],
    )
    .await;
    // Cached before the cancel; must not be served after it.
    let detail = body(stack.app(0).get(&format!("/api/events/{event}")).await)
        .await
        .1;
    assert_eq!(detail["event"]["status"], "on_sale");

    let path = format!("/api/admin/events/{event}/cancel");
    let (s, first) = body(
        admin_send(
            &stack,
            &admin,
            reqwest::Method::POST,
            &path,
            Some(json!({"reason": "The artist is ill"})),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{first}");
    assert_eq!(first["event"]["status"], "cancelled");
    assert_eq!(first["cancelledReservations"], 2);
    assert_eq!(first["refundedPayments"], 1);

    // Seat releases are relayed first, then the announcement: take both, in any order.
    let (mut cancelled, mut released) = (Value::Null, Value::Null);
    while cancelled.is_null() || released.is_null() {
        let m = next_matching(&mut ws, Duration::from_secs(5), |m| {
            m["event"] == "event-cancelled" || m["event"] == "seat-released"
        })
        .await;
        if m["event"] == "event-cancelled" {
            cancelled = m;
        } else {
            released = m;
        }
    }
    assert_eq!(cancelled["topic"], format!("event:{event}"));
    assert_eq!(cancelled["data"]["reason"], "The artist is ill");
    let mut freed: Vec<String> =
        serde_json::from_value(released["data"]["seatIds"].clone()).unwrap();
    freed.sort();
    let mut expected: Vec<String> = seats[0..4].iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(freed, expected);

    // Every reservation ended, every payment refunded, every seat free.
    let live = scalar(
        &stack.pool,
        "SELECT COUNT(*) FROM reservations WHERE event_id = $1 AND status IN ('pending', 'confirmed')",
        event,
    )
    .await;
    assert_eq!(live, 0);
    let reasons: BTreeMap<String, String> = sqlx::query_as::<_, (Uuid, String)>(
        "SELECT id, cancel_reason FROM reservations WHERE event_id = $1",
    )
    .bind(event)
    .fetch_all(&stack.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(id, r)| (id.to_string(), r))
    .collect();
    assert_eq!(reasons[&paid], "event_cancelled");
    assert_eq!(reasons[&held], "event_cancelled");
    assert_eq!(
        reasons[&gone], "fan",
        "an ended reservation stays as it was"
    );
    let unrefunded = scalar(
        &stack.pool,
        "SELECT COUNT(*) FROM payments p JOIN reservations r ON r.id = p.reservation_id
         WHERE r.event_id = $1 AND p.status <> 'refunded'",
        event,
    )
    .await;
    assert_eq!(unrefunded, 0);
    let taken = scalar(
        &stack.pool,
        "SELECT COUNT(*) FROM seats WHERE event_id = $1 AND status <> 'available'",
        event,
    )
    .await;
    assert_eq!(taken, 0);
    assert_invariants(&stack.pool).await;

    // Fans, the public detail and the seat map see it at once.
    let (_, mine) = body(
        stack
            .app(0)
            .get_auth(&format!("/api/reservations/{paid}"), &fans[0].token)
            .await,
    )
    .await;
    assert_eq!(mine["reservation"]["status"], "cancelled");
    assert_eq!(mine["reservation"]["payment"]["status"], "refunded");
    let detail = body(stack.app(0).get(&format!("/api/events/{event}")).await)
        .await
        .1;
    assert_eq!(detail["event"]["status"], "cancelled");
    assert_eq!(detail["availability"]["available"], 8);
    let map = body(
        stack
            .app(0)
            .get(&format!("/api/seats/events/{event}"))
            .await,
    )
    .await
    .1;
    assert!(map["seats"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["status"] == "available"));
    error_of(
        stack.reserve(0, &fans[2], event, &seats[5..6]).await,
        409,
        "EVENT_NOT_ON_SALE",
    )
    .await;

    // A second cancel answers with zeros and touches nothing.
    let snapshot = |pool: PgPool| async move {
        sqlx::query_scalar::<_, String>(
            "SELECT string_agg(x, ',' ORDER BY x) FROM (
                 SELECT concat(r.id, r.status, r.cancelled_at) AS x FROM reservations r
                 UNION ALL SELECT concat(p.id, p.status, p.refunded_at) FROM payments p
                 UNION ALL SELECT concat(e.id, e.status, e.cancelled_at, e.updated_at) FROM events e
                 UNION ALL SELECT COUNT(*)::text FROM audit_log) t",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = snapshot(stack.pool.clone()).await;
    let (s, second) = body(
        admin_send(
            &stack,
            &admin,
            reqwest::Method::POST,
            &path,
            Some(json!({"reason": "again"})),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{second}");
    assert_eq!(second["cancelledReservations"], 0);
    assert_eq!(second["refundedPayments"], 0);
    assert_eq!(second["event"]["status"], "cancelled");
    assert_eq!(snapshot(stack.pool.clone()).await, before);
    let audit = admin_get(
        &stack,
        &admin,
        &format!("/api/admin/audit?action=event.cancel&entityId={event}"),
    )
    .await;
    assert_eq!(audit["pagination"]["total"], 1);
    let changes = &audit["entries"][0]["changes"];
    assert_eq!(
        changes["status"],
        json!({"before": "on_sale", "after": "cancelled"})
    );
    assert_eq!(changes["cancelledReservations"]["after"], 2);
    assert_eq!(changes["refundedPayments"]["after"], 1);
    // A cancelled event cannot be edited back to life.
    error_of(
        admin_send(
            &stack,
            &admin,
            reqwest::Method::PUT,
            &format!("/api/admin/events/{event}"),
            Some(json!({"title": "Back on"})),
        )
        .await,
        409,
        "EVENT_CANCELLED",
    )
    .await;

    // General admission, cancelled without a body: stock comes back, payment refunded.
    let (s, ga_cancel) = body(
        admin_send(
            &stack,
            &admin,
            reqwest::Method::POST,
            &format!("/api/admin/events/{ga}/cancel"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{ga_cancel}");
    assert_eq!(ga_cancel["cancelledReservations"], 1);
    assert_eq!(ga_cancel["refundedPayments"], 1);
    let remaining = scalar(
        &stack.pool,
        "SELECT SUM(remaining)::bigint FROM ticket_types WHERE event_id = $1",
        ga,
    )
    .await;
    assert_eq!(remaining, 10);
    error_of(
        admin_send(
            &stack,
            &admin,
            reqwest::Method::POST,
            &format!("/api/admin/events/{}/cancel", Uuid::new_v4()),
            None,
        )
        .await,
        404,
        "EVENT_NOT_FOUND",
    )
    .await;
    // Seat events were relayed, not left for the sweeper's retry.
    eventually("the outbox relayed", Duration::from_secs(5), || async {
        let unpublished: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
                .fetch_one(&stack.pool)
                .await
                .unwrap();
        match unpublished {
            0 => Ok(()),
            n => Err(format!("{n} unrelayed")),
        }
    })
    .await;
    let stats = admin_get(&stack, &admin, "/api/admin/dashboard/stats").await;
    assert_eq!(stats["stats"]["revenue"]["total"], 0);
    assert_eq!(stats["stats"]["eventsByStatus"]["cancelled"], 2);
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

/// Midnight in Seoul (UTC+9 all year) today, computed apart from the database.
fn seoul_midnight() -> DateTime<Utc> {
    let seoul = FixedOffset::east_opt(9 * 3600).unwrap();
    let today = Utc::now().with_timezone(&seoul).date_naive();
    today
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_local_timezone(seoul)
        .unwrap()
        .with_timezone(&Utc)
}

#[sqlx::test(migrations = "../migrations")]
async fn dashboard_stats_add_up_against_the_rows(pool: PgPool) {
    // Holds shorter than the "expiring soon" minute, so every live hold counts as one.
    let stack = Stack::start(
        pool,
        Options {
            hold_seconds: 50,
            ..Default::default()
        },
    )
    .await;
    let admin = admin_token(&stack).await;
    let (a, a_seats) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    let (b, b_seats) = stack.seated_event(sections(&[("S", 1, 4, 70_000)])).await;
    let (c, c_types) = stack.ga_event(&[20, 5]).await;
    let (d, d_types) = stack.ga_event(&[5]).await;
    let fans = stack.fans(5).await;
    let r = hold(&stack, &fans[0], a, &a_seats[0..3]).await;
    pay(&stack, &fans[0], &r).await;
    hold(&stack, &fans[1], a, &a_seats[3..5]).await;
    let r = hold(&stack, &fans[2], a, &a_seats[5..6]).await;
    assert_eq!(body(stack.cancel(0, &fans[2], &r).await).await.0, 200);
    let r = hold(&stack, &fans[0], b, &b_seats).await;
    pay(&stack, &fans[0], &r).await;
    let r = order(&stack, &fans[3], c, &[(c_types[0], 2)]).await;
    pay(&stack, &fans[3], &r).await;
    order(&stack, &fans[4], c, &[(c_types[1], 1)]).await;
    // A refunded sale is no revenue.
    let r = order(&stack, &fans[1], d, &[(d_types[0], 1)]).await;
    pay(&stack, &fans[1], &r).await;
    let (s, _) = body(
        admin_send(
            &stack,
            &admin,
            reqwest::Method::POST,
            &format!("/api/admin/events/{d}/cancel"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(s, 200);
    let (s, b_) = body(
        admin_send(
            &stack,
            &admin,
            reqwest::Method::PUT,
            &format!("/api/admin/events/{a}"),
            Some(json!({"title": "Queued show", "queue": {"enabled": true, "strategy": "rate", "ratePerMinute": 120}})),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{b_}");
    // Event B sold out: wait for the sweeper to say so, so nothing moves under the check.
    eventually("B sold out", Duration::from_secs(5), || async {
        let status: String = sqlx::query_scalar("SELECT status FROM events WHERE id = $1")
            .bind(b)
            .fetch_one(&stack.pool)
            .await
            .unwrap();
        match status.as_str() {
            "sold_out" => Ok(()),
            _ => Err(format!("B is {status}")),
        }
    })
    .await;

    let stats = admin_get(&stack, &admin, "/api/admin/dashboard/stats").await["stats"].clone();
    let pool = &stack.pool;
    let counts = |sql: &'static str| async move {
        sqlx::query_as::<_, (String, i64)>(sql)
            .fetch_all(pool)
            .await
            .unwrap()
            .into_iter()
            .collect::<BTreeMap<String, i64>>()
    };
    let events = counts("SELECT status, COUNT(*) FROM events GROUP BY status").await;
    for (status, n) in stats["eventsByStatus"].as_object().unwrap() {
        assert_eq!(n, events.get(status).unwrap_or(&0), "events {status}");
    }
    assert_eq!(stats["eventsByStatus"].as_object().unwrap().len(), 5);
    assert_eq!(stats["eventsByStatus"]["cancelled"], 1);
    assert_eq!(stats["eventsByStatus"]["sold_out"], 1);
    let reservations = counts("SELECT status, COUNT(*) FROM reservations GROUP BY status").await;
    for (status, n) in stats["reservationsByStatus"].as_object().unwrap() {
        assert_eq!(
            n,
            reservations.get(status).unwrap_or(&0),
            "reservations {status}"
        );
    }
    assert_eq!(stats["reservationsByStatus"]["confirmed"], 3);
    assert_eq!(stats["reservationsByStatus"]["pending"], 2);
    assert_eq!(stats["reservationsByStatus"]["cancelled"], 2);

    let (total, today): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(amount), 0)::bigint,
                COALESCE(SUM(amount) FILTER (WHERE created_at >= $1), 0)::bigint
         FROM payments WHERE status = 'completed'",
    )
    .bind(seoul_midnight())
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(total, 300_000 + 280_000 + 100_000);
    assert_eq!(stats["revenue"], json!({"total": total, "today": today}));
    assert_eq!(today, total, "every payment was made just now");

    let on_sale = stats["onSale"].as_array().unwrap();
    let ids: Vec<&str> = on_sale
        .iter()
        .map(|e| e["eventId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    for e in on_sale {
        let id: Uuid = e["eventId"].as_str().unwrap().parse().unwrap();
        let (total, sold, held, available): (i64, i64, i64, i64) = if id == c {
            sqlx::query_as(
                "SELECT (SELECT SUM(total_quantity) FROM ticket_types WHERE event_id = $1)::bigint,
                        COALESCE(SUM(i.quantity) FILTER (WHERE r.status = 'confirmed'), 0)::bigint,
                        COALESCE(SUM(i.quantity) FILTER (WHERE r.status = 'pending'), 0)::bigint,
                        (SELECT SUM(remaining) FROM ticket_types WHERE event_id = $1)::bigint
                 FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id
                 WHERE r.event_id = $1",
            )
        } else {
            sqlx::query_as(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'sold'),
                        COUNT(*) FILTER (WHERE status = 'held'), COUNT(*) FILTER (WHERE status = 'available')
                 FROM seats WHERE event_id = $1",
            )
        }
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            (
                e["total"].as_i64().unwrap(),
                e["sold"].as_i64().unwrap(),
                e["held"].as_i64().unwrap(),
                e["available"].as_i64().unwrap()
            ),
            (total, sold, held, available),
            "{e}"
        );
        assert_eq!(total, sold + held + available, "{e}");
        let through = e["sellThrough"].as_f64().unwrap();
        assert!((through - sold as f64 / total as f64).abs() < 1e-9, "{e}");
    }
    let a_stats = on_sale
        .iter()
        .find(|e| e["eventId"] == a.to_string())
        .unwrap();
    assert_eq!(a_stats["sold"], 3);
    assert_eq!(a_stats["held"], 2);
    assert_eq!(a_stats["revenue"], 300_000);
    let b_stats = on_sale
        .iter()
        .find(|e| e["eventId"] == b.to_string())
        .unwrap();
    assert_eq!(b_stats["sellThrough"], 1.0);
    assert_eq!(b_stats["status"], "sold_out");

    let expiring: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reservations WHERE status = 'pending' AND expires_at <= now() + interval '60 seconds'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(expiring, 2);
    assert_eq!(stats["holdsExpiringSoon"], expiring);
    assert_eq!(
        stats["queues"],
        json!([{"eventId": a, "title": "Queued show", "waiting": 0, "active": 0}])
    );
    assert!(
        DateTime::parse_from_rfc3339(stats["generatedAt"].as_str().unwrap())
            .unwrap()
            .to_rfc3339()
            .ends_with("+09:00")
    );

    // The admin event list carries the same figures.
    let list = admin_get(&stack, &admin, "/api/admin/events?limit=100").await;
    let revenue: i64 = list["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sales"]["revenue"].as_i64().unwrap())
        .sum();
    assert_eq!(revenue, total);
    let listed_a = list["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == a.to_string())
        .unwrap();
    assert_eq!(
        listed_a["sales"],
        json!({"total": 10, "sold": 3, "held": 2, "available": 5, "revenue": 300_000})
    );
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_reservation_list_filters_pages_and_sorts(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let admin = admin_token(&stack).await;
    let (a, seats) = stack.seated_event(sections(&[("R", 1, 8, 50_000)])).await;
    let (g, types) = stack.ga_event(&[10]).await;
    let fans = stack.fans(3).await;
    let confirmed = hold(&stack, &fans[0], a, &seats[0..1]).await;
    pay(&stack, &fans[0], &confirmed).await;
    hold(&stack, &fans[1], a, &seats[1..2]).await;
    let gone = hold(&stack, &fans[2], a, &seats[2..3]).await;
    assert_eq!(body(stack.cancel(0, &fans[2], &gone).await).await.0, 200);
    order(&stack, &fans[0], g, &[(types[0], 2)]).await;
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(fans[0].id)
        .fetch_one(&stack.pool)
        .await
        .unwrap();

    let all = admin_get(&stack, &admin, "/api/admin/reservations").await;
    assert_eq!(all["pagination"]["total"], 4);
    let list = all["reservations"].as_array().unwrap();
    let created: Vec<DateTime<FixedOffset>> = list
        .iter()
        .map(|r| DateTime::parse_from_rfc3339(r["createdAt"].as_str().unwrap()).unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let first = &list[0];
    assert_eq!(first["user"]["id"], fans[0].id.to_string());
    assert_eq!(first["user"]["email"], email.as_str());
    assert_eq!(first["eventTitle"], "Test show");
    assert_eq!(first["items"][0]["quantity"], 2);
    assert!(first["code"].as_str().unwrap().starts_with("TK-"));

    let oldest_first = admin_get(&stack, &admin, "/api/admin/reservations?sort=createdAt").await;
    let ids = |v: &Value| -> Vec<String> {
        v["reservations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut reversed = ids(&all);
    reversed.reverse();
    assert_eq!(ids(&oldest_first), reversed);

    let count = |v: Value| v["pagination"]["total"].as_i64().unwrap();
    let q = |s: String| {
        let stack = &stack;
        let admin = admin.clone();
        async move { admin_get(stack, &admin, &format!("/api/admin/reservations?{s}")).await }
    };
    assert_eq!(count(q(format!("eventId={a}")).await), 3);
    assert_eq!(count(q("status=pending".into()).await), 2);
    assert_eq!(
        count(q(format!("email={}", &email[..12].to_uppercase())).await),
        2
    );
    let paid = q(format!("eventId={a}&status=confirmed")).await;
    assert_eq!(count(paid.clone()), 1);
    assert_eq!(paid["reservations"][0]["id"], confirmed);
    assert_eq!(paid["reservations"][0]["payment"]["status"], "completed");
    let page2 = q("limit=3&page=2".into()).await;
    assert_eq!(page2["pagination"]["totalPages"], 2);
    assert_eq!(ids(&page2), ids(&all)[3..].to_vec());

    let seoul = FixedOffset::east_opt(9 * 3600).unwrap();
    let day = |d: i64| {
        (Utc::now() + chrono::Duration::days(d))
            .with_timezone(&seoul)
            .format("%Y-%m-%d")
            .to_string()
    };
    assert_eq!(count(q(format!("from={}", day(0))).await), 4);
    assert_eq!(count(q(format!("to={}", day(0))).await), 4);
    assert_eq!(count(q(format!("from={}", day(1))).await), 0);
    assert_eq!(count(q(format!("to={}", day(-1))).await), 0);
    let second_newest: DateTime<Utc> = sqlx::query_scalar(
        "SELECT created_at FROM reservations ORDER BY created_at DESC LIMIT 1 OFFSET 1",
    )
    .fetch_one(&stack.pool)
    .await
    .unwrap();
    let cut = second_newest.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    assert_eq!(
        count(q(format!("to={cut}")).await),
        3,
        "an instant bound includes itself"
    );
    for bad in [
        "status=done",
        "eventId=x",
        "sort=price",
        "from=soon",
        "limit=1000",
    ] {
        error_of(
            stack
                .app(0)
                .get_auth(&format!("/api/admin/reservations?{bad}"), &admin)
                .await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
    }
    stack.stop().await;
}

/// An organizer cancels (twice, at once) while fans are still reserving and paying: no
/// booking may survive, no payment may be kept, and the second cancel must find nothing.
#[sqlx::test(migrations = "../migrations")]
async fn cancelling_during_a_rush_keeps_no_booking_and_no_payment(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let admin = admin_token(&stack).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 4, 10, 10_000)])).await;
    let fans = stack.fans(seats.len()).await;
    let app = stack.app(0);
    let mut rush = Vec::new();
    for (fan, seat) in fans.iter().zip(&seats) {
        let (client, base, token, seat) =
            (app.client.clone(), app.url(""), fan.token.clone(), *seat);
        rush.push(tokio::spawn(async move {
            let res = client
                .post(format!("{base}/api/seats/reserve"))
                .bearer_auth(&token)
                .json(&json!({"eventId": event, "seatIds": [seat]}))
                .send()
                .await
                .unwrap();
            if res.status() != 201 {
                return None;
            }
            let id = res.json::<Value>().await.unwrap()["reservation"]["id"]
                .as_str()
                .unwrap()
                .to_string();
            let paid = client
                .post(format!("{base}/api/payments/process"))
                .bearer_auth(&token)
                .header("idempotency-key", format!("rush-{id}"))
                .json(&json!({"reservationId": id, "paymentMethod": "naver_pay"}))
                .send()
                .await
                .unwrap()
                .status()
                == 200;
            Some((id, paid))
        }));
    }
    // Cancel once some of the rush has landed.
    eventually(
        "five reservations landed",
        Duration::from_secs(10),
        || async {
            match scalar(
                &stack.pool,
                "SELECT COUNT(*) FROM reservations WHERE event_id = $1",
                event,
            )
            .await
            {
                n if n >= 5 => Ok(()),
                n => Err(format!("{n} reservations")),
            }
        },
    )
    .await;
    let path = format!("/api/admin/events/{event}/cancel");
    let (first, second) = tokio::join!(
        admin_send(&stack, &admin, reqwest::Method::POST, &path, None),
        admin_send(&stack, &admin, reqwest::Method::POST, &path, None),
    );
    let (first, second) = (body(first).await, body(second).await);
    assert_eq!((first.0, second.0), (200, 200), "{first:?} {second:?}");
    let outcomes: Vec<Option<(String, bool)>> = futures::future::join_all(rush)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();

    let by_event = scalar(
        &stack.pool,
        "SELECT COUNT(*) FROM reservations WHERE event_id = $1 AND cancel_reason = 'event_cancelled'",
        event,
    )
    .await;
    let reported = first.1["cancelledReservations"].as_i64().unwrap()
        + second.1["cancelledReservations"].as_i64().unwrap();
    assert_eq!(
        reported, by_event,
        "each reservation cancelled exactly once"
    );
    assert!(
        [&first.1, &second.1]
            .iter()
            .any(|b| b["cancelledReservations"] == 0 && b["refundedPayments"] == 0),
        "one of the two found nothing left to do"
    );
    let refunds = scalar(
        &stack.pool,
        "SELECT COUNT(*) FROM payments p JOIN reservations r ON r.id = p.reservation_id
         WHERE r.event_id = $1 AND p.status = 'refunded'",
        event,
    )
    .await;
    let reported = first.1["refundedPayments"].as_i64().unwrap()
        + second.1["refundedPayments"].as_i64().unwrap();
    assert_eq!(reported, refunds);
    for sql in [
        "SELECT COUNT(*) FROM reservations WHERE event_id = $1 AND status IN ('pending', 'confirmed')",
        "SELECT COUNT(*) FROM payments p JOIN reservations r ON r.id = p.reservation_id
         WHERE r.event_id = $1 AND p.status = 'completed'",
        "SELECT COUNT(*) FROM seats WHERE event_id = $1 AND status <> 'available'",
    ] {
        assert_eq!(scalar(&stack.pool, sql, event).await, 0, "{sql}");
    }
    // Every fan who was told "paid" has that payment refunded.
    for (id, paid) in outcomes.into_iter().flatten() {
        if paid {
            let status: String = sqlx::query_scalar(
                "SELECT status FROM payments WHERE reservation_id = $1::uuid AND status <> 'declined'",
            )
            .bind(&id)
            .fetch_one(&stack.pool)
            .await
            .unwrap();
            assert_eq!(status, "refunded", "{id}");
        }
    }
    let audits = scalar(
        &stack.pool,
        "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = 'event.cancel'",
        event,
    )
    .await;
    assert_eq!(audits, 1);
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}
