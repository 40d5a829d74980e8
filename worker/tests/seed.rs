use sqlx::PgPool;
use tiketi_core::{event, seed};
use tiketi_testkit::assert_invariants;

#[sqlx::test(migrations = "../migrations")]
async fn the_seed_is_idempotent_consistent_and_covers_every_status(pool: PgPool) {
    let first = seed::load(&pool).await.unwrap();
    assert_eq!(first.events_created, 27);
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

    // Every event has its names in both languages, and search finds them in either.
    let untranslated: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE title_en = '' OR artist_en = ''")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(untranslated, 0);
    let found = |q: &'static str| {
        let pool = pool.clone();
        async move {
            let query = event::ListQuery {
                status: None,
                q: Some(q.into()),
                page: 1,
                limit: 50,
            };
            let mut ids: Vec<_> = event::list(&pool, &query)
                .await
                .unwrap()
                .events
                .into_iter()
                .map(|e| e.id)
                .collect();
            let first = ids.first().copied();
            ids.sort();
            (first, ids)
        }
    };
    let (nova, _) = found("노바").await;
    assert_eq!(nova, Some(seed::event_id(3)));
    assert_eq!(found("NOVA").await.0, nova);
    let (_, jazz) = found("jazz").await;
    assert_eq!(jazz, found("재즈").await.1);
    assert_eq!(jazz.len(), 2, "the jazz night and the jazz festival");
}
