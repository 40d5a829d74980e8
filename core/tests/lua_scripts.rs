//! Every Lua script in `core/src/**/*.lua`, run against real Redis through the Rust code
//! that calls it, so a script and its caller cannot disagree about KEYS, ARGV or the named
//! fields of the reply: one test per script on a standalone server (`REDIS_URL`), and all
//! of them once on a private Redis Cluster (scripts run there under `REDIS_MODE=cluster`).

use std::time::Duration;

use chrono::Utc;
use tiketi_core::{
    event::{EventStatus, QueueStrategy, Seating},
    guard::limits::{Gcra, Quota},
    infra::{
        lease::Lease,
        redis::{connect_to, Keys, RedisConn, RedisMode},
    },
    live::seat_events::{SeatChange, SeatStatus},
    reservation::seat_state::{LockOutcome, SeatState},
    waiting_room::{Place, Policy, Room, WaitingRoom},
};
use tiketi_testkit::redis_cluster::RedisCluster;
use uuid::Uuid;

/// A standalone connection and keys under a prefix of this test's own.
async fn standalone() -> (RedisConn, Keys) {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let conn = connect_to(&url, RedisMode::Standalone)
        .await
        .expect("REDIS_URL reachable");
    (conn, Keys::new(format!("lua-{}", Uuid::new_v4().simple())))
}

fn room(event_id: Uuid, prequeue_minutes: i32) -> Room {
    let now = Utc::now();
    Room {
        event_id,
        title: "Lua".into(),
        status: EventStatus::OnSale,
        seating: Seating::Reserved,
        timezone: "Asia/Seoul".into(),
        sale_start: now + chrono::Duration::minutes(1),
        sale_end: now + chrono::Duration::hours(1),
        queue_enabled: true,
        queue_strategy: QueueStrategy::MaxActive,
        queue_rate_per_minute: 60,
        queue_max_active: 1,
        queue_window_seconds: 600,
        prequeue_minutes,
        prequeue_shuffle: false,
        pow_difficulty: None,
        open: true,
        selling: true,
    }
}

const POLICY: Policy = Policy {
    heartbeat_timeout_ms: 60_000,
    max_per_step: 10,
};

async fn seat_state_of(conn: &mut RedisConn, keys: &Keys, event: Uuid, seat: Uuid) -> String {
    redis::cmd("HGET")
        .arg(keys.seat_state(event))
        .arg(seat.to_string())
        .query_async(conn)
        .await
        .unwrap()
}

async fn seat_acquire(conn: &mut RedisConn, keys: &Keys) {
    let state = SeatState::new(keys.clone());
    let event = Uuid::new_v4();
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    let (mine, theirs) = (Uuid::new_v4(), Uuid::new_v4());
    let lock = |seats: Vec<Uuid>, token| {
        let (state, mut conn) = (state.clone(), conn.clone());
        async move { state.lock(&mut conn, event, &seats, token, 30_000).await }
    };
    let mut conn = conn.clone();
    assert_eq!(lock(vec![b, a], mine).await.unwrap(), LockOutcome::Acquired);
    // The owner may take its locks again; another owner meets the first seat it holds.
    assert_eq!(lock(vec![a], mine).await.unwrap(), LockOutcome::Acquired);
    assert_eq!(lock(vec![b], theirs).await.unwrap(), LockOutcome::Locked(b));
    let _: () = redis::cmd("HSET")
        .arg(keys.seat_state(event))
        .arg(a.to_string())
        .arg("held:3")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        lock(vec![a, b], theirs).await.unwrap(),
        LockOutcome::Taken(a)
    );
}

async fn seat_release(conn: &mut RedisConn, keys: &Keys) {
    let state = SeatState::new(keys.clone());
    let event = Uuid::new_v4();
    let seats = [Uuid::new_v4(), Uuid::new_v4()];
    let token = Uuid::new_v4();
    state
        .lock(conn, event, &seats, token, 30_000)
        .await
        .unwrap();
    assert_eq!(
        state
            .unlock(conn, event, &seats, Uuid::new_v4())
            .await
            .unwrap(),
        0
    );
    assert_eq!(state.unlock(conn, event, &seats, token).await.unwrap(), 2);
    assert_eq!(state.unlock(conn, event, &seats, token).await.unwrap(), 0);
}

async fn seat_apply(conn: &mut RedisConn, keys: &Keys) {
    let state = SeatState::new(keys.clone());
    let event = Uuid::new_v4();
    let seat = Uuid::new_v4();
    let change = |seq, status| SeatChange {
        event_id: event,
        seq,
        seat_ids: vec![seat],
        status,
    };
    state
        .apply(conn, &change(5, SeatStatus::Held), "held-5")
        .await
        .unwrap();
    // An older change relayed late is logged and published but does not win.
    state
        .apply(conn, &change(3, SeatStatus::Available), "available-3")
        .await
        .unwrap();
    assert_eq!(seat_state_of(conn, keys, event, seat).await, "held:5");
    let log: Vec<String> = redis::cmd("LRANGE")
        .arg(keys.seat_log(event))
        .arg(0)
        .arg(-1)
        .query_async(conn)
        .await
        .unwrap();
    assert_eq!(log, ["available-3", "held-5"]);
}

