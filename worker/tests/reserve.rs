use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;
use tiketi_testkit::{assert_invariants, body, error_of, eventually, sections, Options, Stack};
use uuid::Uuid;

#[sqlx::test(migrations = "../migrations")]
async fn reserve_requests_are_validated_before_queueing(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    let (other_event, other_seats) = stack.seated_event(sections(&[("R", 1, 2, 100_000)])).await;
    let fans = stack.fans(1).await;
    let fan = &fans[0];
    for bad in [vec![], seats[..5].to_vec(), vec![seats[0], seats[0]]] {
        error_of(
            stack.reserve(0, fan, event, &bad).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
    }
    error_of(
        stack.reserve(0, fan, Uuid::new_v4(), &seats[..1]).await,
        404,
        "EVENT_NOT_FOUND",
    )
    .await;
    sqlx::query("UPDATE events SET status = 'upcoming', sale_start = now() + interval '1 day' WHERE id = $1")
        .bind(other_event)
        .execute(&stack.pool)
        .await
        .unwrap();
    error_of(
        stack.reserve(0, fan, other_event, &other_seats[..1]).await,
        409,
        "EVENT_NOT_ON_SALE",
    )
    .await;
    let anon = stack
        .app(0)
        .post_json(
            "/api/seats/reserve",
            &json!({"eventId": event, "seatIds": [seats[0]]}),
        )
        .await;
    error_of(anon, 401, "AUTH_REQUIRED").await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reservation_requests")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(
        n, 0,
        "malformed requests and closed events never reach the queue"
    );
    // Seats of another event: the worker refuses the whole order and takes nothing.
    error_of(
        stack
            .reserve(0, fan, event, &[seats[0], other_seats[0]])
            .await,
        422,
        "INVALID_ORDER",
    )
    .await;
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seats WHERE status <> 'available'")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(taken, 0);

    // One live hold per fan per event.
    assert_eq!(
        body(stack.reserve(0, fan, event, &seats[..1]).await)
            .await
            .0,
        201
    );
    let err = error_of(
        stack.reserve(0, fan, event, &seats[1..2]).await,
        409,
        "ALREADY_HOLDING",
    )
    .await;
    assert!(err["details"]["reservationId"].is_string());
    // The worker refused it after touching the seat inside a savepoint: nothing of that
    // rolled-back change may reach Redis. Pacing: a grace period for a write that must
    // not happen (an absence cannot be polled for).
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let state = tiketi_core::reservation::seat_state::SeatState::new(stack.keys());
    assert_eq!(
        state.taken(&mut redis, event, &seats[..2]).await.unwrap(),
        [seats[0]]
    );
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn async_reserve_answers_202_and_the_outcome_is_readable_by_its_fan_only(pool: PgPool) {
    let stack = Stack::start(
        pool,
        Options {
            apis: 2,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(2).await;
    let res = stack.reserve_async(0, &fans[0], event, &seats[..1]).await;
    assert_eq!(res.status(), 202);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let accepted: serde_json::Value = res.json().await.unwrap();
    let request_id = accepted["requestId"].as_str().unwrap();
    assert!(location.ends_with(request_id));
    // Polled on the other api instance.
    let outcome = eventually("the request decided", Duration::from_secs(5), || async {
        let outcome = body(stack.app(1).get_auth(&location, &fans[0].token).await)
            .await
            .1;
        match outcome["status"] != "pending" {
            true => Ok(outcome),
            false => Err(outcome),
        }
    })
    .await;
    assert_eq!(outcome["status"], "reserved", "{outcome}");
    assert_eq!(
        outcome["reservation"]["items"][0]["seatId"],
        seats[0].to_string()
    );
    error_of(
        stack.app(1).get_auth(&location, &fans[1].token).await,
        404,
        "REQUEST_NOT_FOUND",
    )
    .await;
    let loser = body(stack.reserve(1, &fans[1], event, &[seats[0]]).await).await;
    assert_eq!(loser.0, 409);
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn retries_with_one_idempotency_key_make_one_reservation(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    let app = stack.app(0);
    let send = || {
        app.client
            .post(app.url("/api/seats/reserve"))
            .bearer_auth(&fans[0].token)
            .header("idempotency-key", "tap-twice")
            .json(&json!({"eventId": event, "seatIds": [seats[2]]}))
            .send()
    };
    // A double tap: both copies race through the api and the queue.
    let (first, second) = tokio::join!(send(), send());
    let (a, b) = (body(first.unwrap()).await, body(second.unwrap()).await);
    assert_eq!((a.0, b.0), (201, 201), "{a:?} {b:?}");
    assert_eq!(a.1["reservation"]["id"], b.1["reservation"]["id"]);
    // A retry after the decision gets the same reservation back, not ALREADY_HOLDING.
    let (s, again) = body(send().await.unwrap()).await;
    assert_eq!(s, 201, "{again}");
    assert_eq!(again["reservation"]["id"], a.1["reservation"]["id"]);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reservations")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn general_admission_orders_take_stock_and_cancel_restores_it(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, types) = stack.ga_event(&[5, 3]).await;
    let fans = stack.fans(3).await;
    let (s, b) = body(
        stack
            .order(0, &fans[0], event, &[(types[0], 3), (types[1], 1)])
            .await,
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["reservation"]["totalAmount"], 3 * 50_000 + 50_001);
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    let err = error_of(
        stack.order(0, &fans[1], event, &[(types[0], 3)]).await,
        409,
        "SOLD_OUT",
    )
    .await;
    assert_eq!(err["details"]["ticketTypeIds"][0], types[0].to_string());
    error_of(
        stack.order(0, &fans[1], event, &[(types[0], 5)]).await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    let detail = body(stack.app(0).get(&format!("/api/events/{event}")).await)
        .await
        .1;
    assert_eq!(detail["availability"]["held"], 4);

    assert_eq!(body(stack.cancel(0, &fans[0], &id).await).await.0, 200);
    let remaining: Vec<i32> = sqlx::query_scalar(
        "SELECT remaining FROM ticket_types WHERE event_id = $1 ORDER BY sort_order",
    )
    .bind(event)
    .fetch_all(&stack.pool)
    .await
    .unwrap();
    assert_eq!(remaining, [5, 3]);
    assert_eq!(
        body(stack.order(0, &fans[1], event, &[(types[0], 3)]).await)
            .await
            .0,
        201
    );
    error_of(
        stack.reserve(0, &fans[2], event, &[Uuid::new_v4()]).await,
        422,
        "NOT_A_SEATED_EVENT",
    )
    .await;
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_confirmed_booking_is_refunded_on_cancel_and_its_seats_freed(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    let (_, b) = body(stack.reserve(0, &fans[0], event, &seats[..2]).await).await;
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    assert_eq!(body(stack.pay(0, &fans[0], &id, "k").await).await.0, 200);
    let (s, c) = body(stack.cancel(0, &fans[0], &id).await).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["reservation"]["status"], "cancelled");
    assert_eq!(c["reservation"]["payment"]["status"], "refunded");
    let free: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM seats WHERE event_id = $1 AND status = 'available'",
    )
    .bind(event)
    .fetch_one(&stack.pool)
    .await
    .unwrap();
    assert_eq!(free, 4);
    error_of(stack.cancel(0, &fans[0], &id).await, 409, "NOT_CANCELLABLE").await;
    // The seat map (a cache hit) shows the seats free again with a newer seq, once the
    // cache has caught up.
    let map = eventually("the seat map caught up", Duration::from_secs(5), || async {
        let map = body(
            stack
                .app(0)
                .get(&format!("/api/seats/events/{event}"))
                .await,
        )
        .await
        .1;
        let free = map["seats"]
            .as_array()
            .is_some_and(|seats| seats.iter().all(|s| s["status"] == "available"));
        match free && map["seq"].as_i64().is_some_and(|seq| seq >= 3) {
            true => Ok(map),
            false => Err(map),
        }
    })
    .await;
    assert!(
        map["seats"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "available"),
        "{map}"
    );
    assert!(map["seq"].as_i64().unwrap() >= 3);
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}
