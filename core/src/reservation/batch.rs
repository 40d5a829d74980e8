//! Deciding a batch of reserve commands in the database, set-based: one transaction reads
//! what the rules need for the whole batch (under the events' row locks, the seats and
//! ticket types locked too), lets the pure [`arbiter`](super::arbiter) decide, then writes
//! the winners in bulk. A handful of statements per batch whatever its size or mix of seat
//! and ticket orders, and the rules live in one place.
//!
//! The conditional UPDATEs stay the arbiter of truth: seats go from available to held and
//! stock is decremented only where enough is left. Should either touch fewer rows than the
//! arbiter awarded (impossible while the rows are locked), the transaction is refused as a
//! whole, so nothing is ever sold twice or half-booked; the worker puts the batch back in
//! the queue.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{
    arbiter::{self, Award, SeatInfo, Snapshot, StockInfo, Verdict},
    commands::{Decision, Order, Rejection, ReserveCommand},
    find_many, lock_events, record_decisions, recorded_decisions, reservation_code, Reservation,
};
use crate::live::seat_events::{self, OutboxRow, SeatStatus};

/// The outcome of one batch: a decision per command (in order) and the outbox rows to
/// relay once committed.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub decisions: Vec<(ReserveCommand, Decision)>,
    pub outbox: Vec<OutboxRow>,
    /// The fan's view of each reservation this batch made, read inside its transaction,
    /// so the reply can answer the fan without another database round trip.
    pub views: HashMap<Uuid, Reservation>,
}

/// Decides `commands` in order within one transaction: earlier commands win conflicts.
/// Commands decided before (a redelivery) get their recorded decision back and change
/// nothing. `pre_rejected` carries decisions made before the database (lock conflicts,
/// stale commands).
pub async fn decide_batch(
    pool: &PgPool,
    commands: &[ReserveCommand],
    pre_rejected: &HashMap<Uuid, Rejection>,
    hold_seconds: u32,
) -> Result<BatchOutcome, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let event_ids: Vec<Uuid> = commands.iter().map(|c| c.event_id).collect();
    lock_events(&mut tx, &event_ids).await?;
    let snapshot = read_snapshot(&mut tx, commands).await?;
    let verdicts = arbiter::decide(commands, pre_rejected, &snapshot, Uuid::new_v4);
    let outbox = write_winners(&mut tx, commands, &verdicts, hold_seconds).await?;
    let new_records: Vec<(ReserveCommand, Decision)> = commands
        .iter()
        .zip(&verdicts)
        .filter(|(_, v)| v.is_new())
        .map(|(c, v)| (c.clone(), v.decision()))
        .collect();
    record_decisions(&mut tx, &new_records).await?;
    let made: Vec<Uuid> = verdicts
        .iter()
        .filter_map(|v| match v {
            Verdict::Won(a) => Some(a.reservation_id),
            _ => None,
        })
        .collect();
    let views = if made.is_empty() {
        HashMap::new()
    } else {
        find_many(&mut tx, &made)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect()
    };
    tx.commit().await?;
    Ok(BatchOutcome {
        decisions: commands
            .iter()
            .zip(&verdicts)
            .map(|(c, v)| (c.clone(), v.decision()))
            .collect(),
        outbox,
        views,
    })
}

