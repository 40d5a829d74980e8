//! Each rule of the arbiter on its own, then properties over random batches and worlds.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::reservation::commands::TicketLine;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

const EVENT: Uuid = Uuid::from_u128(0xE1);
const OTHER_EVENT: Uuid = Uuid::from_u128(0xE2);

fn seats_cmd(request: u128, user: u128, seats: &[u128]) -> ReserveCommand {
    ReserveCommand {
        request_id: id(request),
        user_id: id(user),
        event_id: EVENT,
        order: Order::Seats {
            seat_ids: seats.iter().map(|s| id(*s)).collect(),
        },
        requested_at: Utc::now(),
        hold_until: None,
        deadline: None,
    }
}

fn tickets_cmd(request: u128, user: u128, lines: &[(u128, i32)]) -> ReserveCommand {
    ReserveCommand {
        order: Order::Tickets {
            items: lines
                .iter()
                .map(|(t, q)| TicketLine {
                    ticket_type_id: id(*t),
                    quantity: *q,
                })
                .collect(),
        },
        ..seats_cmd(request, user, &[])
    }
}

/// EVENT on sale with available seats 1..=4 (price 100 each) and ticket type 50 (3 left,
/// price 7); OTHER_EVENT's seat 9 and ticket type 59.
fn world() -> Snapshot {
    let mut s = Snapshot::default();
    s.on_sale.insert(EVENT);
    for n in 1..=4 {
        s.seats.insert(
            id(n),
            SeatInfo {
                event_id: EVENT,
                available: true,
                price: 100,
            },
        );
    }
    s.seats.insert(
        id(9),
        SeatInfo {
            event_id: OTHER_EVENT,
            available: true,
            price: 100,
        },
    );
    s.ticket_types.insert(
        id(50),
        StockInfo {
            event_id: EVENT,
            remaining: 3,
            price: 7,
        },
    );
    s.ticket_types.insert(
        id(59),
        StockInfo {
            event_id: OTHER_EVENT,
            remaining: 3,
            price: 7,
        },
    );
    s
}

/// Reservation ids 1000, 1001, ... in the order winners are found.
fn counter() -> impl FnMut() -> Uuid {
    let mut next = 1000;
    move || {
        next += 1;
        id(next - 1)
    }
}

fn run(commands: &[ReserveCommand], snapshot: &Snapshot) -> Vec<Decision> {
    decide(commands, &HashMap::new(), snapshot, counter())
        .iter()
        .map(Verdict::decision)
        .collect()
}

fn lost(r: Rejection) -> Decision {
    Decision::Rejected(r)
}

fn won(n: u128) -> Decision {
    Decision::Reserved {
        reservation_id: id(n),
    }
}

#[test]
fn a_winner_gets_its_seats_at_their_prices() {
    let v = decide(
        &[seats_cmd(1, 1, &[2, 1])],
        &HashMap::new(),
        &world(),
        counter(),
    );
    let Verdict::Won(award) = &v[0] else {
        panic!("{v:?}")
    };
    assert_eq!(award.seats, vec![(id(2), 100), (id(1), 100)]);
    assert_eq!(award.total(), 200);
    assert!(v[0].is_new());
}

#[test]
fn earlier_commands_win_shared_seats_and_losers_learn_which() {
    let d = run(
        &[
            seats_cmd(1, 1, &[1, 2]),
            seats_cmd(2, 2, &[3, 2, 1]),
            seats_cmd(3, 3, &[3]),
        ],
        &world(),
    );
    assert_eq!(d[0], won(1000));
    assert_eq!(
        d[1],
        lost(Rejection::SeatUnavailable {
            seat_ids: vec![id(2), id(1)]
        })
    );
    // The loser took nothing: seat 3 is still free for the next command.
    assert_eq!(d[2], won(1001));
}

#[test]
fn a_held_or_sold_seat_is_unavailable() {
    let mut w = world();
    w.seats.get_mut(&id(2)).unwrap().available = false;
    assert_eq!(
        run(&[seats_cmd(1, 1, &[1, 2])], &w)[0],
        lost(Rejection::SeatUnavailable {
            seat_ids: vec![id(2)]
        })
    );
}

#[test]
fn an_event_off_sale_refuses_before_anything_else() {
    let mut w = world();
    w.on_sale.clear();
    w.holding.insert((id(1), EVENT), id(77));
    assert_eq!(
        run(&[seats_cmd(1, 1, &[99])], &w)[0],
        lost(Rejection::EventNotOnSale)
    );
}

