use std::time::Duration;

use rand::{seq::SliceRandom, Rng, SeedableRng};
use sqlx::PgPool;
use tiketi_testkit::{
    assert_invariants, body, eventually, sections, wait_for_no_pending, Fan, Options, Stack,
};
use uuid::Uuid;

/// One fan's random session: reserve overlapping seats or general-admission tickets, then
/// pay, cancel, pay-then-cancel, or walk away and let the hold expire.
async fn session(
    stack: &Stack,
    fan: &Fan,
    n: usize,
    seated: (Uuid, &[Uuid]),
    ga: (Uuid, &[Uuid]),
    seed: u64,
) -> [u32; 4] {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut counts = [0u32; 4]; // reserved, rejected, paid, cancelled
    for round in 0..8 {
        // Pacing: spread the rounds over a few hold lifetimes so expiries free seats mid-run.
        tokio::time::sleep(std::time::Duration::from_millis(rng.gen_range(0..600))).await;
        let app = rng.gen_range(0..2);
        let res = if rng.gen_bool(0.7) {
            let k = rng.gen_range(1..=3);
            let seats: Vec<Uuid> = seated.1.choose_multiple(&mut rng, k).copied().collect();
            stack.reserve(app, fan, seated.0, &seats).await
        } else {
            let t = *ga.1.choose(&mut rng).unwrap();
            stack
                .order(app, fan, ga.0, &[(t, rng.gen_range(1..=3))])
                .await
        };
        let (status, b) = body(res).await;
        match status {
            201 => counts[0] += 1,
            409 | 422 => {
                counts[1] += 1;
                continue;
            }
            other => panic!("reserve answered {other}: {b}"),
        }
        let id = b["reservation"]["id"].as_str().unwrap().to_string();
        match rng.gen_range(0..10) {
            0..=4 => {
                let (s, p) = body(
                    stack
                        .pay(rng.gen_range(0..2), fan, &id, &format!("{n}-{round}"))
                        .await,
                )
                .await;
                assert!(s == 200 || s == 409, "pay answered {s}: {p}");
                if s == 200 {
                    counts[2] += 1;
                    if rng.gen_bool(0.3) {
                        let (s, c) = body(stack.cancel(rng.gen_range(0..2), fan, &id).await).await;
                        assert_eq!(s, 200, "{c}");
                        counts[3] += 1;
                    }
                }
            }
            5..=6 => {
                let (s, c) = body(stack.cancel(app, fan, &id).await).await;
                assert!(s == 200 || s == 409, "cancel answered {s}: {c}");
                if s == 200 {
                    counts[3] += 1;
                }
            }
            // Walk away: the sweeper expires the hold after HOLD_SECONDS.
            _ => {}
        }
    }
    counts
}

#[sqlx::test(migrations = "../migrations")]
async fn random_concurrent_workload_keeps_every_invariant(pool: PgPool) {
    let stack = Stack::start(
        pool,
        Options {
            apis: 2,
            workers: 2,
            hold_seconds: 2,
            ..Default::default()
        },
    )
    .await;
    // Few seats and little stock, so fans collide constantly.
    let (seated, seats) = stack.seated_event(sections(&[("A", 3, 10, 90_000)])).await;
    let (ga, types) = stack.ga_event(&[15, 10]).await;
    let fans = stack.fans(60).await;
    let sessions = fans.iter().enumerate().map(|(i, fan)| {
        session(
            &stack,
            fan,
            i,
            (seated, &seats),
            (ga, &types),
            0x7161 + i as u64,
        )
    });
    let totals =
        futures::future::join_all(sessions)
            .await
            .into_iter()
            .fold([0u32; 4], |mut acc, c| {
                for i in 0..4 {
                    acc[i] += c[i];
                }
                acc
            });
    let [reserved, rejected, paid, cancelled] = totals;
    assert!(
        reserved > 40 && rejected > 40 && paid > 10 && cancelled > 5,
        "workload too tame: {totals:?}"
    );

    // Invariants hold mid-flight (holds still pending) and after every hold has expired.
    assert_invariants(&stack.pool).await;
    wait_for_no_pending(&stack.pool, Duration::from_secs(15)).await;
    assert_invariants(&stack.pool).await;
    let expired: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reservations WHERE status = 'expired'")
            .fetch_one(&stack.pool)
            .await
            .unwrap();
    assert!(expired > 0, "some holds were left to expire");

    // Redis's seat state ends up agreeing with Postgres, seat by seat.
    let redis = tiketi_core::infra::redis::connect(&stack.api_config.infra)
        .await
        .unwrap();
    let state = tiketi_core::reservation::seat_state::SeatState::new(stack.keys());
    let truth: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, status FROM seats WHERE event_id = $1")
            .bind(seated)
            .fetch_all(&stack.pool)
            .await
            .unwrap();
    let believed = eventually("Redis agrees with Postgres", Duration::from_secs(5), || {
        let (mut redis, state, truth) = (redis.clone(), &state, &truth);
        async move {
            let believed = state.all(&mut redis, seated).await.unwrap();
            let disagree = truth
                .iter()
                .filter(|(id, status)| {
                    believed.get(id).map(String::as_str).unwrap_or("available") != status
                })
                .count();
            match disagree {
                0 => Ok(believed),
                n => Err(format!("{n} seats disagree")),
            }
        }
    })
    .await;
    for (id, status) in truth {
        assert_eq!(
            believed.get(&id).map(String::as_str).unwrap_or("available"),
            status,
            "seat {id}"
        );
    }
    stack.stop().await;
}
