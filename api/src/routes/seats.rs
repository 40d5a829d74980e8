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
