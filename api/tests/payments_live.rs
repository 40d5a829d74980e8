//! Paying for holds against a whole stack in-process (api, worker, sweeper): idempotent
//! confirmation, declines, expired and cancelled holds, and owner checks.

use std::time::Duration;

use serde_json::json;
use sqlx::PgPool;
use tiketi_testkit::{body, error_of, eventually, sections, Options, Stack};

#[sqlx::test(migrations = "../migrations")]
async fn payment_confirms_the_hold_and_sells_the_seats_idempotently(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    let (s, b) = body(stack.reserve(0, &fans[0], event, &seats[..2]).await).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["reservation"]["totalAmount"], 200_000);
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    // The 201 (built by the worker inside its transaction) is exactly what a read returns.
    let read = body(
        stack
            .app(0)
            .get_auth(&format!("/api/reservations/{id}"), &fans[0].token)
            .await,
    )
    .await
    .1;
    assert_eq!(b["reservation"], read["reservation"]);
    assert_eq!(b["expiresAt"], read["reservation"]["expiresAt"]);
    assert_eq!(b["reservation"]["items"].as_array().unwrap().len(), 2);

    let (s, first) = body(stack.pay(0, &fans[0], &id, "key-1").await).await;
    assert_eq!(s, 200, "{first}");
    assert_eq!(first["payment"]["status"], "completed");
    assert_eq!(first["payment"]["amount"], 200_000);
    assert_eq!(first["reservation"]["status"], "confirmed");
    // Same key, same body: the same payment, nothing new.
    let (s, again) = body(stack.pay(0, &fans[0], &id, "key-1").await).await;
    assert_eq!(s, 200);
    assert_eq!(again["payment"]["id"], first["payment"]["id"]);
    // Same key, another body: refused.
    let app = stack.app(0);
    let res = app
        .client
        .post(app.url("/api/payments/process"))
        .bearer_auth(&fans[0].token)
        .header("idempotency-key", "key-1")
        .json(&json!({"reservationId": id, "paymentMethod": "naver_pay"}))
        .send()
        .await
        .unwrap();
    error_of(res, 422, "IDEMPOTENCY_KEY_REUSED").await;
    // Another key: the reservation is already paid.
    error_of(
        stack.pay(0, &fans[0], &id, "key-2").await,
        409,
        "RESERVATION_ALREADY_PAID",
    )
    .await;

    let payments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(payments, 1);
    let sold: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seats WHERE status = 'sold'")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(sold, 2);
    // An empty key and an unknown method are validation errors (no key at all is the
    // plan's request, see tests/plan.rs).
    let res = app
        .client
        .post(app.url("/api/payments/process"))
        .bearer_auth(&fans[0].token)
        .header("idempotency-key", " ")
        .json(&json!({"reservationId": id, "paymentMethod": "bitcoin"}))
        .send()
        .await
        .unwrap();
    let err = error_of(res, 422, "VALIDATION_FAILED").await;
    assert!(
        err["details"]["fields"]["Idempotency-Key"].is_string()
            && err["details"]["fields"]["paymentMethod"].is_string()
    );
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_declined_payment_leaves_the_hold_intact(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    let (_, b) = body(stack.reserve(0, &fans[0], event, &seats[..1]).await).await;
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    let app = stack.app(0);
    let res = app
        .client
        .post(app.url("/api/payments/process"))
        .bearer_auth(&fans[0].token)
        .header("idempotency-key", "try-1")
        .json(
            &json!({"reservationId": id, "paymentMethod": "bank_transfer", "simulate": "decline"}),
        )
        .send()
        .await
        .unwrap();
    let err = error_of(res, 402, "PAYMENT_DECLINED").await;
    assert_eq!(err["details"]["payment"]["status"], "declined");
    let (status, seat): (String, String) = sqlx::query_as(
        "SELECT r.status, s.status FROM reservations r JOIN seats s ON s.reservation_id = r.id WHERE r.id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&stack.pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), seat.as_str()), ("pending", "held"));
    // A second attempt with a new key goes through.
    let (s, paid) = body(stack.pay(0, &fans[0], &id, "try-2").await).await;
    assert_eq!(s, 200, "{paid}");
    assert_eq!(paid["reservation"]["status"], "confirmed");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn expired_and_cancelled_holds_cannot_be_paid_or_revived(pool: PgPool) {
    let stack = Stack::start(
        pool,
        Options {
            hold_seconds: 1,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(2).await;
    let (_, b) = body(stack.reserve(0, &fans[0], event, &seats[..1]).await).await;
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    // The sweeper expires the 1 s hold.
    eventually("the hold expired", Duration::from_secs(10), || async {
        let view = body(
            stack
                .app(0)
                .get_auth(&format!("/api/reservations/{id}"), &fans[0].token)
                .await,
        )
        .await
        .1;
        match view["reservation"]["status"].as_str() {
            Some("expired") => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .await;
    let err = error_of(
        stack.pay(0, &fans[0], &id, "late").await,
        410,
        "RESERVATION_EXPIRED",
    )
    .await;
    assert_eq!(err["details"]["status"], "expired");
    error_of(stack.cancel(0, &fans[0], &id).await, 409, "NOT_CANCELLABLE").await;
    let view = body(
        stack
            .app(0)
            .get_auth(&format!("/api/reservations/{id}"), &fans[0].token)
            .await,
    )
    .await
    .1;
    assert_eq!(view["reservation"]["status"], "expired");
    assert!(view["reservation"]["payment"].is_null());
    // The seat is free again: the other fan gets it.
    let (s, _) = body(stack.reserve(0, &fans[1], event, &seats[..1]).await).await;
    assert_eq!(s, 201);

    // A cancelled hold stays cancelled.
    let (_, b) = body(stack.reserve(0, &fans[0], event, &seats[1..2]).await).await;
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    assert_eq!(body(stack.cancel(0, &fans[0], &id).await).await.0, 200);
    let err = error_of(
        stack.pay(0, &fans[0], &id, "after-cancel").await,
        409,
        "RESERVATION_CANCELLED",
    )
    .await;
    assert_eq!(err["details"]["status"], "cancelled");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn another_fans_reservation_is_not_found_for_every_route(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(2).await;
    let (_, b) = body(stack.reserve(0, &fans[0], event, &seats[..1]).await).await;
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    let app = stack.app(0);
    for path in [
        format!("/api/reservations/{id}"),
        format!("/api/seats/reservation/{id}"),
    ] {
        error_of(
            app.get_auth(&path, &fans[1].token).await,
            404,
            "RESERVATION_NOT_FOUND",
        )
        .await;
        assert_eq!(app.get_auth(&path, &fans[0].token).await.status(), 200);
    }
    error_of(
        stack.pay(0, &fans[1], &id, "steal").await,
        404,
        "RESERVATION_NOT_FOUND",
    )
    .await;
    error_of(
        stack.cancel(0, &fans[1], &id).await,
        404,
        "RESERVATION_NOT_FOUND",
    )
    .await;
    let mine = body(app.get_auth("/api/reservations/my", &fans[1].token).await)
        .await
        .1;
    assert_eq!(mine["reservations"].as_array().unwrap().len(), 0);
    let mine = body(app.get_auth("/api/reservations/my", &fans[0].token).await)
        .await
        .1;
    assert_eq!(mine["reservations"][0]["id"], id.as_str());
    stack.stop().await;
}
