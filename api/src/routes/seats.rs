//! Seat layouts and the per-event seat map.

use axum::{extract::State, http::HeaderMap, response::Response};
use serde::Serialize;
use tiketi_core::layout;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    cached,
    error::{ApiError, ApiResult},
    extract::Path,
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct LayoutsResponse {
    layouts: Vec<layout::Layout>,
}

/// Every seat layout.
#[utoipa::path(get, path = "/api/seats/layouts", tag = "seats",
    responses((status = 200, body = LayoutsResponse)))]
pub async fn layouts(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let pool = state.pool.clone();
    let body = state
        .cache
        .get_or_load(
            "layouts",
            state.cache.keys().layouts(),
            state.config.cache.event_detail,
            None,
            || async move {
                let layouts = layout::list(&pool).await?;
                Ok(Some(serde_json::to_vec(&LayoutsResponse { layouts })?))
            },
        )
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("layout loader returned nothing")))?;
    Ok(cached::respond(&body, &headers, 60))
}

/// The event's seat map: layout, seats in layout order with status, and `seq`.
#[utoipa::path(get, path = "/api/seats/events/{eventId}", tag = "seats", params(("eventId" = Uuid, Path)),
    responses((status = 200, body = tiketi_core::layout::seat_map::SeatMap), (status = 304), (status = 404)))]
pub async fn seat_map(
    State(state): State<AppState>,
    Path(event_id): Path<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let pool = state.pool.clone();
    let body = state
        .cache
        .get_or_load(
            "seat_map",
            state.cache.keys().seat_map(event_id),
            state.config.cache.seat_map,
            None,
            || async move { crate::bodies::load_seat_map(&pool, event_id).await },
        )
        .await?
        .ok_or(ApiError::NotFound {
            code: "EVENT_NOT_FOUND",
            message: "no such event",
        })?;
    // Seat state changes constantly: browsers must revalidate (cheap with the ETag).
    Ok(cached::respond(&body, &headers, 0))
}

/// The event's blocks: where each sits, its grade, price and seats left per status, and `seq`.
#[utoipa::path(get, path = "/api/seats/events/{eventId}/blocks", tag = "seats", params(("eventId" = Uuid, Path)),
    responses((status = 200, body = tiketi_core::layout::blocks::BlockMap), (status = 304), (status = 404)))]
pub async fn block_summary(
    State(state): State<AppState>,
    Path(event_id): Path<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let pool = state.pool.clone();
    let body = state
        .cache
        .get_or_load(
            "block_summary",
            state.cache.keys().block_summary(event_id),
            state.config.cache.seat_map,
            None,
            || async move { crate::bodies::load_block_summary(&pool, event_id).await },
        )
        .await?
        .ok_or(ApiError::NotFound {
            code: "EVENT_NOT_FOUND",
            message: "no such event",
        })?;
    Ok(cached::respond(&body, &headers, 0))
}

/// One block's seats (front row first) with row letters, numbers and status, and `seq`.
#[utoipa::path(get, path = "/api/seats/events/{eventId}/blocks/{blockId}", tag = "seats",
    params(("eventId" = Uuid, Path), ("blockId" = i32, Path, description = "the block's `id` from the summary")),
    responses((status = 200, body = tiketi_core::layout::blocks::BlockSeats), (status = 304), (status = 404)))]
pub async fn block_seats(
    State(state): State<AppState>,
    Path((event_id, block_id)): Path<(Uuid, i32)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let not_found = ApiError::NotFound {
        code: "BLOCK_NOT_FOUND",
        message: "no such event or block",
    };
    if !(0..layout::MAX_BLOCKS as i32).contains(&block_id) {
        return Err(not_found);
    }
    let pool = state.pool.clone();
    let keys = state.cache.keys();
    let body = state
        .cache
        .get_or_load(
            "block_seats",
            keys.block_seats(event_id, block_id),
            state.config.cache.seat_map,
            Some(keys.block_seats_index(event_id)),
            || async move { crate::bodies::load_block_seats(&pool, event_id, block_id).await },
        )
        .await?
        .ok_or(not_found)?;
    Ok(cached::respond(&body, &headers, 0))
}
