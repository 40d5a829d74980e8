//! HTTP routes, one module per resource.

pub mod admin;
pub mod auth;
pub mod checkin;
pub mod docs;
pub mod events;
pub mod exports;
pub mod health;
pub mod media;
pub mod openapi;
pub mod payment_scope;
pub mod payments;
pub mod queue;
pub mod reservations;
pub mod seats;
pub mod tickets;
