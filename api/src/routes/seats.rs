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
    live_body(
        &state,
        &headers,
        ("seat_map", state.cache.keys().seat_map(event_id), None),
        event_not_found(),
        || async move { crate::bodies::load_seat_map(&pool, event_id).await },
    )
    .await
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
    live_body(
        &state,
        &headers,
        (
            "block_summary",
            state.cache.keys().block_summary(event_id),
            None,
        ),
        event_not_found(),
        || async move { crate::bodies::load_block_summary(&pool, event_id).await },
    )
    .await
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
    live_body(
        &state,
        &headers,
        (
            "block_seats",
            keys.block_seats(event_id, block_id),
            Some(keys.block_seats_index(event_id)),
        ),
        not_found,
        || async move { crate::bodies::load_block_seats(&pool, event_id, block_id).await },
    )
    .await
}

fn event_not_found() -> ApiError {
    ApiError::NotFound {
        code: "EVENT_NOT_FOUND",
        message: "no such event",
    }
}

/// A seat-state body through the cache (`(metric name, key, invalidation index)`), loaded on
/// a miss; `missing` when the loader finds nothing. Seat state changes constantly, so
/// browsers must revalidate (cheap with the ETag).
async fn live_body<F, Fut>(
    state: &AppState,
    headers: &HeaderMap,
    (cache, key, index): (&'static str, String, Option<String>),
    missing: ApiError,
    load: F,
) -> ApiResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<Vec<u8>>>>,
{
    let body = state
        .cache
        .get_or_load(cache, key, state.config.cache.seat_map, index, load)
        .await?
        .ok_or(missing)?;
    Ok(cached::respond(&body, headers, 0))
}
