mod support;

use sqlx::PgPool;
use support::assert_invariants;
use tiketi_core::{event, seed};

#[sqlx::test(migrations = "../migrations")]
async fn the_seed_is_idempotent_consistent_and_covers_every_status(pool: PgPool) {
    let first = seed::load(&pool).await.unwrap();
    assert_eq!(first.events_created, 26);
    let counts = |pool: PgPool| async move {
        sqlx::query_as::<_, (i64, i64, i64, i64)>(
            "SELECT (SELECT COUNT(*) FROM events), (SELECT COUNT(*) FROM seats),
                    (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM payments)",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let before = counts(pool.clone()).await;
    let second = seed::load(&pool).await.unwrap();
    assert_eq!(second.events_created, 0);
    assert_eq!(
        counts(pool.clone()).await,
        before,
        "a second load adds nothing"
    );
    assert_eq!(before.2, 2 + i64::from(seed::LOADTEST_FANS));

    let statuses: Vec<String> = sqlx::query_scalar("SELECT DISTINCT status FROM events ORDER BY 1")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        statuses,
        ["cancelled", "ended", "on_sale", "sold_out", "upcoming"]
    );
    assert_invariants(&pool).await;
    // The clock agrees with the seeded statuses: nothing needs to move.
    assert_eq!(event::advance_statuses(&pool).await.unwrap(), vec![]);
}