#[test]
fn seats_or_types_of_another_event_unknown_or_repeated_make_an_invalid_order() {
    let w = world();
    for cmd in [
        seats_cmd(1, 1, &[1, 9]),
        seats_cmd(1, 1, &[1, 99]),
        seats_cmd(1, 1, &[1, 1]),
        seats_cmd(1, 1, &[]),
        tickets_cmd(1, 1, &[(59, 1)]),
        tickets_cmd(1, 1, &[(50, 1), (50, 1)]),
        tickets_cmd(1, 1, &[(50, 0)]),
        tickets_cmd(1, 1, &[]),
    ] {
        assert_eq!(
            run(std::slice::from_ref(&cmd), &w)[0],
            lost(Rejection::InvalidOrder),
            "{cmd:?}"
        );
    }
}

#[test]
fn a_fan_holds_once_per_event_counting_holds_made_earlier_in_the_batch() {
    let mut w = world();
    w.holding.insert((id(5), EVENT), id(77));
    let d = run(
        &[
            seats_cmd(1, 5, &[1]),
            seats_cmd(2, 6, &[2]),
            seats_cmd(3, 6, &[3]),
        ],
        &w,
    );
    assert_eq!(
        d[0],
        lost(Rejection::AlreadyHolding {
            reservation_id: id(77)
        })
    );
    assert_eq!(d[1], won(1000));
    assert_eq!(
        d[2],
        lost(Rejection::AlreadyHolding {
            reservation_id: id(1000)
        })
    );
}

#[test]
fn holding_is_checked_before_the_cap_and_the_cap_before_availability() {
    let mut w = world();
    w.limits.insert(EVENT, 2);
    w.owned.insert((id(1), EVENT), 2);
    w.seats.get_mut(&id(1)).unwrap().available = false;
    assert_eq!(
        run(&[seats_cmd(1, 1, &[1])], &w)[0],
        lost(Rejection::PurchaseLimitReached { limit: 2, owned: 2 })
    );
    w.holding.insert((id(1), EVENT), id(77));
    assert_eq!(
        run(&[seats_cmd(1, 1, &[1])], &w)[0],
        lost(Rejection::AlreadyHolding {
            reservation_id: id(77)
        })
    );
}

#[test]
fn the_cap_counts_what_the_fan_owns_and_tickets_like_seats() {
    let mut w = world();
    w.limits.insert(EVENT, 3);
    w.owned.insert((id(1), EVENT), 1);
    assert_eq!(
        run(&[seats_cmd(1, 1, &[1, 2, 3])], &w)[0],
        lost(Rejection::PurchaseLimitReached { limit: 3, owned: 1 })
    );
    assert_eq!(run(&[tickets_cmd(1, 1, &[(50, 2)])], &w)[0], won(1000));
    assert_eq!(
        run(
            &[tickets_cmd(1, 2, &[(50, 3)]), tickets_cmd(2, 2, &[(50, 1)])],
            &{
                let mut w = w.clone();
                w.limits.insert(EVENT, 2);
                w
            }
        )[0],
        lost(Rejection::PurchaseLimitReached { limit: 2, owned: 0 })
    );
}

#[test]
fn tickets_are_sold_while_stock_lasts_in_arrival_order() {
    let w = world();
    let v = decide(
        &[
            tickets_cmd(1, 1, &[(50, 2)]),
            tickets_cmd(2, 2, &[(50, 2)]),
            tickets_cmd(3, 3, &[(50, 1)]),
        ],
        &HashMap::new(),
        &w,
        counter(),
    );
    let Verdict::Won(first) = &v[0] else {
        panic!("{v:?}")
    };
    assert_eq!(first.tickets, vec![(id(50), 2, 7)]);
    assert_eq!(first.total(), 14);
    assert_eq!(
        v[1].decision(),
        lost(Rejection::SoldOut {
            ticket_type_ids: vec![id(50)]
        })
    );
    assert_eq!(v[2].decision(), won(1001));
}

#[test]
fn refusals_made_before_the_database_come_first() {
    let refused = HashMap::from([(id(1), Rejection::RequestExpired)]);
    let mut w = world();
    w.on_sale.clear();
    let v = decide(&[seats_cmd(1, 1, &[1])], &refused, &w, counter());
    assert_eq!(v[0], Verdict::Lost(Rejection::RequestExpired));
}

#[test]
fn a_redelivery_or_a_copy_in_the_batch_gets_the_first_decision_and_takes_nothing() {
    let mut w = world();
    w.recorded.insert(id(1), won(555));
    let v = decide(
        &[
            seats_cmd(1, 1, &[1]),
            seats_cmd(2, 2, &[1]),
            seats_cmd(2, 2, &[1]),
            seats_cmd(3, 3, &[2]),
        ],
        &HashMap::new(),
        &w,
        counter(),
    );
    assert_eq!(v[0], Verdict::Recorded(won(555)));
    assert_eq!(v[1].decision(), won(1000));
    assert_eq!(v[2], Verdict::Recorded(won(1000)));
    assert!(!v[2].is_new());
    assert_eq!(v[3].decision(), won(1001));
}

