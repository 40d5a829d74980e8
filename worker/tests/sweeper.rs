use std::time::Duration;

use sqlx::PgPool;
use tiketi_core::{
    event,
    reservation::seat_state::{self, SeatState},
};
use tiketi_sweeper::{Sweeper, SweeperConfig};
use tiketi_testkit::{body, eventually, sections, Options, Stack};
use uuid::Uuid;

fn sweeper_config(stack: &Stack) -> SweeperConfig {
    SweeperConfig {
        tick: Duration::from_millis(50),
        lease_ttl: Duration::from_secs(1),
        ..tiketi_testkit::sweeper_config(&stack.api_config)
    }
}

async fn status(pool: &PgPool, id: Uuid) -> String {
    sqlx::query_scalar("SELECT status FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn events_move_through_their_statuses_by_the_database_clock(pool: PgPool) {
    let stack = Stack::start(
        pool.clone(),
        Options {
            sweeper: false,
            ..Default::default()
        },
    )
    .await;
    let (opening, _) = stack.seated_event(sections(&[("R", 1, 2, 100_000)])).await;
    let (full, full_seats) = stack.seated_event(sections(&[("R", 1, 1, 100_000)])).await;
    let (closing, _) = stack.ga_event(&[5]).await;
    let (called_off, _) = stack.seated_event(sections(&[("R", 1, 1, 100_000)])).await;
    sqlx::query("UPDATE events SET status = 'upcoming' WHERE id = $1")
        .bind(opening)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET sale_end = now() - interval '1 second', sale_start = now() - interval '1 hour' WHERE id = $1")
        .bind(closing)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET status = 'cancelled', cancelled_at = now() WHERE id = $1")
        .bind(called_off)
        .execute(&pool)
        .await
        .unwrap();
    let fans = stack.fans(1).await;
    assert_eq!(
        body(stack.reserve(0, &fans[0], full, &full_seats).await)
            .await
            .0,
        201
    );

    let changed = event::advance_statuses(&pool).await.unwrap();
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert_eq!(status(&pool, opening).await, "on_sale");
    assert_eq!(status(&pool, full).await, "sold_out");
    assert_eq!(status(&pool, closing).await, "ended");
    assert_eq!(status(&pool, called_off).await, "cancelled");
    assert!(
        event::advance_statuses(&pool).await.unwrap().is_empty(),
        "a second pass changes nothing"
    );

    // The seat comes back: sold out → on sale.
    let mine = body(
        stack
            .app(0)
            .get_auth("/api/reservations/my", &fans[0].token)
            .await,
    )
    .await
    .1;
    let id = mine["reservations"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(body(stack.cancel(0, &fans[0], &id).await).await.0, 200);
    event::advance_statuses(&pool).await.unwrap();
    assert_eq!(status(&pool, full).await, "on_sale");
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn reconcile_repairs_seat_state_that_drifted_from_postgres(pool: PgPool) {
    let stack = Stack::start(
        pool.clone(),
        Options {
            sweeper: false,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack.seated_event(sections(&[("R", 1, 4, 100_000)])).await;
    let fans = stack.fans(1).await;
    assert_eq!(
        body(stack.reserve(0, &fans[0], event, &seats[..1]).await)
            .await
            .0,
        201
    );
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let state = SeatState::new(stack.keys());
    // Lose the state (a Redis restart) and invent a wrong one.
    let _: () = redis::cmd("DEL")
        .arg(stack.keys().seat_state(event))
        .query_async(&mut redis)
        .await
        .unwrap();
    let _: () = redis::cmd("HSET")
        .arg(stack.keys().seat_state(event))
        .arg(seats[3].to_string())
        .arg("sold:0")
        .query_async(&mut redis)
        .await
        .unwrap();
    let sweeper = Sweeper::new(sweeper_config(&stack), pool.clone())
        .await
        .unwrap();
    assert_eq!(sweeper.reconcile().await.unwrap(), 2);
    assert_eq!(
        state.taken(&mut redis, event, &seats).await.unwrap(),
        [seats[0]]
    );
    assert_eq!(
        sweeper.reconcile().await.unwrap(),
        0,
        "nothing left to repair"
    );
    stack.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn only_one_of_two_sweepers_leads_and_the_other_takes_over(pool: PgPool) {
    let stack = Stack::start(
        pool.clone(),
        Options {
            sweeper: false,
            ..Default::default()
        },
    )
    .await;
    let lease = stack.keys().sweeper_lease();
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let (stop_a, stop_b) = (
        tokio_util::sync::CancellationToken::new(),
        tokio_util::sync::CancellationToken::new(),
    );
    let a = tokio::spawn(
        Sweeper::new(sweeper_config(&stack), pool.clone())
            .await
            .unwrap()
            .run(stop_a.clone()),
    );
    // A leads before B starts.
    eventually("A holds the lease", Duration::from_secs(5), || {
        let (mut redis, lease) = (redis.clone(), lease.clone());
        async move {
            let holder: Option<String> = redis::cmd("GET")
                .arg(&lease)
                .query_async(&mut redis)
                .await
                .unwrap();
            holder.ok_or("no leader yet")
        }
    })
    .await;
    let b = tokio::spawn(
        Sweeper::new(sweeper_config(&stack), pool.clone())
            .await
            .unwrap()
            .run(stop_b.clone()),
    );
    let first: String = redis::cmd("GET")
        .arg(&lease)
        .query_async(&mut redis)
        .await
        .unwrap();
    for _ in 0..10 {
        // Pacing: the lease is watched for a second, across several of B's attempts.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let holder: String = redis::cmd("GET")
            .arg(&lease)
            .query_async(&mut redis)
            .await
            .unwrap();
        assert_eq!(holder, first, "the leader keeps its lease while alive");
    }
    stop_a.cancel();
    a.await.unwrap();
    let next: String = eventually("B took the lease", Duration::from_secs(10), || {
        let (mut redis, lease, first) = (redis.clone(), lease.clone(), first.clone());
        async move {
            let holder: Option<String> = redis::cmd("GET")
                .arg(&lease)
                .query_async(&mut redis)
                .await
                .unwrap();
            match holder {
                Some(h) if h != first => Ok(h),
                other => Err(other),
            }
        }
    })
    .await;
    assert_ne!(next, first, "the stand-by took over");
    stop_b.cancel();
    b.await.unwrap();
    stack.stop().await;
}

/// Reserve and pay at full speed while the reconciler compares Redis with every snapshot:
/// changes on their way (committed, not yet relayed; relayed after the snapshot) are not
/// drift, so with nothing lost the reconciler finds none, and afterwards Redis agrees.
#[sqlx::test(migrations = "../migrations")]
async fn reconcile_finds_no_drift_while_seats_are_reserved_and_paid_at_full_speed(pool: PgPool) {
    let stack = Stack::start(
        pool.clone(),
        Options {
            sweeper: false,
            ..Default::default()
        },
    )
    .await;
    const FANS: usize = 24;
    const ROUNDS: usize = 4;
    let (event, seats) = stack
        .seated_event(sections(&[("R", 4, (FANS * ROUNDS / 4) as i32, 10_000)]))
        .await;
    let fans = stack.fans(FANS).await;
    let state = SeatState::new(stack.keys());
    let done = tokio_util::sync::CancellationToken::new();
    let reconciler = {
        let (pool, state, done) = (pool.clone(), state.clone(), done.clone());
        let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
            .await
            .unwrap();
        tokio::spawn(async move {
            let (mut passes, mut drift) = (0, 0);
            while !done.is_cancelled() {
                drift += seat_state::reconcile(&pool, &mut redis, &state, event)
                    .await
                    .unwrap();
                passes += 1;
            }
            (passes, drift)
        })
    };
    let stack = std::sync::Arc::new(stack);
    let mut buyers = tokio::task::JoinSet::new();
    for (i, fan) in fans.into_iter().enumerate() {
        let (stack, seats) = (stack.clone(), seats.clone());
        buyers.spawn(async move {
            for round in 0..ROUNDS {
                let seat = seats[i * ROUNDS + round];
                let (status, b) = body(stack.reserve(i, &fan, event, &[seat]).await).await;
                assert_eq!(status, 201, "{b}");
                let id = b["reservation"]["id"].as_str().unwrap().to_string();
                let (status, b) =
                    body(stack.pay(i, &fan, &id, &Uuid::new_v4().to_string()).await).await;
                assert_eq!(status, 200, "{b}");
            }
        });
    }
    while let Some(result) = buyers.join_next().await {
        result.unwrap();
    }
    done.cancel();
    let (passes, drift) = reconciler.await.unwrap();
    assert!(
        passes > 1,
        "the reconciler ran during the load ({passes} passes)"
    );
    assert_eq!(
        drift, 0,
        "no seat state was lost, so none may count as drift"
    );

    tiketi_testkit::eventually(
        "every seat change relayed",
        Duration::from_secs(10),
        || async {
            let unpublished: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM outbox WHERE event_id = $1 AND published_at IS NULL",
            )
            .bind(event)
            .fetch_one(&pool)
            .await
            .unwrap();
            if unpublished == 0 {
                Ok(())
            } else {
                Err(unpublished)
            }
        },
    )
    .await;
    let mut redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let shown = state.all(&mut redis, event).await.unwrap();
    let sold = seats
        .iter()
        .filter(|s| shown.get(*s).map(String::as_str) == Some("sold"));
    assert_eq!(sold.count(), FANS * ROUNDS, "every paid seat shows as sold");
    assert_eq!(
        seat_state::reconcile(&pool, &mut redis, &state, event)
            .await
            .unwrap(),
        0
    );
    tiketi_testkit::assert_invariants(&pool).await;
    std::sync::Arc::into_inner(stack).unwrap().stop().await;
}