async fn seat_reconcile(conn: &mut RedisConn, keys: &Keys) {
    let state = SeatState::new(keys.clone());
    let event = Uuid::new_v4();
    let (relayed, drifted) = (Uuid::new_v4(), Uuid::new_v4());
    let held = SeatChange {
        event_id: event,
        seq: 5,
        seat_ids: vec![relayed],
        status: SeatStatus::Held,
    };
    state.apply(conn, &held, "{}").await.unwrap();
    let truth = [
        (relayed, SeatStatus::Available),
        (drifted, SeatStatus::Sold),
    ];
    state.overwrite(conn, event, &truth, 4).await.unwrap();
    let seen = state.all(conn, event).await.unwrap();
    assert_eq!(seen[&relayed], "held", "a newer relayed change stays");
    assert_eq!(seen[&drifted], "sold");
    state.overwrite(conn, event, &truth, 5).await.unwrap();
    assert_eq!(
        seat_state_of(conn, keys, event, relayed).await,
        "available:5"
    );
}

async fn room_join(conn: &mut RedisConn, keys: &Keys) {
    let wr = WaitingRoom::new(keys.clone());
    let mut not_yet = room(Uuid::new_v4(), 0);
    not_yet.sale_start = Utc::now() + chrono::Duration::minutes(10);
    assert_eq!(
        wr.join(conn, &not_yet, Uuid::new_v4()).await.unwrap(),
        Place::NotOpen
    );
    let room = room(Uuid::new_v4(), 5);
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
    let waiting = |ticket, ahead| Place::Waiting {
        ticket,
        ahead,
        opened: false,
        rate: None,
    };
    assert_eq!(wr.join(conn, &room, first).await.unwrap(), waiting(1, 0));
    assert_eq!(wr.join(conn, &room, second).await.unwrap(), waiting(2, 1));
    assert_eq!(wr.join(conn, &room, first).await.unwrap(), waiting(1, 0));
}

async fn room_status(conn: &mut RedisConn, keys: &Keys) {
    let wr = WaitingRoom::new(keys.clone());
    let room = room(Uuid::new_v4(), 5);
    let fan = Uuid::new_v4();
    assert_eq!(
        wr.status(conn, room.event_id, fan).await.unwrap(),
        Place::None
    );
    wr.join(conn, &room, fan).await.unwrap();
    wr.set_rate(conn, room.event_id, 2.5).await.unwrap();
    assert_eq!(
        wr.status(conn, room.event_id, fan).await.unwrap(),
        Place::Waiting {
            ticket: 1,
            ahead: 0,
            opened: false,
            rate: Some(2.5),
        }
    );
}

async fn room_leave(conn: &mut RedisConn, keys: &Keys) {
    let wr = WaitingRoom::new(keys.clone());
    let room = room(Uuid::new_v4(), 5);
    let fan = Uuid::new_v4();
    wr.join(conn, &room, fan).await.unwrap();
    assert!(wr.leave(conn, room.event_id, fan).await.unwrap());
    assert!(!wr.leave(conn, room.event_id, fan).await.unwrap());
    assert_eq!(
        wr.status(conn, room.event_id, fan).await.unwrap(),
        Place::None
    );
}

async fn room_open(conn: &mut RedisConn, keys: &Keys) {
    let wr = WaitingRoom::new(keys.clone());
    let room = room(Uuid::new_v4(), 5);
    let fans = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
    for fan in fans {
        wr.join(conn, &room, fan).await.unwrap();
    }
    assert!(wr.open(conn, room.event_id, true).await.unwrap());
    assert!(!wr.open(conn, room.event_id, true).await.unwrap());
    // A shuffle permutes the pre-queue's own tickets: the same places, perhaps reordered.
    let mut aheads = Vec::new();
    for fan in fans {
        match wr.status(conn, room.event_id, fan).await.unwrap() {
            Place::Waiting { ahead, opened, .. } => {
                assert!(opened);
                aheads.push(ahead);
            }
            other => panic!("{other:?}"),
        }
    }
    aheads.sort();
    assert_eq!(aheads, [0, 1, 2]);
}

/// Joins two fans, opens the line and admits the first (one shopper at a time).
async fn admit_first(wr: &WaitingRoom, conn: &mut RedisConn, room: &Room) -> (Uuid, Uuid) {
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());
    wr.join(conn, room, first).await.unwrap();
    wr.join(conn, room, second).await.unwrap();
    wr.open(conn, room.event_id, false).await.unwrap();
    let step = wr.advance(conn, room, &POLICY).await.unwrap();
    assert_eq!(step.admitted, [(first, 1)]);
    assert_eq!(
        (step.stale, step.waiting, step.active, step.served),
        (0, 1, 1, 1)
    );
    assert!((step.now - Utc::now()).num_seconds().abs() < 5, "{step:?}");
    (first, second)
}

