//! PostgreSQL: the pool, the embedded migrations, and reading constraint names out of
//! errors so that callers map violations to client errors without parsing messages.

use std::time::Duration;

use sqlx::{postgres::PgPoolOptions, PgPool};

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(crate::infra::tls::pg_options(url)?)
        .await
        .map_err(|e| crate::infra::tls::connect_error("DATABASE_URL", &e))?;
    Ok(pool)
}

/// A pool that connects lazily, so a process can start (and report unhealthy) while the
/// database is down.
pub fn connect_lazy(url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        // Kept open in the background, so the first burst does not pay for connecting.
        .min_connections((max_connections / 4).max(1))
        .acquire_timeout(Duration::from_secs(3))
        .connect_lazy_with(crate::infra::tls::pg_options(url)?))
}

pub async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// The name of the constraint an error violated, if it is a constraint violation.
pub fn violated_constraint(err: &sqlx::Error) -> Option<&str> {
    match err {
        sqlx::Error::Database(db) => db.constraint(),
        _ => None,
    }
}
