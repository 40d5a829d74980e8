//! The waiting room against real Redis, Postgres and RabbitMQ, with the sweeper admitting:
//! arrival order, the shuffled pre-queue, `max_active`, abandoned tabs, ETAs and every
//! admission-token rule.

use std::{
    collections::HashSet,
    time::{Duration, Instant},
};

use serde_json::{json, Value};
use tiketi_core::{waiting_room::admission::Admissions, waiting_room::WaitingRoom};
use tiketi_testkit::{body, eventually, sections, Fan, Options, Stack};
use uuid::Uuid;

struct Settings {
    strategy: &'static str,
    rate_per_minute: i32,
    max_active: i32,
    window_seconds: i32,
    shuffle: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            strategy: "rate",
            rate_per_minute: 60_000,
            max_active: 500,
            window_seconds: 600,
            shuffle: false,
        }
    }
}

async fn enable_queue(stack: &Stack, event: Uuid, s: Settings) {
    sqlx::query(
        "UPDATE events SET queue_enabled = true, queue_strategy = $2, queue_rate_per_minute = $3,
                queue_max_active = $4, queue_window_seconds = $5, prequeue_shuffle = $6
         WHERE id = $1",
    )
    .bind(event)
    .bind(s.strategy)
    .bind(s.rate_per_minute)
    .bind(s.max_active)
    .bind(s.window_seconds)
    .bind(s.shuffle)
    .execute(&stack.pool)
    .await
    .unwrap();
}

