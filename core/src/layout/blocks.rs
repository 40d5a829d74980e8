//! The seat map in two steps, for venues too big to ship every seat to a phone: a block
//! summary (each block's place, price and seats left per status) and the seats of one block.
//! Each is read in one database snapshot together with the event's seat `seq`, like the full
//! map ([`super::seat_map`]), so a client that applies the deltas newer than that `seq`
//! holds the truth.

use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::geometry::{self, BlockKind, FocusKind, Point};
use crate::live::seat_events::SeatStatus;

/// One block of the overview. `id` is the section's position in the layout.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    pub id: i32,
    /// The section name, which is also the grade shown on tickets.
    pub name: String,
    /// The block number on the overview.
    pub label: String,
    pub kind: BlockKind,
    pub polygon: Vec<Point>,
    /// KRW per seat at this event (the event's grade price).
    pub price: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    pub rows: i32,
    pub seats_per_row: i32,
    pub aisles_after: Vec<i32>,
    pub counts: BlockCounts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockCounts {
    pub total: i64,
    pub available: i64,
    pub held: i64,
    pub sold: i64,
}

/// What the fans face on the overview.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Focus {
    pub kind: FocusKind,
    pub polygon: Vec<Point>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockMap {
    pub event_id: Uuid,
    /// `null` for general-admission events, which have no blocks.
    pub layout_id: Option<Uuid>,
    pub focus: Focus,
    pub blocks: Vec<Block>,
    /// Version of these counts; apply only seat deltas with a larger `seq`.
    pub seq: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockSeat {
    pub id: Uuid,
    pub row: String,
    pub number: i32,
    pub status: SeatStatus,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BlockSeats {
    pub event_id: Uuid,
    pub block: Block,
    /// The block's seats, front row first, then by number.
    pub seats: Vec<BlockSeat>,
    /// Version of this snapshot; apply only seat deltas with a larger `seq`.
    pub seq: i64,
}

struct Snapshot {
    tx: sqlx::Transaction<'static, sqlx::Postgres>,
    seq: i64,
    layout: Option<super::Layout>,
}

/// Opens one read-only snapshot of the event: its `seq` and layout. `None` when the event
/// does not exist.
async fn snapshot(pool: &PgPool, event_id: Uuid) -> Result<Option<Snapshot>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let Some(event) = sqlx::query!(
        "SELECT seat_seq, layout_id FROM events WHERE id = $1",
        event_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let layout = match event.layout_id {
        Some(id) => super::find(&mut *tx, id).await?,
        None => None,
    };
    Ok(Some(Snapshot {
        tx,
        seq: event.seat_seq,
        layout,
    }))
}

fn blocks_of(layout: &super::Layout) -> Vec<Block> {
    layout
        .sections
        .iter()
        .zip(layout.geometries())
        .enumerate()
        .map(|(i, (s, g))| Block {
            id: i as i32,
            name: s.name.clone(),
            label: g.label.unwrap_or_else(|| s.name.clone()),
            kind: g.kind,
            polygon: g.polygon,
            price: s.price,
            color: s.color.clone(),
            rows: s.rows,
            seats_per_row: s.seats_per_row,
            aisles_after: g.aisles_after,
            counts: BlockCounts::default(),
        })
        .collect()
}

fn count(counts: &mut BlockCounts, status: SeatStatus, n: i64) {
    counts.total += n;
    match status {
        SeatStatus::Available => counts.available += n,
        SeatStatus::Held => counts.held += n,
        SeatStatus::Sold => counts.sold += n,
    }
}

/// The block summary, or `None` when the event does not exist.
pub async fn summary(pool: &PgPool, event_id: Uuid) -> Result<Option<BlockMap>, sqlx::Error> {
    let Some(mut snap) = snapshot(pool, event_id).await? else {
        return Ok(None);
    };
    let mut blocks = snap.layout.as_ref().map(blocks_of).unwrap_or_default();
    // Prices come from the seats: an organizer may have priced this event's grades apart
    // from the layout's defaults.
    let rows = sqlx::query!(
        r#"SELECT section_index, status AS "status: SeatStatus", count(*) AS "n!",
                  min(price) AS "price!"
        FROM seats WHERE event_id = $1 GROUP BY section_index, status"#,
        event_id
    )
    .fetch_all(&mut *snap.tx)
    .await?;
    snap.tx.commit().await?;
    for r in rows {
        if let Some(b) = blocks.get_mut(r.section_index as usize) {
            count(&mut b.counts, r.status, r.n);
            b.price = r.price;
        }
    }
    let geometries: Vec<_> = snap
        .layout
        .as_ref()
        .map(|l| l.geometries())
        .unwrap_or_default();
    let (kind, polygon) = geometry::focus(&geometries);
    Ok(Some(BlockMap {
        event_id,
        layout_id: snap.layout.map(|l| l.id),
        focus: Focus { kind, polygon },
        blocks,
        seq: snap.seq,
    }))
}

/// The seats of block `block_id`, or `None` when the event or the block does not exist.
pub async fn seats(
    pool: &PgPool,
    event_id: Uuid,
    block_id: i32,
) -> Result<Option<BlockSeats>, sqlx::Error> {
    let Some(mut snap) = snapshot(pool, event_id).await? else {
        return Ok(None);
    };
    let Some(mut block) = snap.layout.as_ref().map(blocks_of).and_then(|b| {
        usize::try_from(block_id)
            .ok()
            .and_then(|i| b.into_iter().nth(i))
    }) else {
        return Ok(None);
    };
    let seats = sqlx::query_as!(
        BlockSeat,
        r#"SELECT id, row_label AS row, number, status AS "status: SeatStatus"
        FROM seats WHERE event_id = $1 AND section_index = $2 ORDER BY row_index, number"#,
        event_id,
        block_id,
    )
    .fetch_all(&mut *snap.tx)
    .await?;
    if let Some(price) = sqlx::query_scalar!(
        "SELECT min(price) FROM seats WHERE event_id = $1 AND section_index = $2",
        event_id,
        block_id,
    )
    .fetch_one(&mut *snap.tx)
    .await?
    {
        block.price = price;
    }
    snap.tx.commit().await?;
    for s in &seats {
        count(&mut block.counts, s.status, 1);
    }
    Ok(Some(BlockSeats {
        event_id,
        block,
        seats,
        seq: snap.seq,
    }))
}
