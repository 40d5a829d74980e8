//! The seat-map snapshot: the layout, every seat in layout order with its status, and the
//! `seq` of that state, read in one database snapshot so the two agree.

use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{layout::Layout, live::seat_events::SeatStatus};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Seat {
    pub id: Uuid,
    pub section: String,
    #[serde(rename = "row")]
    pub row: String,
    pub number: i32,
    pub price: i64,
    pub status: SeatStatus,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeatMap {
    pub event_id: Uuid,
    /// `null` for general-admission events, which have no seats.
    pub layout: Option<Layout>,
    pub seats: Vec<Seat>,
    /// Version of this snapshot; apply only WebSocket deltas with a larger `seq`.
    pub seq: i64,
}

/// Reads the snapshot, or `None` when the event does not exist.
pub async fn load(pool: &PgPool, event_id: Uuid) -> Result<Option<SeatMap>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // One snapshot for the seq and the seats, so they agree.
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
    let seq = event.seat_seq;
    let layout = match event.layout_id {
        Some(id) => crate::layout::find(&mut *tx, id).await?,
        None => None,
    };
    let seats = sqlx::query_as!(
        Seat,
        r#"SELECT id, section, row_label AS row, number, price, status AS "status: SeatStatus"
        FROM seats WHERE event_id = $1 ORDER BY section_index, row_index, number"#,
        event_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(SeatMap {
        event_id,
        layout,
        seats,
        seq,
    }))
}
