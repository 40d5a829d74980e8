//! The order path against a hostile fan (issue 12): idempotency keys scoped per event and
//! bound to their request, one undecidable command never failing other fans' batch, stale
//! commands refused, redeliveries decided once, one hold per fan refused before queueing,
//! request records pruned, per-fan purchase caps and truthful payment retries.

use std::time::Duration;

use futures::StreamExt;
use lapin::{
    options::{BasicConsumeOptions, BasicPublishOptions, QueueDeclareOptions},
    types::FieldTable,
    BasicProperties, Channel,
};
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_core::{
    reservation,
    reservation::commands::{Decision, Order, Rejection, Reply, ReserveCommand},
    reservation::wire,
};
use tiketi_testkit::{
    assert_invariants, body, error_of, eventually, sections, Fan, Options, Stack,
};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

async fn reserve_with_key(
    stack: &Stack,
    fan: &Fan,
    event: Uuid,
    seats: &[Uuid],
    key: &str,
) -> reqwest::Response {
    stack
        .reserve_request(0, fan, event, seats)
        .header("idempotency-key", key)
        .send()
        .await
        .unwrap()
}

fn seat_command(user_id: Uuid, event_id: Uuid, seat: Uuid) -> ReserveCommand {
    ReserveCommand {
        request_id: Uuid::now_v7(),
        user_id,
        event_id,
        order: Order::Seats {
            seat_ids: vec![seat],
        },
        requested_at: chrono::Utc::now(),
        hold_until: None,
        deadline: None,
    }
}