/// Reads everything the arbiter needs about the batch. The caller holds the events' row
/// locks, so no reservation of these events can appear or change meanwhile; the requested
/// seats and ticket types are locked as well (in id order, like every other writer).
async fn read_snapshot(
    conn: &mut PgConnection,
    commands: &[ReserveCommand],
) -> Result<Snapshot, sqlx::Error> {
    let request_ids: Vec<Uuid> = commands.iter().map(|c| c.request_id).collect();
    let mut event_ids: Vec<Uuid> = commands.iter().map(|c| c.event_id).collect();
    event_ids.sort();
    event_ids.dedup();
    // Read under the event lock: a redelivered command whose first copy another worker is
    // deciding right now sees that decision once it commits, instead of deciding again.
    let recorded = recorded_decisions(&mut *conn, &request_ids).await?;
    let on_sale: HashSet<Uuid> = sqlx::query_scalar!(
        "SELECT id FROM events WHERE id = ANY($1) AND status IN ('on_sale', 'sold_out')
           AND now() >= sale_start AND now() < sale_end",
        &event_ids,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let (wanted_seats, wanted_types) = wanted(commands);
    let seats = if wanted_seats.is_empty() {
        HashMap::new()
    } else {
        sqlx::query!(
            r#"SELECT id, event_id, status AS "status: SeatStatus", price
            FROM seats WHERE id = ANY($1) ORDER BY id FOR UPDATE"#,
            &wanted_seats,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|s| {
            let info = SeatInfo {
                event_id: s.event_id,
                available: s.status == SeatStatus::Available,
                price: s.price,
            };
            (s.id, info)
        })
        .collect()
    };
    let ticket_types = if wanted_types.is_empty() {
        HashMap::new()
    } else {
        sqlx::query!(
            "SELECT id, event_id, remaining, price
            FROM ticket_types WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            &wanted_types,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|t| {
            let info = StockInfo {
                event_id: t.event_id,
                remaining: t.remaining,
                price: t.price,
            };
            (t.id, info)
        })
        .collect()
    };
    let holding = holds_of(&mut *conn, commands).await?;
    let limits = caps_of(&mut *conn, &event_ids).await?;
    let owned = owned_by(&mut *conn, commands, &limits).await?;
    Ok(Snapshot {
        recorded,
        on_sale,
        seats,
        ticket_types,
        holding,
        limits,
        owned,
    })
}

/// The seats and ticket types the batch asks for, each once.
fn wanted(commands: &[ReserveCommand]) -> (Vec<Uuid>, Vec<Uuid>) {
    let (mut seats, mut types) = (Vec::new(), Vec::new());
    for c in commands {
        match &c.order {
            Order::Seats { seat_ids } => seats.extend(seat_ids),
            Order::Tickets { items } => types.extend(items.iter().map(|l| l.ticket_type_id)),
        }
    }
    for ids in [&mut seats, &mut types] {
        ids.sort();
        ids.dedup();
    }
    (seats, types)
}

/// The pending reservation of each (fan, event) of the batch that has one.
async fn holds_of(
    conn: &mut PgConnection,
    commands: &[ReserveCommand],
) -> Result<HashMap<(Uuid, Uuid), Uuid>, sqlx::Error> {
    let users: Vec<Uuid> = commands.iter().map(|c| c.user_id).collect();
    let events: Vec<Uuid> = commands.iter().map(|c| c.event_id).collect();
    // Pairwise lookups on the one-pending-per-fan index; filtering a hot event's
    // thousands of holds by user would grow with every hold.
    Ok(sqlx::query!(
        r#"SELECT r.user_id AS "user_id!", r.event_id AS "event_id!", r.id AS "id!"
         FROM UNNEST($1::uuid[], $2::uuid[]) AS q(user_id, event_id)
         JOIN LATERAL (SELECT user_id, event_id, id FROM reservations
                       WHERE user_id = q.user_id AND event_id = q.event_id AND status = 'pending') r ON true"#,
        &users,
        &events,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| ((r.user_id, r.event_id), r.id))
    .collect())
}

/// The per-fan caps of the events that have one.
async fn caps_of(
    conn: &mut PgConnection,
    event_ids: &[Uuid],
) -> Result<HashMap<Uuid, i32>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT id, max_tickets_per_fan AS "max_tickets_per_fan!"
        FROM events WHERE id = ANY($1) AND max_tickets_per_fan IS NOT NULL"#,
        event_ids,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|e| (e.id, e.max_tickets_per_fan))
    .collect())
}

