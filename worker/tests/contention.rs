use sqlx::PgPool;
use tiketi_testkit::{assert_invariants, body, sections, Options, Stack};

#[sqlx::test(migrations = "../migrations")]
async fn two_hundred_fans_on_one_seat_get_one_hold_and_199_conflicts(pool: PgPool) {
    let stack = Stack::start(
        pool,
        Options {
            apis: 2,
            workers: 1,
            ..Default::default()
        },
    )
    .await;
    let (event, seats) = stack
        .seated_event(sections(&[("VIP", 1, 10, 150_000)]))
        .await;
    let fans = stack.fans(200).await;
    let seat = [seats[3]];
    let requests = fans
        .iter()
        .enumerate()
        .map(|(i, fan)| stack.reserve(i, fan, event, &seat));
    let responses = futures::future::join_all(requests).await;
    let mut created = 0;
    let mut conflicts = 0;
    for res in responses {
        let (status, body) = body(res).await;
        match status {
            201 => created += 1,
            409 => {
                assert_eq!(body["error"]["code"], "SEAT_UNAVAILABLE", "{body}");
                assert_eq!(body["error"]["details"]["seatIds"][0], seat[0].to_string());
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, conflicts), (1, 199));
    let live: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reservations WHERE status = 'pending'")
            .fetch_one(&stack.pool)
            .await
            .unwrap();
    assert_eq!(live, 1);
    let status: String = sqlx::query_scalar("SELECT status FROM seats WHERE id = $1")
        .bind(seat[0])
        .fetch_one(&stack.pool)
        .await
        .unwrap();
    assert_eq!(status, "held");
    assert_invariants(&stack.pool).await;
    stack.stop().await;
}
