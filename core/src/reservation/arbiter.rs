//! The reservation rules as one pure function: given a batch of reserve commands in arrival
//! order and what the database said before the batch (read under the events' row locks), it
//! says which commands win what and why the others lose. No I/O, so every rule is tested
//! here directly (unit and property tests); the database path (`decide_batch`) only reads
//! the [`Snapshot`], calls [`decide`] and writes the winners with conditional UPDATEs, which
//! stay the arbiter of truth should the snapshot ever be wrong.
//!
//! The rules, checked in this order for each command not decided before:
//! 1. a refusal made before the database (deadline passed, admission ended, Redis lock lost);
//! 2. the event is not on sale → `EVENT_NOT_ON_SALE`;
//! 3. the order is empty, repeats a seat or ticket type, asks for fewer than one ticket, or
//!    names a seat or ticket type that is not this event's → `INVALID_ORDER`;
//! 4. the fan already holds a pending reservation for the event (made before or earlier in
//!    this batch) → `ALREADY_HOLDING`;
//! 5. the order would take the fan past the event's per-fan cap → `PURCHASE_LIMIT_REACHED`;
//! 6. a seat is held or sold, or won by an earlier command of the batch → `SEAT_UNAVAILABLE`
//!    (listing those seats); a ticket type has fewer left than asked, counting what earlier
//!    commands took → `SOLD_OUT` (listing those types);
//! 7. otherwise the command wins its seats or tickets at their current prices.
//!
//! A command whose request was decided before (a redelivery), or that repeats an earlier
//! command of the batch, gets that decision back and changes nothing.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use crate::reservation::commands::{Decision, Order, Rejection, ReserveCommand};

/// A seat as the database had it before the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatInfo {
    pub event_id: Uuid,
    /// Neither held nor sold.
    pub available: bool,
    pub price: i64,
}

/// A general-admission ticket type as the database had it before the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockInfo {
    pub event_id: Uuid,
    pub remaining: i32,
    pub price: i64,
}

/// Everything the rules need to know about the world before the batch. Maps miss what the
/// database does not have (an unknown seat is simply absent).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Recorded decisions of requests of this batch (redeliveries), by request id.
    pub recorded: HashMap<Uuid, Decision>,
    /// Events of the batch that are on sale now.
    pub on_sale: HashSet<Uuid>,
    /// The seats the batch asks for.
    pub seats: HashMap<Uuid, SeatInfo>,
    /// The ticket types the batch asks for.
    pub ticket_types: HashMap<Uuid, StockInfo>,
    /// The pending reservation of each (fan, event) of the batch that has one.
    pub holding: HashMap<(Uuid, Uuid), Uuid>,
    /// Per-fan caps of the batch's events that have one.
    pub limits: HashMap<Uuid, i32>,
    /// Seats and tickets each capped (fan, event) of the batch already has in live
    /// reservations; absent means none.
    pub owned: HashMap<(Uuid, Uuid), i64>,
}

/// What a winning command gets: a new reservation with these seats or tickets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub reservation_id: Uuid,
    /// Seats and their prices, in the order asked for.
    pub seats: Vec<(Uuid, i64)>,
    /// Ticket types, quantities and unit prices, in the order asked for.
    pub tickets: Vec<(Uuid, i32, i64)>,
}

impl Award {
    /// The reservation's total amount.
    pub fn total(&self) -> i64 {
        self.seats.iter().map(|(_, p)| p).sum::<i64>()
            + self
                .tickets
                .iter()
                .map(|(_, q, p)| i64::from(*q) * p)
                .sum::<i64>()
    }
}

/// The arbiter's answer for one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Decided before (a redelivery, or a copy of an earlier command of the batch): the
    /// recorded decision, nothing to write.
    Recorded(Decision),
    /// A new reservation to write.
    Won(Award),
    /// Turned down, with the reason to record and tell the fan.
    Lost(Rejection),
}

impl Verdict {
    /// The decision the fan hears.
    pub fn decision(&self) -> Decision {
        match self {
            Verdict::Recorded(d) => d.clone(),
            Verdict::Won(a) => Decision::Reserved {
                reservation_id: a.reservation_id,
            },
            Verdict::Lost(r) => Decision::Rejected(r.clone()),
        }
    }

    /// Whether this verdict is new (to be recorded), not a replay of an earlier decision.
    pub fn is_new(&self) -> bool {
        !matches!(self, Verdict::Recorded(_))
    }
}

/// Decides `commands` in arrival order: earlier commands win conflicts. `refused` carries
/// refusals made before the database (by request id); `new_reservation_id` names each
/// winner's reservation, in order (the caller's choice keeps this function pure).
/// Returns one verdict per command, in order.
pub fn decide(
    commands: &[ReserveCommand],
    refused: &HashMap<Uuid, Rejection>,
    snapshot: &Snapshot,
    mut new_reservation_id: impl FnMut() -> Uuid,
) -> Vec<Verdict> {
    let mut state = Batch::new(snapshot);
    let mut verdicts: Vec<Verdict> = Vec::with_capacity(commands.len());
    let mut first_copy: HashMap<Uuid, usize> = HashMap::new();
    for (i, cmd) in commands.iter().enumerate() {
        if let Some(d) = snapshot.recorded.get(&cmd.request_id) {
            verdicts.push(Verdict::Recorded(d.clone()));
            continue;
        }
        if let Some(&first) = first_copy.get(&cmd.request_id) {
            // The same message twice in one batch: answer it like the first copy.
            verdicts.push(Verdict::Recorded(verdicts[first].decision()));
            continue;
        }
        first_copy.insert(cmd.request_id, i);
        let verdict = match state.refusal(cmd, refused) {
            Some(rejection) => Verdict::Lost(rejection),
            None => Verdict::Won(state.award(cmd, new_reservation_id())),
        };
        verdicts.push(verdict);
    }
    verdicts
}