/// A channel on the stack's broker and a private reply queue on it.
async fn reply_channel(stack: &Stack) -> (Channel, String) {
    let broker = tiketi_core::infra::amqp::Broker::new(stack.api_config.infra.amqp_url.clone());
    let channel = broker.channel().await.unwrap();
    let queue = format!("test-replies-{}", Uuid::new_v4());
    channel
        .queue_declare(
            &queue,
            QueueDeclareOptions {
                exclusive: true,
                auto_delete: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await
        .unwrap();
    (channel, queue)
}

/// Publishes `cmd` to its partition as the api would, asking for a reply on `reply_to`.
async fn publish(stack: &Stack, channel: &Channel, cmd: &ReserveCommand, reply_to: &str) {
    let topology = stack.topology();
    channel
        .basic_publish(
            &topology.exchange(),
            &topology.routing_key(topology.partition_of(cmd.event_id)),
            BasicPublishOptions::default(),
            &wire::encode(cmd).unwrap(),
            BasicProperties::default()
                .with_delivery_mode(2)
                .with_reply_to(reply_to.into())
                .with_correlation_id(cmd.request_id.to_string().into()),
        )
        .await
        .unwrap()
        .await
        .unwrap();
}

/// The first `n` replies on `queue`, by request id.
async fn replies(channel: &Channel, queue: &str, n: usize) -> Vec<Reply> {
    let mut consumer = channel
        .basic_consume(
            queue,
            "test",
            BasicConsumeOptions {
                no_ack: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await
        .unwrap();
    let mut out = Vec::new();
    while out.len() < n {
        let d = tokio::time::timeout(Duration::from_secs(20), consumer.next())
            .await
            .expect("a reply within 20 s")
            .unwrap()
            .unwrap();
        out.push(wire::decode(&d.data).unwrap());
    }
    out
}

fn decision_of(replies: &[Reply], request_id: Uuid) -> &Decision {
    &replies
        .iter()
        .find(|r| r.request_id == request_id)
        .expect("a reply for the request")
        .decision
}

#[sqlx::test(migrations = "../migrations")]
async fn an_idempotency_key_is_scoped_per_event_and_reused_with_another_body_is_422(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (first, first_seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let (second, second_seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    let fan = &fans[0];

    // The same key on two events: two requests, two holds (before: one request id, the
    // second answered with the first event's reservation or failing the worker's batch).
    let (s1, b1) = body(reserve_with_key(&stack, fan, first, &first_seats[..1], "k").await).await;
    let (s2, b2) = body(reserve_with_key(&stack, fan, second, &second_seats[..1], "k").await).await;
    assert_eq!((s1, s2), (201, 201), "{b1} {b2}");
    assert_eq!(b1["reservation"]["event"]["id"], first.to_string());
    assert_eq!(b2["reservation"]["event"]["id"], second.to_string());

    // The same key and body again: the same reservation back.
    let (s, again) = body(reserve_with_key(&stack, fan, first, &first_seats[..1], "k").await).await;
    assert_eq!(s, 201);
    assert_eq!(again["reservation"]["id"], b1["reservation"]["id"]);
    // The same key with other seats: refused, not a replay of the first answer.
    error_of(
        reserve_with_key(&stack, fan, first, &first_seats[1..2], "k").await,
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seats WHERE status = 'held'")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(held, 2);
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_command_that_breaks_a_database_rule_is_set_aside_and_the_rest_of_its_batch_is_decided(
    pool: PgPool,
) {
    // No worker yet: the three commands wait in the queue and arrive as one batch.
    let stack = Stack::start(
        pool.clone(),
        Options {
            workers: 0,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(2).await;
    let a = seat_command(fans[0].id, event, seats[0]);
    // A fan that does not exist: inserting its reservation breaks a foreign key, which
    // no retry can cure.
    let poison = seat_command(Uuid::new_v4(), event, seats[1]);
    let b = seat_command(fans[1].id, event, seats[2]);
    let (channel, queue) = reply_channel(&stack).await;
    stack.topology().declare(&channel).await.unwrap();
    for cmd in [&a, &poison, &b] {
        publish(&stack, &channel, cmd, &queue).await;
    }
    let stop = CancellationToken::new();
    let worker = tokio::spawn(tiketi_worker::run(
        stack.worker_config.clone(),
        pool,
        stop.clone(),
    ));

    let answers = replies(&channel, &queue, 3).await;
    assert!(matches!(
        decision_of(&answers, a.request_id),
        Decision::Reserved { .. }
    ));
    assert!(matches!(
        decision_of(&answers, b.request_id),
        Decision::Reserved { .. }
    ));
    assert_eq!(
        decision_of(&answers, poison.request_id),
        &Decision::Rejected(Rejection::RequestNotProcessable)
    );
    // Only the offender was dead-lettered, once; the innocent commands were not requeued.
    let dead = channel
        .queue_declare(
            &stack.topology().dead_letter_queue(),
            QueueDeclareOptions {
                passive: true,
                ..Default::default()
            },
            FieldTable::default(),
        )
        .await
        .unwrap();
    assert_eq!(dead.message_count(), 1);
    let reserved: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reservation_requests WHERE outcome = 'reserved'")
            .fetch_one(&stack.pool)
            .await
            .unwrap();
    assert_eq!(reserved, 2);
    stop.cancel();
    worker.await.unwrap().unwrap();
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_command_past_its_deadline_is_refused_by_the_worker_and_its_requester_told(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(2).await;
    let mut stale = seat_command(fans[0].id, event, seats[0]);
    stale.deadline = Some(chrono::Utc::now() - chrono::Duration::seconds(1));
    let mut fresh = seat_command(fans[1].id, event, seats[1]);
    fresh.deadline = Some(chrono::Utc::now() + chrono::Duration::seconds(30));
    let (channel, queue) = reply_channel(&stack).await;
    publish(&stack, &channel, &stale, &queue).await;
    publish(&stack, &channel, &fresh, &queue).await;
    let answers = replies(&channel, &queue, 2).await;
    assert_eq!(
        decision_of(&answers, stale.request_id),
        &Decision::Rejected(Rejection::RequestExpired)
    );
    assert!(matches!(
        decision_of(&answers, fresh.request_id),
        Decision::Reserved { .. }
    ));
    // Recorded, so a poll of the request answers the same.
    let decided = reservation::request_decision(&stack.pool, stale.request_id, fans[0].id)
        .await
        .unwrap();
    assert_eq!(decided, Some(Decision::Rejected(Rejection::RequestExpired)));
    let status: String = sqlx::query_scalar("SELECT status FROM seats WHERE id = $1")
        .bind(seats[0])
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(status, "available");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_redelivered_command_being_decided_elsewhere_gets_that_decision_after_the_event_lock(
    pool: PgPool,
) {
    let stack = Stack::start(
        pool.clone(),
        Options {
            workers: 0,
            sweeper: false,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    let cmd = seat_command(fans[0].id, event, seats[0]);
    // Two deciders of the same command (a redelivery during a failover) both start while
    // the event is locked, then decide one after the other.
    let mut blocker = pool.begin().await.unwrap();
    reservation::lock_events(&mut blocker, &[event])
        .await
        .unwrap();
    let decide = |pool: PgPool, cmd: ReserveCommand| {
        tokio::spawn(async move {
            reservation::decide_batch(&pool, &[cmd], &Default::default(), 300)
                .await
                .map(|o| o.decisions[0].1.clone())
        })
    };
    let one = decide(pool.clone(), cmd.clone());
    let two = decide(pool.clone(), cmd.clone());
    // Pacing: both deciders reach the blocked row before the blocker lets go (they wait
    // on a lock inside PostgreSQL, where a test cannot see them queue).
    tokio::time::sleep(Duration::from_millis(300)).await;
    blocker.rollback().await.unwrap();
    let (one, two) = (one.await.unwrap().unwrap(), two.await.unwrap().unwrap());
    assert!(matches!(one, Decision::Reserved { .. }), "{one:?}");
    assert_eq!(
        one, two,
        "the second decider must return the first decision"
    );
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_fan_who_holds_seats_is_refused_by_the_api_before_anything_is_queued(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let (ga, types) = stack.ga_event(&[10]).await;
    let fans = stack.fans(1).await;
    let fan = &fans[0];
    let (s, held) = body(stack.reserve(0, fan, event, &seats[..1]).await).await;
    assert_eq!(s, 201);
    for _ in 0..3 {
        let err = error_of(
            stack.reserve(0, fan, event, &seats[1..2]).await,
            409,
            "ALREADY_HOLDING",
        )
        .await;
        assert_eq!(err["details"]["reservationId"], held["reservation"]["id"]);
    }
    assert_eq!(
        body(stack.order(0, fan, ga, &[(types[0], 1)]).await)
            .await
            .0,
        201
    );
    error_of(
        stack.order(0, fan, ga, &[(types[0], 1)]).await,
        409,
        "ALREADY_HOLDING",
    )
    .await;
    // Only the two holds were ever decided: the refused requests never reached a worker.
    let requests: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reservation_requests")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(requests, 2);
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn request_records_expire_after_the_idempotency_horizon_and_winners_stay_idempotent(
    pool: PgPool,
) {
    let stack = Stack::start(pool.clone(), Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(2).await;
    let res = stack.reserve_async(0, &fans[0], event, &seats[..1]).await;
    let (s, accepted) = body(res).await;
    assert_eq!(s, 202);
    let request_id: Uuid = accepted["requestId"].as_str().unwrap().parse().unwrap();
    // The "pending" marker in Redis lives exactly as long as the horizon.
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(stack.keys().pending_request(request_id))
        .query_async(&mut redis)
        .await
        .unwrap();
    let horizon = reservation::IDEMPOTENCY_HORIZON.as_secs() as i64;
    assert!(ttl > 0 && ttl <= horizon, "ttl {ttl}");

    let (s, _) = body(stack.reserve(0, &fans[1], event, &seats[1..2]).await).await;
    assert_eq!(s, 201);
    let decided = eventually("the request decided", Duration::from_secs(5), || async {
        match reservation::request_decision(&stack.pool, request_id, fans[0].id)
            .await
            .unwrap()
        {
            Some(decision) => Ok(Some(decision)),
            None => Err("undecided"),
        }
    })
    .await;
    let Some(Decision::Reserved { reservation_id }) = decided else {
        panic!("not reserved: {decided:?}");
    };
    // One record older than the horizon, one recent: only the old one goes.
    sqlx::query(
        "UPDATE reservation_requests SET decided_at = now() - interval '2 hours' WHERE request_id = $1",
    )
    .bind(request_id)
    .execute(&stack.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE reservations SET created_at = now() - interval '2 hours' WHERE id = $1")
        .bind(reservation_id)
        .execute(&stack.pool)
        .await
        .unwrap();
    assert_eq!(
        reservation::prune_requests(&stack.pool, 100).await.unwrap(),
        1
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reservation_requests")
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(left, 1);
    // A late redelivery of the pruned winner still gets its reservation, not a second one.
    let cmd = ReserveCommand {
        request_id,
        ..seat_command(fans[0].id, event, seats[0])
    };
    let again = reservation::decide_batch(&pool, &[cmd], &Default::default(), 300)
        .await
        .unwrap();
    assert_eq!(again.decisions[0].1, Decision::Reserved { reservation_id });
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_per_fan_cap_counts_every_live_reservation_of_the_event(pool: PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 2, 4, 100_000)])).await;
    let (ga, types) = stack.ga_event(&[20]).await;
    sqlx::query("UPDATE events SET max_tickets_per_fan = 3 WHERE id = ANY($1)")
        .bind([event, ga])
        .execute(&stack.pool)
        .await
        .unwrap();
    let fans = stack.fans(2).await;
    let fan = &fans[0];
    let (s, b) = body(stack.reserve(0, fan, event, &seats[..2]).await).await;
    assert_eq!(s, 201);
    let id = b["reservation"]["id"].as_str().unwrap().to_string();
    assert_eq!(body(stack.pay(0, fan, &id, "cap-1").await).await.0, 200);
    // Two paid + two more would be four.
    let err = error_of(
        stack.reserve(0, fan, event, &seats[2..4]).await,
        409,
        "PURCHASE_LIMIT_REACHED",
    )
    .await;
    assert_eq!(err["details"], json!({"limit": 3, "owned": 2}));
    assert_eq!(
        body(stack.reserve(0, fan, event, &seats[2..3]).await)
            .await
            .0,
        201
    );
    // Another fan has a cap of their own.
    assert_eq!(
        body(stack.reserve(0, &fans[1], event, &seats[4..7]).await)
            .await
            .0,
        201
    );
    // Tickets count like seats; a cancelled reservation no longer counts.
    let (s, b) = body(stack.order(0, fan, ga, &[(types[0], 3)]).await).await;
    assert_eq!(s, 201);
    let ga_hold = b["reservation"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        body(stack.pay(0, fan, &ga_hold, "cap-2").await).await.0,
        200
    );
    error_of(
        stack.order(0, fan, ga, &[(types[0], 1)]).await,
        409,
        "PURCHASE_LIMIT_REACHED",
    )
    .await;
    assert_eq!(body(stack.cancel(0, fan, &ga_hold).await).await.0, 200);
    assert_eq!(
        body(stack.order(0, fan, ga, &[(types[0], 3)]).await)
            .await
            .0,
        201
    );
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

async fn pay_declined(stack: &Stack, fan: &Fan, reservation: &str, key: &str) -> (u16, Value) {
    let app = stack.app(0);
    body(
        app.client
            .post(app.url("/api/payments/process"))
            .bearer_auth(&fan.token)
            .header("idempotency-key", key)
            .json(&json!({"reservationId": reservation, "paymentMethod": "kakao_pay", "simulate": "decline"}))
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_payment_retry_after_the_reservation_moved_on_answers_the_truth_not_402(pool: PgPool) {
    let stack = Stack::start(
        pool,
        Options {
            hold_seconds: 3,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(3).await;
    let hold = |fan: usize, seat: usize| {
        let (stack, fans, seats) = (&stack, &fans, &seats);
        async move {
            let (s, b) = body(
                stack
                    .reserve(0, &fans[fan], event, &seats[seat..seat + 1])
                    .await,
            )
            .await;
            assert_eq!(s, 201, "{b}");
            b["reservation"]["id"].as_str().unwrap().to_string()
        }
    };
    // Paid with another key after a declined attempt: retrying the declined attempt says so.
    let paid = hold(0, 0).await;
    assert_eq!(pay_declined(&stack, &fans[0], &paid, "d1").await.0, 402);
    let (s, ok) = body(stack.pay(0, &fans[0], &paid, "p1").await).await;
    assert_eq!(s, 200);
    let (s, err) = pay_declined(&stack, &fans[0], &paid, "d1").await;
    assert_eq!(
        (s, err["error"]["code"].as_str()),
        (409, Some("RESERVATION_ALREADY_PAID"))
    );
    // The winning key still gets its payment back.
    let (s, again) = body(stack.pay(0, &fans[0], &paid, "p1").await).await;
    assert_eq!(s, 200);
    assert_eq!(again["payment"]["id"], ok["payment"]["id"]);

    // Cancelled after a declined attempt.
    let cancelled = hold(1, 1).await;
    assert_eq!(
        pay_declined(&stack, &fans[1], &cancelled, "d2").await.0,
        402
    );
    assert_eq!(
        body(stack.cancel(0, &fans[1], &cancelled).await).await.0,
        200
    );
    let (s, err) = pay_declined(&stack, &fans[1], &cancelled, "d2").await;
    assert_eq!(
        (s, err["error"]["code"].as_str()),
        (409, Some("RESERVATION_CANCELLED"))
    );

    // Expired after a declined attempt.
    let expired = hold(2, 2).await;
    assert_eq!(pay_declined(&stack, &fans[2], &expired, "d3").await.0, 402);
    // The sweeper expires the 3 s hold.
    eventually("the hold expired", Duration::from_secs(15), || async {
        let view = body(
            stack
                .app(0)
                .get_auth(&format!("/api/reservations/{expired}"), &fans[2].token)
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
    let (s, err) = pay_declined(&stack, &fans[2], &expired, "d3").await;
    assert_eq!(
        (s, err["error"]["code"].as_str()),
        (410, Some("RESERVATION_EXPIRED"))
    );
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_key_reused_with_another_body_is_422_while_the_first_request_is_still_in_line(
    pool: PgPool,
) {
    // No worker: the first request stays undecided.
    let stack = Stack::start(
        pool,
        Options {
            workers: 0,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    let send = |seats: Vec<Uuid>| {
        stack
            .reserve_request(0, &fans[0], event, &seats)
            .header("idempotency-key", "in-line")
            .header("prefer", "respond-async")
            .send()
    };
    let (s, first) = body(send(vec![seats[0]]).await.unwrap()).await;
    assert_eq!(s, 202, "{first}");
    error_of(
        send(vec![seats[1]]).await.unwrap(),
        422,
        "IDEMPOTENCY_KEY_REUSED",
    )
    .await;
    // The same body again is the same request, still pending.
    let (s, again) = body(send(vec![seats[0]]).await.unwrap()).await;
    assert_eq!(s, 202);
    assert_eq!(again["requestId"], first["requestId"]);
    stack.stop().await;
}