/// Seats and tickets each fan of a capped event already has in live reservations.
async fn owned_by(
    conn: &mut PgConnection,
    commands: &[ReserveCommand],
    limits: &HashMap<Uuid, i32>,
) -> Result<HashMap<(Uuid, Uuid), i64>, sqlx::Error> {
    let (users, events): (Vec<Uuid>, Vec<Uuid>) = commands
        .iter()
        .filter(|c| limits.contains_key(&c.event_id))
        .map(|c| (c.user_id, c.event_id))
        .unzip();
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(sqlx::query!(
        r#"SELECT q.user_id AS "user_id!", q.event_id AS "event_id!", COALESCE((
             SELECT SUM(i.quantity) FROM reservations r
             JOIN reservation_items i ON i.reservation_id = r.id
             WHERE r.user_id = q.user_id AND r.event_id = q.event_id
               AND r.status IN ('pending', 'confirmed')), 0)::bigint AS "owned!"
         FROM (SELECT DISTINCT * FROM UNNEST($1::uuid[], $2::uuid[])) AS q(user_id, event_id)"#,
        &users,
        &events,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| ((r.user_id, r.event_id), r.owned))
    .collect())
}

/// Writes the winners in bulk: their reservations, one conditional seat UPDATE and one
/// conditional stock UPDATE for the whole batch, their items, and the outbox rows (one
/// seat change per event, hence one `seq` step, and one stock update per event).
async fn write_winners(
    conn: &mut PgConnection,
    commands: &[ReserveCommand],
    verdicts: &[Verdict],
    hold_seconds: u32,
) -> Result<Vec<OutboxRow>, sqlx::Error> {
    let winners: Vec<(&ReserveCommand, &Award)> = commands
        .iter()
        .zip(verdicts)
        .filter_map(|(c, v)| match v {
            Verdict::Won(a) => Some((c, a)),
            _ => None,
        })
        .collect();
    if winners.is_empty() {
        return Ok(vec![]);
    }
    insert_reservations(&mut *conn, &winners, hold_seconds).await?;
    let mut held: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    let mut stock: BTreeMap<Uuid, i32> = BTreeMap::new();
    let mut stocked_events: BTreeSet<Uuid> = BTreeSet::new();
    let mut items = Items::default();
    for (cmd, award) in &winners {
        for (seat, price) in &award.seats {
            held.entry(cmd.event_id).or_default().push(*seat);
            items.push(award.reservation_id, Some(*seat), None, 1, *price);
        }
        for (ticket_type, quantity, price) in &award.tickets {
            *stock.entry(*ticket_type).or_default() += quantity;
            stocked_events.insert(cmd.event_id);
            items.push(
                award.reservation_id,
                None,
                Some(*ticket_type),
                *quantity,
                *price,
            );
        }
    }
    hold_seats(&mut *conn, &winners).await?;
    take_stock(&mut *conn, &stock).await?;
    items.insert(&mut *conn).await?;
    let mut outbox = Vec::new();
    for (event, seats) in &held {
        outbox.push(seat_events::record_seats(&mut *conn, *event, seats, SeatStatus::Held).await?);
    }
    for event in &stocked_events {
        outbox.push(seat_events::record_tickets(&mut *conn, *event).await?);
    }
    Ok(outbox)
}