/// The world as the batch has changed it so far.
struct Batch<'a> {
    snapshot: &'a Snapshot,
    /// Seats won by earlier commands of the batch.
    claimed: HashSet<Uuid>,
    /// Tickets taken by earlier commands of the batch, per type.
    taken: HashMap<Uuid, i64>,
    /// Holds made by earlier commands of the batch.
    holding: HashMap<(Uuid, Uuid), Uuid>,
    /// What earlier winners of the batch added to their fans' totals.
    added: HashMap<(Uuid, Uuid), i64>,
}

impl<'a> Batch<'a> {
    fn new(snapshot: &'a Snapshot) -> Self {
        Self {
            snapshot,
            claimed: HashSet::new(),
            taken: HashMap::new(),
            holding: HashMap::new(),
            added: HashMap::new(),
        }
    }

    /// Why `cmd` loses, if it does (rules 1 to 6 of the module docs, in order).
    fn refusal(
        &self,
        cmd: &ReserveCommand,
        refused: &HashMap<Uuid, Rejection>,
    ) -> Option<Rejection> {
        if let Some(r) = refused.get(&cmd.request_id) {
            return Some(r.clone());
        }
        if !self.snapshot.on_sale.contains(&cmd.event_id) {
            return Some(Rejection::EventNotOnSale);
        }
        if !self.is_valid(cmd) {
            return Some(Rejection::InvalidOrder);
        }
        let fan = (cmd.user_id, cmd.event_id);
        if let Some(existing) = self.holding.get(&fan).or(self.snapshot.holding.get(&fan)) {
            return Some(Rejection::AlreadyHolding {
                reservation_id: *existing,
            });
        }
        if let Some(r) = self.over_cap(cmd) {
            return Some(r);
        }
        match &cmd.order {
            Order::Seats { seat_ids } => {
                let taken: Vec<Uuid> = seat_ids
                    .iter()
                    .filter(|s| self.claimed.contains(s) || !self.snapshot.seats[s].available)
                    .copied()
                    .collect();
                (!taken.is_empty()).then_some(Rejection::SeatUnavailable { seat_ids: taken })
            }
            Order::Tickets { items } => {
                let short: Vec<Uuid> = items
                    .iter()
                    .filter(|l| self.left(l.ticket_type_id) < i64::from(l.quantity))
                    .map(|l| l.ticket_type_id)
                    .collect();
                (!short.is_empty()).then_some(Rejection::SoldOut {
                    ticket_type_ids: short,
                })
            }
        }
    }

    /// Rule 3: a non-empty order of distinct seats or ticket types of its own event, at
    /// least one ticket per line.
    fn is_valid(&self, cmd: &ReserveCommand) -> bool {
        match &cmd.order {
            Order::Seats { seat_ids } => {
                let distinct: HashSet<&Uuid> = seat_ids.iter().collect();
                !seat_ids.is_empty()
                    && distinct.len() == seat_ids.len()
                    && seat_ids.iter().all(|s| {
                        self.snapshot
                            .seats
                            .get(s)
                            .is_some_and(|seat| seat.event_id == cmd.event_id)
                    })
            }
            Order::Tickets { items } => {
                let distinct: HashSet<&Uuid> = items.iter().map(|l| &l.ticket_type_id).collect();
                !items.is_empty()
                    && distinct.len() == items.len()
                    && items.iter().all(|l| {
                        l.quantity >= 1
                            && self
                                .snapshot
                                .ticket_types
                                .get(&l.ticket_type_id)
                                .is_some_and(|t| t.event_id == cmd.event_id)
                    })
            }
        }
    }

    /// Rule 5: the refusal when `cmd` would take its fan past the event's cap.
    fn over_cap(&self, cmd: &ReserveCommand) -> Option<Rejection> {
        let limit = *self.snapshot.limits.get(&cmd.event_id)?;
        let fan = (cmd.user_id, cmd.event_id);
        let owned = self.snapshot.owned.get(&fan).copied().unwrap_or(0)
            + self.added.get(&fan).copied().unwrap_or(0);
        (owned + cmd.order.quantity() > i64::from(limit))
            .then_some(Rejection::PurchaseLimitReached { limit, owned })
    }

    /// Tickets of a (known) type still left for this command.
    fn left(&self, ticket_type_id: Uuid) -> i64 {
        i64::from(self.snapshot.ticket_types[&ticket_type_id].remaining)
            - self.taken.get(&ticket_type_id).copied().unwrap_or(0)
    }

    /// Gives `cmd` (which passed every rule) what it asked for, and counts it against
    /// the commands after it.
    fn award(&mut self, cmd: &ReserveCommand, reservation_id: Uuid) -> Award {
        let fan = (cmd.user_id, cmd.event_id);
        self.holding.insert(fan, reservation_id);
        if self.snapshot.limits.contains_key(&cmd.event_id) {
            *self.added.entry(fan).or_default() += cmd.order.quantity();
        }
        let mut award = Award {
            reservation_id,
            seats: vec![],
            tickets: vec![],
        };
        match &cmd.order {
            Order::Seats { seat_ids } => {
                self.claimed.extend(seat_ids);
                award.seats = seat_ids
                    .iter()
                    .map(|s| (*s, self.snapshot.seats[s].price))
                    .collect();
            }
            Order::Tickets { items } => {
                for l in items {
                    *self.taken.entry(l.ticket_type_id).or_default() += i64::from(l.quantity);
                    let price = self.snapshot.ticket_types[&l.ticket_type_id].price;
                    award.tickets.push((l.ticket_type_id, l.quantity, price));
                }
            }
        }
        award
    }
}

#[cfg(test)]
mod tests;