async fn join(stack: &Stack, fan: &Fan, event: Uuid) -> (u16, Value) {
    let app = stack.app(0);
    body(
        app.client
            .post(app.url(&format!("/api/queue/{event}/join")))
            .bearer_auth(&fan.token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn status(stack: &Stack, fan: &Fan, event: Uuid) -> (u16, Value) {
    let app = stack.app(0);
    body(
        app.client
            .get(app.url(&format!("/api/queue/{event}/status")))
            .bearer_auth(&fan.token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn reserve_with(
    stack: &Stack,
    fan: &Fan,
    event: Uuid,
    seats: &[Uuid],
    token: Option<&str>,
) -> (u16, Value) {
    let app = stack.app(0);
    let mut req = app
        .client
        .post(app.url("/api/seats/reserve"))
        .bearer_auth(&fan.token)
        .json(&json!({"eventId": event, "seatIds": seats}));
    if let Some(t) = token {
        req = req.header("x-admission-token", t);
    }
    body(req.send().await.unwrap()).await
}

async fn pay_with(
    stack: &Stack,
    fan: &Fan,
    reservation: &str,
    token: Option<&str>,
) -> (u16, Value) {
    let app = stack.app(0);
    let mut req = app
        .client
        .post(app.url("/api/payments/process"))
        .bearer_auth(&fan.token)
        .header("idempotency-key", format!("pay-{reservation}"))
        .json(&json!({"reservationId": reservation, "paymentMethod": "naver_pay"}));
    if let Some(t) = token {
        req = req.header("x-admission-token", t);
    }
    body(req.send().await.unwrap()).await
}

/// Polls until the fan is admitted; returns the admission token. Every poll is the fan's
/// heartbeat too, so it goes out at the pace a browser's would (200 ms), not faster.
async fn admitted(stack: &Stack, fan: &Fan, event: Uuid, within: Duration) -> String {
    eventually("admitted", within, || async {
        let (code, s) = status(stack, fan, event).await;
        assert_eq!(code, 200, "{s}");
        if s["status"] == "admitted" {
            return Ok(s["admissionToken"].as_str().unwrap().to_string());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        Err(s)
    })
    .await
}

fn room(stack: &Stack) -> WaitingRoom {
    WaitingRoom::new(stack.keys())
}

/// The admission log: tickets in the order they were admitted.
async fn admission_log(stack: &Stack, event: Uuid) -> Vec<u64> {
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    redis::cmd("LRANGE")
        .arg(stack.keys().room(event).log)
        .arg(0)
        .arg(-1)
        .query_async(&mut redis)
        .await
        .unwrap()
}

/// The admission log once it has `n` entries (the caller asserts what they are).
async fn wait_for_log(stack: &Stack, event: Uuid, n: usize, within: Duration) -> Vec<u64> {
    eventually("admission log", within, || async {
        let log = admission_log(stack, event).await;
        match log.len() >= n {
            true => Ok(log),
            false => Err(format!("{} of {n} admitted", log.len())),
        }
    })
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_thousand_fans_are_admitted_in_exactly_the_order_they_joined(pool: sqlx::PgPool) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, _) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    enable_queue(&stack, event, Settings::default()).await;
    let fans = stack.fans(1000).await;
    let mut tickets = Vec::new();
    for fan in &fans {
        let (code, s) = join(&stack, fan, event).await;
        assert_eq!(code, 200, "{s}");
        tickets.push(s["ticket"].as_u64().unwrap());
    }
    // Joining again keeps the place.
    let (_, again) = join(&stack, &fans[0], event).await;
    assert_eq!(again["ticket"].as_u64(), Some(tickets[0]));
    assert!(
        tickets.windows(2).all(|w| w[0] < w[1]),
        "tickets follow arrival"
    );

    let log = wait_for_log(&stack, event, 1000, Duration::from_secs(60)).await;
    assert_eq!(log, tickets, "admitted in exactly the join order");
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let audit = room(&stack).order_audit(&mut redis, event).await.unwrap();
    assert_eq!((audit.admitted, audit.inversions), (1000, 0));
    // Every fan sees their own admission.
    for fan in fans.iter().step_by(97) {
        let (_, s) = status(&stack, fan, event).await;
        assert_eq!(s["status"], "admitted", "{s}");
    }
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_shuffled_prequeue_is_a_permutation_of_its_fans_and_later_fans_come_after(
    pool: sqlx::PgPool,
) {
    let stack = Stack::start(pool.clone(), Options::default()).await;
    let (event, _) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    enable_queue(
        &stack,
        event,
        Settings {
            shuffle: true,
            ..Default::default()
        },
    )
    .await;
    sqlx::query(
        "UPDATE events SET status = 'upcoming', sale_start = now() + interval '10 seconds' WHERE id = $1",
    )
    .bind(event)
    .execute(&pool)
    .await
    .unwrap();
    let early = stack.fans(200).await;
    let mut set = tokio::task::JoinSet::new();
    let stack = std::sync::Arc::new(stack);
    for fan in early {
        let stack = stack.clone();
        set.spawn(async move {
            let (code, s) = join(&stack, &fan, event).await;
            assert_eq!(code, 200, "{s}");
            assert_eq!(s["status"], "prequeue", "{s}");
            assert!(s["etaSeconds"].is_u64(), "{s}");
            s["ticket"].as_u64().unwrap()
        });
    }
    let pre: HashSet<u64> = set.join_all().await.into_iter().collect();
    assert_eq!(pre.len(), 200);
    let before_sale: bool = sqlx::query_scalar(
        "SELECT now() < sale_start - interval '1 second' FROM events WHERE id = $1",
    )
    .bind(event)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        before_sale,
        "the machine is too slow: the pre-queue fans did not all join before sale start"
    );
    let late = stack.fans(50).await;
    // Fans who come after sale start, in a known order.
    eventually("sale opened", Duration::from_secs(20), || async {
        let (code, s) = join(&stack, &late[0], event).await;
        if code == 200 && s["status"] != "prequeue" {
            return Ok(());
        }
        if code == 200 {
            // Still before sale start: this fan would be part of the pre-queue. Leave.
            let app = stack.app(0);
            app.client
                .delete(app.url(&format!("/api/queue/{event}")))
                .bearer_auth(&late[0].token)
                .send()
                .await
                .unwrap();
        }
        Err(s)
    })
    .await;
    let mut later = vec![join(&stack, &late[0], event).await.1["ticket"]
        .as_u64()
        .unwrap()];
    for fan in &late[1..] {
        later.push(join(&stack, fan, event).await.1["ticket"].as_u64().unwrap());
    }

    let log = wait_for_log(&stack, event, 250, Duration::from_secs(60)).await;
    assert_eq!(log.len(), 250);
    let (first, rest) = log.split_at(200);
    assert_eq!(
        first.iter().copied().collect::<HashSet<_>>(),
        pre,
        "the pre-queue is admitted first, each fan once"
    );
    let mut sorted = first.to_vec();
    sorted.sort_unstable();
    assert_ne!(first, sorted.as_slice(), "the pre-queue was shuffled");
    assert_eq!(rest, later.as_slice(), "later fans follow in join order");
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let audit = room(&stack).order_audit(&mut redis, event).await.unwrap();
    assert_eq!(audit.inversions, 0);
    std::sync::Arc::into_inner(stack).unwrap().stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn max_active_is_never_exceeded_and_leaving_frees_the_slot(pool: sqlx::PgPool) {
    let stack = std::sync::Arc::new(Stack::start(pool, Options::default()).await);
    let (event, _) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    enable_queue(
        &stack,
        event,
        Settings {
            strategy: "max_active",
            max_active: 4,
            window_seconds: 2,
            ..Default::default()
        },
    )
    .await;
    let fans = stack.fans(24).await;
    for fan in &fans {
        assert_eq!(join(&stack, fan, event).await.0, 200);
    }
    // Every fan polls (their heartbeat); half give their slot up soon after admission.
    let mut set = tokio::task::JoinSet::new();
    for (i, fan) in fans.into_iter().enumerate() {
        let stack = stack.clone();
        set.spawn(async move {
            admitted(&stack, &fan, event, Duration::from_secs(60)).await;
            if i % 2 == 0 {
                // Pacing: shop for a moment before giving the slot up.
                tokio::time::sleep(Duration::from_millis(100)).await;
                let app = stack.app(0);
                let res = app
                    .client
                    .delete(app.url(&format!("/api/queue/{event}")))
                    .bearer_auth(&fan.token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 204);
            }
        });
    }
    let wr = room(&stack);
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let mut samples = 0;
    let mut peak = 0;
    while !set.is_empty() {
        let (_, active) = wr.counts(&mut redis, event).await.unwrap();
        assert!(
            active <= 4,
            "{active} shoppers inside, more than max_active 4"
        );
        peak = peak.max(active);
        samples += 1;
        if let Some(done) = set.try_join_next() {
            done.unwrap();
        }
        // Pacing: the sampling interval of the occupancy check.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(samples > 50, "sampled often ({samples})");
    assert_eq!(peak, 4, "the room filled up to max_active");
    assert_eq!(admission_log(&stack, event).await.len(), 24);
    std::sync::Arc::into_inner(stack).unwrap().stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn fans_who_stop_heartbeating_are_skipped_and_do_not_slow_the_line(pool: sqlx::PgPool) {
    let stack = std::sync::Arc::new(
        Stack::start(
            pool.clone(),
            Options {
                queue_heartbeat_timeout: Duration::from_secs(2),
                ..Default::default()
            },
        )
        .await,
    );
    let (event, _) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    enable_queue(
        &stack,
        event,
        Settings {
            rate_per_minute: 600,
            ..Default::default()
        },
    )
    .await;
    sqlx::query(
        "UPDATE events SET status = 'upcoming', sale_start = now() + interval '8 seconds' WHERE id = $1",
    )
    .bind(event)
    .execute(&pool)
    .await
    .unwrap();
    // Abandoned tabs join first, then fans who keep polling, interleaved.
    let fans = stack.fans(40).await;
    let (mut gone, mut present) = (Vec::new(), Vec::new());
    for (i, fan) in fans.into_iter().enumerate() {
        assert_eq!(join(&stack, &fan, event).await.0, 200);
        if i < 10 || i % 3 == 0 {
            gone.push(fan);
        } else {
            present.push(fan);
        }
    }
    let mut set = tokio::task::JoinSet::new();
    for fan in present {
        let stack = stack.clone();
        set.spawn(async move {
            let token = admitted(&stack, &fan, event, Duration::from_secs(30)).await;
            (fan.id, token, Instant::now())
        });
    }
    let results = set.join_all().await;
    let opened_at = results.iter().map(|r| r.2).min().unwrap();
    let last = results.iter().map(|r| r.2).max().unwrap();
    // 20 present fans at 10 per second: two seconds, however many abandoned tabs joined.
    assert!(
        last.duration_since(opened_at) < Duration::from_millis(3500),
        "the line took {:?}",
        last.duration_since(opened_at)
    );
    for fan in &gone {
        let (code, s) = status(&stack, fan, event).await;
        assert_eq!((code, s["status"].as_str()), (200, Some("expired")), "{s}");
    }
    assert_eq!(admission_log(&stack, event).await.len(), results.len());
    std::sync::Arc::into_inner(stack).unwrap().stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn eta_predicts_the_wait_within_twenty_percent_at_a_steady_rate(pool: sqlx::PgPool) {
    let stack = std::sync::Arc::new(Stack::start(pool, Options::default()).await);
    let (event, _) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    enable_queue(
        &stack,
        event,
        Settings {
            rate_per_minute: 1200,
            ..Default::default()
        },
    )
    .await;
    let fans = stack.fans(400).await;
    for fan in &fans {
        assert_eq!(join(&stack, fan, event).await.0, 200);
    }
    // Let the rate be measured, then read the ETA of every fourth fan still waiting and
    // time their actual wait. Pacing: the ETA comes from the admission rate over the last
    // seconds, so there is nothing to poll for; the fans keep waiting meanwhile.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let mut set = tokio::task::JoinSet::new();
    for fan in fans.into_iter().step_by(4) {
        let stack = stack.clone();
        set.spawn(async move {
            let (_, s) = status(&stack, &fan, event).await;
            let asked = Instant::now();
            if s["status"] != "waiting" {
                return None;
            }
            let eta = s["etaSeconds"].as_u64().unwrap() as f64;
            admitted(&stack, &fan, event, Duration::from_secs(60)).await;
            Some((eta, asked.elapsed().as_secs_f64()))
        });
    }
    let mut checked = 0;
    for (eta, actual) in set.join_all().await.into_iter().flatten() {
        // Below five seconds, whole-second ETAs and 200 ms polling are too coarse.
        if actual < 5.0 {
            continue;
        }
        checked += 1;
        assert!(
            (eta - actual).abs() <= 0.2 * actual,
            "ETA {eta}s, actual wait {actual:.2}s"
        );
    }
    assert!(
        checked >= 20,
        "only {checked} fans waited long enough to check"
    );
    std::sync::Arc::into_inner(stack).unwrap().stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn admission_tokens_are_required_bound_and_revoked(pool: sqlx::PgPool) {
    let stack = Stack::start(pool.clone(), Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 2, 5, 100_000)])).await;
    let (other_event, other_seats) = stack.seated_event(sections(&[("R", 1, 2, 100_000)])).await;
    let (ga, types) = stack.ga_event(&[10]).await;
    for e in [event, other_event, ga] {
        enable_queue(
            &stack,
            e,
            Settings {
                strategy: "max_active",
                max_active: 2,
                window_seconds: 60,
                ..Default::default()
            },
        )
        .await;
    }
    let fans = stack.fans(6).await;
    let (a, b, c, d, e) = (&fans[0], &fans[1], &fans[2], &fans[3], &fans[4]);

    // Not in the waiting room: no reserve, no order.
    let (code, err) = reserve_with(&stack, a, event, &seats[..1], None).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("QUEUE_TOKEN_REQUIRED"))
    );
    let app = stack.app(0);
    let (code, err) = body(
        app.client
            .post(app.url("/api/reservations"))
            .bearer_auth(&a.token)
            .json(&json!({"eventId": ga, "items": [{"ticketTypeId": types[0], "quantity": 1}]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("QUEUE_TOKEN_REQUIRED"))
    );

    // A and B are admitted (max_active 2); C waits and cannot reserve with junk.
    for fan in [a, b, c] {
        join(&stack, fan, event).await;
    }
    let token_a = admitted(&stack, a, event, Duration::from_secs(10)).await;
    let token_b = admitted(&stack, b, event, Duration::from_secs(10)).await;
    let (_, s) = status(&stack, c, event).await;
    assert_eq!(s["status"], "waiting", "{s}");
    assert_eq!(s["ahead"], 0);
    for junk in ["", "not-a-token", &token_a] {
        let (code, err) = reserve_with(&stack, c, event, &seats[..1], Some(junk)).await;
        let expected = if junk.is_empty() {
            "QUEUE_TOKEN_REQUIRED"
        } else {
            "QUEUE_TOKEN_INVALID"
        };
        assert_eq!(
            (code, err["error"]["code"].as_str()),
            (403, Some(expected)),
            "{junk}"
        );
    }
    // A's token is not valid for another event, nor when signed with another key.
    join(&stack, a, other_event).await;
    let (code, err) = reserve_with(&stack, a, other_event, &other_seats[..1], Some(&token_a)).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("QUEUE_TOKEN_INVALID"))
    );
    let claims = Admissions::new(&stack.api_config.jwt_secret)
        .decode(&token_a, a.id, event)
        .unwrap();
    let forged = Admissions::new("some-other-secret-0123456789").issue(
        a.id,
        event,
        claims.tkt,
        chrono::Utc::now(),
        chrono::Utc::now() + chrono::Duration::minutes(5),
    );
    let (code, _) = reserve_with(&stack, a, event, &seats[..1], Some(&forged)).await;
    assert_eq!(code, 403);

    // A reserves and pays with the token; paying ends the admission and frees the slot,
    // so C is admitted at once rather than after A's 60 s window.
    let (code, held) = reserve_with(&stack, a, event, &seats[..1], Some(&token_a)).await;
    assert_eq!(code, 201, "{held}");
    let reservation = held["reservation"]["id"].as_str().unwrap().to_string();
    let (code, err) = pay_with(&stack, a, &reservation, None).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("QUEUE_TOKEN_REQUIRED"))
    );
    let (code, paid) = pay_with(&stack, a, &reservation, Some(&token_a)).await;
    assert_eq!(code, 200, "{paid}");
    // Within 5 s, far less than A's 60 s window: the payment freed the slot. How long it
    // took is logged, not asserted (a busy machine would break any tighter bound).
    let freed = Instant::now();
    let token_c = admitted(&stack, c, event, Duration::from_secs(5)).await;
    eprintln!("C admitted {:?} after A paid", freed.elapsed());
    // The same payment retried (lost response) still answers, although the admission ended.
    let (code, again) = pay_with(&stack, a, &reservation, Some(&token_a)).await;
    assert_eq!(
        (code, &again["payment"]["id"]),
        (200, &paid["payment"]["id"])
    );
    let (code, err) = reserve_with(&stack, a, event, &seats[1..2], Some(&token_a)).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("QUEUE_TOKEN_INVALID"))
    );
    assert_eq!(status(&stack, a, event).await.1["status"], "expired");

    // Cancelling ends the admission too.
    let (code, held) = reserve_with(&stack, b, event, &seats[2..3], Some(&token_b)).await;
    assert_eq!(code, 201, "{held}");
    let res = stack
        .cancel(0, b, held["reservation"]["id"].as_str().unwrap())
        .await;
    assert_eq!(res.status(), 200);
    let (code, err) = reserve_with(&stack, b, event, &seats[3..4], Some(&token_b)).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("QUEUE_TOKEN_INVALID"))
    );

    // The shopping window ending ends the token.
    sqlx::query("UPDATE events SET queue_window_seconds = 1 WHERE id = $1")
        .bind(event)
        .execute(&pool)
        .await
        .unwrap();
    // Pacing, kept from before: a second passes after the window shrinks to 1 s, before
    // D and E join.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for fan in [d, e] {
        join(&stack, fan, event).await;
    }
    let token_d = admitted(&stack, d, event, Duration::from_secs(10)).await;
    // Pacing: D's 1 s shopping window runs out; what a late token gets is the point.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (code, err) = reserve_with(&stack, d, event, &seats[4..5], Some(&token_d)).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("QUEUE_TOKEN_INVALID"))
    );
    assert_eq!(status(&stack, d, event).await.1["status"], "expired");

    // C's admission (with the window it was given) still works; an event without the
    // waiting room needs no token.
    let (code, held) = reserve_with(&stack, c, event, &seats[5..6], Some(&token_c)).await;
    assert_eq!(code, 201, "{held}");
    let (plain, plain_seats) = stack.seated_event(sections(&[("R", 1, 2, 100_000)])).await;
    let (code, held) = reserve_with(&stack, d, plain, &plain_seats[..1], None).await;
    assert_eq!(code, 201, "{held}");

    // Someone who never joined gets a clear answer from status; events without a room say so.
    let (code, err) = status(&stack, &fans[5], event).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (404, Some("QUEUE_NOT_JOINED"))
    );
    let (code, err) = join(&stack, &fans[5], plain).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (400, Some("QUEUE_NOT_ENABLED"))
    );
    tiketi_testkit::assert_invariants(&stack.pool).await;
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn a_hold_made_under_an_admission_ends_no_later_than_the_admission(pool: sqlx::PgPool) {
    // Holds last five minutes, admissions twenty seconds: the hold must not outlive the
    // admission it needs to be paid.
    let stack = Stack::start(pool, Options::default()).await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    enable_queue(
        &stack,
        event,
        Settings {
            window_seconds: 20,
            ..Default::default()
        },
    )
    .await;
    let fans = stack.fans(1).await;
    assert_eq!(join(&stack, &fans[0], event).await.0, 200);
    let token = admitted(&stack, &fans[0], event, Duration::from_secs(10)).await;
    let (_, place) = status(&stack, &fans[0], event).await;
    let admission_ends =
        chrono::DateTime::parse_from_rfc3339(place["expiresAt"].as_str().unwrap()).unwrap();
    let (code, held) = reserve_with(&stack, &fans[0], event, &seats[..1], Some(&token)).await;
    assert_eq!(code, 201, "{held}");
    let hold_ends =
        chrono::DateTime::parse_from_rfc3339(held["expiresAt"].as_str().unwrap()).unwrap();
    assert!(
        hold_ends <= admission_ends,
        "hold ends {hold_ends}, admission {admission_ends}"
    );
    assert!(hold_ends > chrono::Utc::now() + chrono::Duration::seconds(5));
    stack.stop().await;
}

