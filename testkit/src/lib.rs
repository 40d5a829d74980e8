//! Test-only helpers shared by every crate's integration tests.
//!
//! Tests run Tiketi in-process: the api on port 0 (`TestApp`), workers (`TestWorker`) and
//! the sweeper (`TestSweeper`) as tasks with graceful shutdown, or all of them together
//! (`Stack`), on the fresh database `#[sqlx::test]` made and prefixes of their own, with
//! the data they start from made by `fixtures`. Tests that kill, restart, cluster or
//! TLS-wrap a service must never touch the machine's shared PostgreSQL, Redis or RabbitMQ,
//! so they start private instances from the binaries on PATH, on ports allocated at run
//! time, in temporary folders that are removed when the handle drops. `eventually` is how
//! a test waits for something to happen.

pub use app::{env_or, error_of, next_matching, test_config, Socket, TestApp};
pub use eventually::eventually;
pub use fixtures::{sections, Fan};
pub use stack::{assert_invariants, body, wait_for_no_pending, Options, Stack};
pub use sweeper::{mail_config, sweeper_config, TestSweeper};
pub use worker::{worker_config, TestWorker};

pub mod app;
pub mod eventually;
pub mod fixtures;
pub mod ports;
pub mod postgres;
pub mod process;
pub mod rabbitmq;
pub mod redis_cluster;
pub mod stack;
pub mod sweeper;
pub mod tls;
pub mod worker;