// ---- properties over random worlds and batches ----

const SEATS: u128 = 8;
const TYPES: u128 = 3;
const USERS: u128 = 4;

/// Seats 1..=8 (seat 8 is OTHER_EVENT's), seat 99 unknown; types 50..53 (52 is
/// OTHER_EVENT's), 99 unknown.
fn arb_snapshot() -> impl Strategy<Value = Snapshot> {
    (
        prop::collection::vec((any::<bool>(), 1i64..500), SEATS as usize),
        prop::collection::vec((0i32..6, 1i64..50), TYPES as usize),
        any::<bool>(),
        prop::collection::vec(prop::option::of(0u128..3), USERS as usize),
        prop::option::of(1i32..6),
        prop::collection::vec(0i64..4, USERS as usize),
        prop::collection::vec(prop::option::of(any::<bool>()), 4),
    )
        .prop_map(|(seats, types, on_sale, holding, limit, owned, recorded)| {
            let mut s = Snapshot::default();
            if on_sale {
                s.on_sale.insert(EVENT);
            }
            for (n, (available, price)) in seats.into_iter().enumerate() {
                let n = n as u128 + 1;
                let event_id = if n == SEATS { OTHER_EVENT } else { EVENT };
                s.seats.insert(
                    id(n),
                    SeatInfo {
                        event_id,
                        available,
                        price,
                    },
                );
            }
            for (n, (remaining, price)) in types.into_iter().enumerate() {
                let n = n as u128;
                let event_id = if n == 2 { OTHER_EVENT } else { EVENT };
                s.ticket_types.insert(
                    id(50 + n),
                    StockInfo {
                        event_id,
                        remaining,
                        price,
                    },
                );
            }
            for (u, h) in holding.into_iter().enumerate() {
                if let Some(h) = h.filter(|h| *h == 0) {
                    s.holding.insert((id(u as u128 + 1), EVENT), id(7000 + h));
                }
            }
            if let Some(limit) = limit {
                s.limits.insert(EVENT, limit);
                for (u, o) in owned.into_iter().enumerate() {
                    s.owned.insert((id(u as u128 + 1), EVENT), o);
                }
            }
            // Some request ids (1..=4) decided before.
            for (r, d) in recorded.into_iter().enumerate() {
                if let Some(reserved) = d {
                    let decision = if reserved {
                        won(8000 + r as u128)
                    } else {
                        lost(Rejection::EventNotOnSale)
                    };
                    s.recorded.insert(id(r as u128 + 1), decision);
                }
            }
            s
        })
}

fn arb_command() -> impl Strategy<Value = ReserveCommand> {
    let seat = prop_oneof![9 => 1u128..=SEATS, 1 => Just(99u128)];
    let ticket = (
        prop_oneof![9 => 50u128..50 + TYPES, 1 => Just(99u128)],
        0i32..4,
    );
    let order = prop_oneof![
        prop::collection::vec(seat, 0..4).prop_map(|s| (s, vec![])),
        prop::collection::vec(ticket, 0..3).prop_map(|t| (vec![], t)),
    ];
    (1u128..=12, 1u128..=USERS, order, any::<bool>()).prop_map(|(request, user, (s, t), seats)| {
        if seats && t.is_empty() {
            seats_cmd(request, user, &s)
        } else {
            tickets_cmd(request, user, &t)
        }
    })
}

