//! The bodies the read cache holds, loaded from the database and serialized once: shared
//! by the read routes (on a miss) and the refresher (ahead of expiry), so the background
//! task does not reach into route modules.

use tiketi_core::{
    event,
    layout::{blocks, seat_map},
};
use uuid::Uuid;

/// The serialized seat-map snapshot, shared by the read path and the cache refresher.
pub async fn load_seat_map(pool: &sqlx::PgPool, event_id: Uuid) -> anyhow::Result<Option<Vec<u8>>> {
    serialized(seat_map::load(pool, event_id).await?)
}

/// The serialized detail body, shared by the read path and the cache refresher.
pub async fn load_detail(pool: &sqlx::PgPool, id: Uuid) -> anyhow::Result<Option<Vec<u8>>> {
    serialized(event::detail(pool, id).await?)
}

/// The serialized block summary, shared by the read path and the cache refresher.
pub async fn load_block_summary(
    pool: &sqlx::PgPool,
    event_id: Uuid,
) -> anyhow::Result<Option<Vec<u8>>> {
    serialized(blocks::summary(pool, event_id).await?)
}

/// The serialized seats of one block.
pub async fn load_block_seats(
    pool: &sqlx::PgPool,
    event_id: Uuid,
    block_id: i32,
) -> anyhow::Result<Option<Vec<u8>>> {
    serialized(blocks::seats(pool, event_id, block_id).await?)
}

/// A found body as the JSON the cache holds; nothing found stays nothing.
fn serialized<T: serde::Serialize>(found: Option<T>) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(found.map(|body| serde_json::to_vec(&body)).transpose()?)
}
