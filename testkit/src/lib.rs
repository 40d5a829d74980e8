//! Test-only helpers shared by every crate's integration tests.
//!
//! Tests that kill, restart, cluster or TLS-wrap a service must never touch the machine's
//! shared PostgreSQL, Redis or RabbitMQ, so they start private instances from the binaries
//! on PATH, on ports allocated at run time, in temporary folders that are removed when the
//! handle drops. Each module here owns one kind of private service; `eventually` is how
//! a test waits for something to happen.

pub use eventually::eventually;

pub mod eventually;
pub mod ports;
pub mod postgres;
pub mod process;
pub mod rabbitmq;
pub mod redis_cluster;
pub mod tls;
