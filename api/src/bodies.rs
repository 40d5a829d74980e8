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
    Ok(match seat_map::load(pool, event_id).await? {
        Some(map) => Some(serde_json::to_vec(&map)?),
        None => None,
    })
}

/// The serialized detail body, shared by the read path and the cache refresher.
pub async fn load_detail(pool: &sqlx::PgPool, id: Uuid) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(match event::detail(pool, id).await? {
        Some(detail) => Some(serde_json::to_vec(&detail)?),
        None => None,
    })
}

/// The serialized block summary, shared by the read path and the cache refresher.
pub async fn load_block_summary(
    pool: &sqlx::PgPool,
    event_id: Uuid,
) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(match blocks::summary(pool, event_id).await? {
        Some(map) => Some(serde_json::to_vec(&map)?),
        None => None,
    })
}

/// The serialized seats of one block.
pub async fn load_block_seats(
    pool: &sqlx::PgPool,
    event_id: Uuid,
    block_id: i32,
) -> anyhow::Result<Option<Vec<u8>>> {
    Ok(match blocks::seats(pool, event_id, block_id).await? {
        Some(block) => Some(serde_json::to_vec(&block)?),
        None => None,
    })
}
