//! Tiketi's shared domain: the one place where each concept is written. Binaries stay
//! thin and call into this crate.
//!
//! Organised by domain, each module owning its model, its SQL and its rules: `event`
//! (events, their times in the event's zone), `layout` (venues and seat maps),
//! `reservation` (the seat arbiter, AMQP commands, Redis seat state, invariants),
//! `payment`, `waiting_room` (queue and admission tokens), `user` (accounts and tokens),
//! `admin` (the organizer's console), `live` (server-push fan-out and the seat outbox),
//! `guard` (rate limits and proof of work), `mail` (e-mail to fans through an outbox), beside `infra` (db, redis, amqp, tls,
//! telemetry, config).

pub mod admin;
pub mod event;
pub mod guard;
pub mod infra;
pub mod layout;
pub mod live;
pub mod mail;
pub mod payment;
pub mod reservation;
pub mod search;
pub mod seed;
pub mod user;
pub mod waiting_room;