async fn room_advance(conn: &mut RedisConn, keys: &Keys) {
    let wr = WaitingRoom::new(keys.clone());
    let room = room(Uuid::new_v4(), 5);
    let (first, _) = admit_first(&wr, conn, &room).await;
    match wr.status(conn, room.event_id, first).await.unwrap() {
        Place::Admitted { ticket, expires_at } => {
            assert_eq!(ticket, 1);
            let window = (expires_at - Utc::now()).num_seconds();
            assert!((590..=600).contains(&window), "{window}");
        }
        other => panic!("{other:?}"),
    }
    // The one slot is taken: nobody else is admitted, nothing is sent.
    let step = wr.advance(conn, &room, &POLICY).await.unwrap();
    assert!(step.admitted.is_empty());
    assert_eq!((step.waiting, step.active, step.served), (1, 1, 1));
}

async fn room_check(conn: &mut RedisConn, keys: &Keys) {
    let wr = WaitingRoom::new(keys.clone());
    let room = room(Uuid::new_v4(), 5);
    let (first, second) = admit_first(&wr, conn, &room).await;
    assert!(wr.is_admitted(conn, room.event_id, first, 1).await.unwrap());
    assert!(!wr.is_admitted(conn, room.event_id, first, 2).await.unwrap());
    assert!(!wr
        .is_admitted(conn, room.event_id, second, 2)
        .await
        .unwrap());
}

async fn room_release(conn: &mut RedisConn, keys: &Keys) {
    let wr = WaitingRoom::new(keys.clone());
    let room = room(Uuid::new_v4(), 5);
    let (first, _) = admit_first(&wr, conn, &room).await;
    assert!(!wr
        .release(conn, room.event_id, first, Some(2))
        .await
        .unwrap());
    assert!(wr
        .release(conn, room.event_id, first, Some(1))
        .await
        .unwrap());
    assert!(!wr.release(conn, room.event_id, first, None).await.unwrap());
    assert!(!wr.is_admitted(conn, room.event_id, first, 1).await.unwrap());
    assert_eq!(
        wr.status(conn, room.event_id, first).await.unwrap(),
        Place::Expired
    );
}

async fn gcra(conn: &mut RedisConn, keys: &Keys) {
    let gcra = Gcra::default();
    let key = keys.rate_limit("lua", "fan");
    let quota = Quota::per_minute(2);
    assert_eq!(gcra.check(conn, &key, quota).await.unwrap(), None);
    assert_eq!(gcra.check(conn, &key, quota).await.unwrap(), None);
    let wait = gcra
        .check(conn, &key, quota)
        .await
        .unwrap()
        .expect("refused");
    assert!(
        wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );
}

async fn lease(conn: &mut RedisConn, keys: &Keys) {
    let key = keys.rate_limit("lua", "lease");
    let (one, other) = (
        Lease::new(key.clone(), Duration::from_secs(30)),
        Lease::new(key, Duration::from_secs(30)),
    );
    assert!(one.hold(conn).await);
    assert!(one.hold(conn).await, "renewed");
    assert!(!other.hold(conn).await);
    other.give_up(conn).await;
    assert!(!other.hold(conn).await, "only the holder gives it up");
    one.give_up(conn).await;
    assert!(other.hold(conn).await);
}

macro_rules! standalone_tests {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test]
        async fn $name() {
            let (mut conn, keys) = super::standalone().await;
            super::$name(&mut conn, &keys).await;
        }
    )*};
}

mod on_standalone {
    standalone_tests!(
        seat_acquire,
        seat_release,
        seat_apply,
        seat_reconcile,
        room_join,
        room_status,
        room_leave,
        room_open,
        room_advance,
        room_check,
        room_release,
        gcra,
        lease,
    );
}

#[tokio::test]
async fn every_script_runs_on_a_redis_cluster() {
    let cluster = RedisCluster::start().await.unwrap();
    let mut conn = connect_to(&cluster.seed_urls(), RedisMode::Cluster)
        .await
        .unwrap();
    let keys = Keys::new("lua");
    seat_acquire(&mut conn, &keys).await;
    seat_release(&mut conn, &keys).await;
    seat_apply(&mut conn, &keys).await;
    seat_reconcile(&mut conn, &keys).await;
    room_join(&mut conn, &keys).await;
    room_status(&mut conn, &keys).await;
    room_leave(&mut conn, &keys).await;
    room_open(&mut conn, &keys).await;
    room_advance(&mut conn, &keys).await;
    room_check(&mut conn, &keys).await;
    room_release(&mut conn, &keys).await;
    gcra(&mut conn, &keys).await;
    lease(&mut conn, &keys).await;
}
