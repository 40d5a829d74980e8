//! Tiketi's HTTP + WebSocket gateway: authenticates fans, serves cached reads, and (with the
//! reservation pipeline) turns reserve requests into queued commands.

pub mod bodies;
pub mod cached;
pub mod config;
pub mod dispatch;
pub mod error;
pub mod error_codes;
pub mod extract;
pub mod fanout;
pub mod media;
pub mod middleware;
pub mod plan_names;
pub mod rate_limit;
pub mod refresh;
pub mod rooms;
pub mod routes;
pub mod socketio;
pub mod startup;
pub mod state;
pub mod web;
pub mod ws;

pub use config::ApiConfig;
pub use startup::Application;