async fn join_with_pow(stack: &Stack, fan: &Fan, event: Uuid, solution: &str) -> (u16, Value) {
    let app = stack.app(0);
    body(
        app.client
            .post(app.url(&format!("/api/queue/{event}/join")))
            .bearer_auth(&fan.token)
            .header("x-altcha", solution)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn challenge(stack: &Stack, fan: &Fan, event: Uuid) -> (u16, Value) {
    let app = stack.app(0);
    body(
        app.client
            .get(app.url(&format!("/api/queue/{event}/challenge")))
            .bearer_auth(&fan.token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_proof_of_work_room_admits_only_fresh_solutions_of_this_fan_and_event(
    pool: sqlx::PgPool,
) {
    let stack = Stack::start(pool, Options::default()).await;
    let (event, _) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let (plain, _) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    for e in [event, plain] {
        enable_queue(&stack, e, Settings::default()).await;
    }
    sqlx::query("UPDATE events SET pow_difficulty = 5000 WHERE id = $1")
        .bind(event)
        .execute(&stack.pool)
        .await
        .unwrap();
    let fans = stack.fans(2).await;
    let (code, err) = join(&stack, &fans[0], event).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (403, Some("POW_REQUIRED"))
    );

    let (code, c) = challenge(&stack, &fans[0], event).await;
    assert_eq!(code, 200, "{c}");
    assert_eq!(c["algorithm"], "SHA-256");
    assert_eq!(c["maxnumber"], 5000);
    let issued = tiketi_core::guard::pow::Challenge {
        algorithm: c["algorithm"].as_str().unwrap().into(),
        challenge: c["challenge"].as_str().unwrap().into(),
        maxnumber: c["maxnumber"].as_u64().unwrap(),
        salt: c["salt"].as_str().unwrap().into(),
        signature: c["signature"].as_str().unwrap().into(),
    };
    let solution = tiketi_core::guard::pow::solve(&issued).expect("solvable");
    // Another fan cannot use it, nor can garbage pass.
    for (fan, sol) in [
        (&fans[1], solution.as_str()),
        (&fans[0], "bm90IGEgc29sdXRpb24="),
    ] {
        let (code, err) = join_with_pow(&stack, fan, event, sol).await;
        assert_eq!(
            (code, err["error"]["code"].as_str()),
            (403, Some("POW_INVALID"))
        );
    }
    let (code, place) = join_with_pow(&stack, &fans[0], event, &solution).await;
    assert_eq!(code, 200, "{place}");
    // In line already: joining again keeps the place without a new challenge.
    assert_eq!(join(&stack, &fans[0], event).await.0, 200);
    // Out of line, the used solution does not buy a second place.
    let app = stack.app(0);
    let left = app
        .client
        .delete(app.url(&format!("/api/queue/{event}")))
        .bearer_auth(&fans[0].token)
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 204);
    let (code, err) = join_with_pow(&stack, &fans[0], event, &solution).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (409, Some("POW_ALREADY_USED"))
    );
    // A room without proof-of-work needs none and offers no challenge.
    let (code, err) = challenge(&stack, &fans[1], plain).await;
    assert_eq!(
        (code, err["error"]["code"].as_str()),
        (400, Some("CHALLENGE_NOT_REQUIRED"))
    );
    assert_eq!(join(&stack, &fans[1], plain).await.0, 200);
    stack.stop().await;
}
