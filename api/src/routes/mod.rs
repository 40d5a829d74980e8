//! HTTP routes, one module per resource.

pub mod admin;
pub mod auth;
pub mod docs;
pub mod events;
pub mod health;
pub mod openapi;
pub mod payment_scope;
pub mod payments;
pub mod queue;
pub mod reservations;
pub mod seats;
