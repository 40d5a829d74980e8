//! `reservation::decide_batch` against real PostgreSQL: one transaction decides a batch that
//! mixes seat and ticket orders (which once took a slower per-command path with its own
//! copy of the rules), writes only the winners, announces one change per event, and a
//! redelivered batch gets the same answers and changes nothing.

use chrono::Utc;
use sqlx::PgPool;
use tiketi_core::{
    event::{time::EventZone, EventStatus, NewEvent, NewSeating, NewTicketType},
    layout::{Section, ValidSections},
    reservation::{
        self,
        commands::{Decision, Order, Rejection, ReserveCommand, TicketLine},
    },
};
use uuid::Uuid;

async fn event(pool: &PgPool, seating: NewSeating) -> Uuid {
    let now = Utc::now();
    let new = NewEvent {
        id: None,
        title: "Test show".into(),
        description: String::new(),
        artist: "Band".into(),
        category: "concert".into(),
        venue: "Hall".into(),
        address: String::new(),
        poster_url: None,
        zone: EventZone::default(),
        starts_at: now + chrono::Duration::days(10),
        sale_start: now - chrono::Duration::hours(1),
        sale_end: now + chrono::Duration::days(9),
        status: EventStatus::OnSale,
        seating,
        queue_enabled: false,
    };
    let mut conn = pool.acquire().await.unwrap();
    tiketi_core::event::create(&mut conn, &new).await.unwrap().0
}

/// A seated event of four seats at 100 each, and its seats.
async fn seated(pool: &PgPool) -> (Uuid, Vec<Uuid>) {
    let sections = ValidSections::parse(vec![Section {
        name: "R".into(),
        rows: 1,
        seats_per_row: 4,
        price: 100,
        color: None,
    }])
    .unwrap();
    let layout =
        tiketi_core::layout::create(pool, None, &format!("l-{}", Uuid::new_v4()), "", &sections)
            .await
            .unwrap();
    let id = event(pool, NewSeating::Layout(layout)).await;
    let seats = sqlx::query_scalar("SELECT id FROM seats WHERE event_id = $1 ORDER BY number")
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap();
    (id, seats)
}

/// A general-admission event with one ticket type of four at 30 each.
async fn standing(pool: &PgPool) -> (Uuid, Uuid) {
    let id = event(
        pool,
        NewSeating::TicketTypes(vec![NewTicketType {
            name: "Standing".into(),
            price: 30,
            quantity: 4,
        }]),
    )
    .await;
    let t = sqlx::query_scalar("SELECT id FROM ticket_types WHERE event_id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    (id, t)
}

async fn fans(pool: &PgPool, n: i32) -> Vec<Uuid> {
    sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash)
         SELECT format('fan-%s-%s@example.com', i, $1::text), 'Fan', 'x' FROM generate_series(1, $2) i
         RETURNING id",
    )
    .bind(Uuid::new_v4().simple().to_string())
    .bind(n)
    .fetch_all(pool)
    .await
    .unwrap()
}

fn command(user_id: Uuid, event_id: Uuid, order: Order) -> ReserveCommand {
    ReserveCommand {
        request_id: Uuid::now_v7(),
        user_id,
        event_id,
        order,
        requested_at: Utc::now(),
        hold_until: None,
        deadline: None,
    }
}

fn tickets(ticket_type_id: Uuid, quantity: i32) -> Order {
    Order::Tickets {
        items: vec![TicketLine {
            ticket_type_id,
            quantity,
        }],
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_mixed_batch_is_decided_in_order_in_one_transaction(pool: PgPool) {
    let (seated, seats) = seated(&pool).await;
    let (standing, ga) = standing(&pool).await;
    let fans = fans(&pool, 4).await;
    let batch = [
        command(
            fans[0],
            seated,
            Order::Seats {
                seat_ids: seats[..2].to_vec(),
            },
        ),
        command(fans[1], standing, tickets(ga, 3)),
        command(
            fans[2],
            seated,
            Order::Seats {
                seat_ids: vec![seats[1], seats[2]],
            },
        ),
        command(fans[3], standing, tickets(ga, 2)),
        command(fans[1], standing, tickets(ga, 1)),
        command(
            fans[3],
            seated,
            Order::Seats {
                seat_ids: vec![seats[3]],
            },
        ),
    ];
    let outcome = reservation::decide_batch(&pool, &batch, &Default::default(), 300)
        .await
        .unwrap();
    let d: Vec<&Decision> = outcome.decisions.iter().map(|(_, d)| d).collect();
    let Decision::Reserved {
        reservation_id: first,
    } = d[0]
    else {
        panic!("{d:?}")
    };
    let Decision::Reserved {
        reservation_id: stock,
    } = d[1]
    else {
        panic!("{d:?}")
    };
    assert_eq!(
        d[2],
        &Decision::Rejected(Rejection::SeatUnavailable {
            seat_ids: vec![seats[1]]
        })
    );
    assert_eq!(
        d[3],
        &Decision::Rejected(Rejection::SoldOut {
            ticket_type_ids: vec![ga]
        })
    );
    assert_eq!(
        d[4],
        &Decision::Rejected(Rejection::AlreadyHolding {
            reservation_id: *stock
        })
    );
    assert!(matches!(d[5], Decision::Reserved { .. }));

    // Winners are written with their items and totals, and read back for the replies.
    assert_eq!(outcome.views.len(), 3);
    assert_eq!(outcome.views[first].total_amount, 200);
    assert_eq!(outcome.views[stock].total_amount, 90);
    assert_eq!(outcome.views[stock].items[0].quantity, 3);
    let held: Vec<(Uuid, Option<Uuid>)> = sqlx::query_as(
        "SELECT id, reservation_id FROM seats WHERE event_id = $1 AND status = 'held' ORDER BY number",
    )
    .bind(seated)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(held.len(), 3);
    assert_eq!(
        held[..2],
        [(seats[0], Some(*first)), (seats[1], Some(*first))]
    );
    let remaining: i32 = sqlx::query_scalar("SELECT remaining FROM ticket_types WHERE id = $1")
        .bind(ga)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(remaining, 1);
    // One seat change for the seated event (one seq step) and one stock update.
    let topics: Vec<String> = outcome.outbox.iter().map(|r| r.topic.clone()).collect();
    assert_eq!(
        topics,
        [format!("seats:{seated}"), format!("event:{standing}")]
    );
    let seq: i64 = sqlx::query_scalar("SELECT seat_seq FROM events WHERE id = $1")
        .bind(seated)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(outcome.outbox[0].payload.0["seq"], seq);
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reservation_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(recorded, 6);

    // The same batch redelivered: the same answers, nothing new.
    let again = reservation::decide_batch(&pool, &batch, &Default::default(), 300)
        .await
        .unwrap();
    assert_eq!(again.decisions, outcome.decisions);
    assert!(again.outbox.is_empty());
    let reservations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reservations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(reservations, 3);
    let violations = reservation::audit::violations(&pool).await.unwrap();
    assert!(violations.is_empty(), "{violations:?}");
}
