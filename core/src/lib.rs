//! Tiketi's shared domain: the one place where each concept (auth tokens, event times,
//! seat maps, cache keys, SQL, configuration, telemetry) is written. Binaries stay thin
//! and call into this crate.

pub mod admin;
pub mod admission;
pub mod amqp;
pub mod audit;
pub mod auth;
pub mod cache;
pub mod commands;
pub mod config;
pub mod db;
pub mod events;
pub mod health;
pub mod keys;
pub mod layouts;
pub mod lease;
pub mod limits;
pub mod live;
pub mod media;
pub mod payments;
pub mod pow;
pub mod reservations;
pub mod seat_events;
pub mod seat_map;
pub mod seat_state;
pub mod seed;
pub mod telemetry;
pub mod time;
pub mod tls;
pub mod users;
pub mod waiting_room;
