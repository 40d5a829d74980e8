//! Infrastructure every domain module stands on: configuration, the PostgreSQL pool and
//! migrations, Redis (connections, key names, the read cache, the sweeper lease), RabbitMQ,
//! TLS to all three, health checks and telemetry. Nothing here knows about seats or fans;
//! the domain modules beside `infra` do.

pub mod amqp;
pub mod cache;
pub mod config;
pub mod db;
pub mod health;
pub mod lease;
pub mod redis;
pub mod telemetry;
pub mod tls;