/// One pending reservation per winner; a hold ends after `hold_seconds`, or with the
/// fan's waiting-room admission if that comes first.
async fn insert_reservations(
    conn: &mut PgConnection,
    winners: &[(&ReserveCommand, &Award)],
    hold_seconds: u32,
) -> Result<(), sqlx::Error> {
    let mut ids = Vec::new();
    let mut codes = Vec::new();
    let mut requests = Vec::new();
    let mut users = Vec::new();
    let mut events = Vec::new();
    let mut totals = Vec::new();
    let mut until: Vec<Option<DateTime<Utc>>> = Vec::new();
    for (cmd, award) in winners {
        ids.push(award.reservation_id);
        codes.push(reservation_code());
        requests.push(cmd.request_id);
        users.push(cmd.user_id);
        events.push(cmd.event_id);
        totals.push(award.total());
        until.push(cmd.hold_until);
    }
    sqlx::query!(
        "INSERT INTO reservations (id, code, request_id, user_id, event_id, status, total_amount, expires_at)
         SELECT t.id, t.code, t.request_id, t.user_id, t.event_id, 'pending', t.total,
                LEAST(now() + make_interval(secs => $7), t.hold_until)
         FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::bigint[], $8::timestamptz[])
              AS t(id, code, request_id, user_id, event_id, total, hold_until)",
        &ids,
        &codes,
        &requests,
        &users,
        &events,
        &totals,
        f64::from(hold_seconds),
        &until as &[Option<DateTime<Utc>>],
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The conditional UPDATE of every won seat from available to held by its reservation.
async fn hold_seats(
    conn: &mut PgConnection,
    winners: &[(&ReserveCommand, &Award)],
) -> Result<(), sqlx::Error> {
    let (seats, reservations): (Vec<Uuid>, Vec<Uuid>) = winners
        .iter()
        .flat_map(|(_, a)| a.seats.iter().map(|(s, _)| (*s, a.reservation_id)))
        .unzip();
    if seats.is_empty() {
        return Ok(());
    }
    let updated = sqlx::query!(
        "UPDATE seats s SET status = 'held', reservation_id = t.reservation_id
         FROM UNNEST($1::uuid[], $2::uuid[]) AS t(seat_id, reservation_id)
         WHERE s.id = t.seat_id AND s.status = 'available'",
        &seats,
        &reservations,
    )
    .execute(conn)
    .await?
    .rows_affected();
    if updated as usize != seats.len() {
        // Impossible while the rows are locked; refuse to commit rather than half-book.
        return Err(sqlx::Error::Protocol(format!(
            "held {updated} of {} locked seats",
            seats.len()
        )));
    }
    Ok(())
}

/// The conditional decrement of every ticket type the batch sold from, by its total.
async fn take_stock(
    conn: &mut PgConnection,
    stock: &BTreeMap<Uuid, i32>,
) -> Result<(), sqlx::Error> {
    if stock.is_empty() {
        return Ok(());
    }
    let types: Vec<Uuid> = stock.keys().copied().collect();
    let quantities: Vec<i32> = stock.values().copied().collect();
    let updated = sqlx::query!(
        "UPDATE ticket_types t SET remaining = t.remaining - x.quantity
         FROM UNNEST($1::uuid[], $2::int[]) AS x(id, quantity)
         WHERE t.id = x.id AND t.remaining >= x.quantity",
        &types,
        &quantities,
    )
    .execute(conn)
    .await?
    .rows_affected();
    if updated as usize != types.len() {
        // Impossible while the rows are locked; refuse to commit rather than oversell.
        return Err(sqlx::Error::Protocol(format!(
            "took stock of {updated} of {} locked ticket types",
            types.len()
        )));
    }
    Ok(())
}

/// The items of the batch's new reservations, as columns for one bulk insert.
#[derive(Default)]
struct Items {
    reservations: Vec<Uuid>,
    seats: Vec<Option<Uuid>>,
    ticket_types: Vec<Option<Uuid>>,
    quantities: Vec<i32>,
    prices: Vec<i64>,
}

impl Items {
    fn push(
        &mut self,
        reservation: Uuid,
        seat: Option<Uuid>,
        ticket_type: Option<Uuid>,
        quantity: i32,
        price: i64,
    ) {
        self.reservations.push(reservation);
        self.seats.push(seat);
        self.ticket_types.push(ticket_type);
        self.quantities.push(quantity);
        self.prices.push(price);
    }

    async fn insert(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        sqlx::query!(
            "INSERT INTO reservation_items (reservation_id, seat_id, ticket_type_id, quantity, unit_price)
             SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::bigint[])",
            &self.reservations,
            &self.seats as &[Option<Uuid>],
            &self.ticket_types as &[Option<Uuid>],
            &self.quantities,
            &self.prices,
        )
        .execute(conn)
        .await?;
        Ok(())
    }
}