fn arb_refused() -> impl Strategy<Value = HashMap<Uuid, Rejection>> {
    prop::collection::hash_map(
        (1u128..=12).prop_map(id),
        prop_oneof![
            Just(Rejection::RequestExpired),
            Just(Rejection::AdmissionEnded),
            Just(Rejection::SeatUnavailable {
                seat_ids: vec![id(1)]
            }),
        ],
        0..3,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_seat_is_awarded_twice_nor_one_that_was_taken(
        snapshot in arb_snapshot(),
        commands in prop::collection::vec(arb_command(), 0..12),
        refused in arb_refused(),
    ) {
        let mut awarded = HashSet::new();
        for v in decide(&commands, &refused, &snapshot, counter()) {
            if let Verdict::Won(a) = v {
                for (seat, price) in a.seats {
                    prop_assert!(awarded.insert(seat), "seat {seat} awarded twice");
                    let info = snapshot.seats[&seat];
                    prop_assert!(info.available);
                    prop_assert_eq!(info.price, price);
                }
            }
        }
    }

    #[test]
    fn no_ticket_type_is_oversold(
        snapshot in arb_snapshot(),
        commands in prop::collection::vec(arb_command(), 0..12),
        refused in arb_refused(),
    ) {
        let mut sold: HashMap<Uuid, i64> = HashMap::new();
        for v in decide(&commands, &refused, &snapshot, counter()) {
            if let Verdict::Won(a) = v {
                for (t, q, _) in a.tickets {
                    prop_assert!(q >= 1);
                    *sold.entry(t).or_default() += i64::from(q);
                }
            }
        }
        for (t, n) in sold {
            prop_assert!(n <= i64::from(snapshot.ticket_types[&t].remaining), "type {t}: {n} sold");
        }
    }

    #[test]
    fn winners_respect_sale_caps_and_one_hold_per_fan(
        snapshot in arb_snapshot(),
        commands in prop::collection::vec(arb_command(), 0..12),
        refused in arb_refused(),
    ) {
        let verdicts = decide(&commands, &refused, &snapshot, counter());
        let mut holds: HashSet<(Uuid, Uuid)> = HashSet::new();
        let mut added: HashMap<(Uuid, Uuid), i64> = HashMap::new();
        for (cmd, v) in commands.iter().zip(&verdicts) {
            if let Verdict::Won(a) = v {
                let fan = (cmd.user_id, cmd.event_id);
                prop_assert!(snapshot.on_sale.contains(&cmd.event_id));
                prop_assert!(!refused.contains_key(&cmd.request_id));
                prop_assert!(!snapshot.holding.contains_key(&fan));
                prop_assert!(holds.insert(fan), "two holds for one fan");
                prop_assert_eq!(a.seats.len() + a.tickets.len(), match &cmd.order {
                    Order::Seats { seat_ids } => seat_ids.len(),
                    Order::Tickets { items } => items.len(),
                });
                *added.entry(fan).or_default() += cmd.order.quantity();
                if let Some(limit) = snapshot.limits.get(&cmd.event_id) {
                    let owned = snapshot.owned.get(&fan).copied().unwrap_or(0);
                    prop_assert!(owned + added[&fan] <= i64::from(*limit));
                }
            }
        }
    }

    #[test]
    fn every_loser_has_a_true_reason(
        snapshot in arb_snapshot(),
        commands in prop::collection::vec(arb_command(), 0..12),
        refused in arb_refused(),
    ) {
        let verdicts = decide(&commands, &refused, &snapshot, counter());
        prop_assert_eq!(verdicts.len(), commands.len());
        for (cmd, v) in commands.iter().zip(&verdicts) {
            let Verdict::Lost(r) = v else { continue };
            if let Some(pre) = refused.get(&cmd.request_id) {
                prop_assert_eq!(r, pre);
                continue;
            }
            match r {
                Rejection::EventNotOnSale => prop_assert!(!snapshot.on_sale.contains(&cmd.event_id)),
                Rejection::SeatUnavailable { seat_ids } => {
                    let Order::Seats { seat_ids: asked } = &cmd.order else {
                        return Err(TestCaseError::fail("seat reason for a ticket order"));
                    };
                    prop_assert!(!seat_ids.is_empty());
                    prop_assert!(seat_ids.iter().all(|s| asked.contains(s)));
                }
                Rejection::SoldOut { ticket_type_ids } => {
                    let Order::Tickets { items } = &cmd.order else {
                        return Err(TestCaseError::fail("stock reason for a seat order"));
                    };
                    prop_assert!(!ticket_type_ids.is_empty());
                    prop_assert!(ticket_type_ids.iter().all(|t| items.iter().any(|l| l.ticket_type_id == *t)));
                }
                Rejection::AlreadyHolding { reservation_id } => prop_assert!(!reservation_id.is_nil()),
                Rejection::PurchaseLimitReached { limit, owned } => {
                    prop_assert_eq!(Some(limit), snapshot.limits.get(&cmd.event_id));
                    prop_assert!(owned + cmd.order.quantity() > i64::from(*limit));
                }
                Rejection::InvalidOrder => {}
                other => prop_assert!(false, "a reason the arbiter never gives: {other:?}"),
            }
        }
    }

    #[test]
    fn an_outcome_never_depends_on_later_commands(
        snapshot in arb_snapshot(),
        commands in prop::collection::vec(arb_command(), 0..12),
        refused in arb_refused(),
        cut in 0usize..12,
    ) {
        let cut = cut.min(commands.len());
        let all = decide(&commands, &refused, &snapshot, counter());
        let prefix = decide(&commands[..cut], &refused, &snapshot, counter());
        prop_assert_eq!(&all[..cut], &prefix[..]);
    }

    #[test]
    fn the_same_batch_in_the_same_world_is_decided_the_same(
        snapshot in arb_snapshot(),
        commands in prop::collection::vec(arb_command(), 0..12),
        refused in arb_refused(),
    ) {
        prop_assert_eq!(
            decide(&commands, &refused, &snapshot, counter()),
            decide(&commands, &refused, &snapshot, counter())
        );
    }
}
