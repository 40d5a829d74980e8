//! A fan's signed tickets: the codes their QR codes carry, per reservation (owner only;
//! another fan's reservation is 404). Tickets exist once the reservation is confirmed.

use axum::extract::State;
use serde::Serialize;
use tiketi_core::{reservation as reservations, ticket};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    extract::{CurrentUser, Json, Path},
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct TicketsResponse {
    tickets: Vec<ticket::IssuedTicket>,
}

pub(crate) async fn owned_tickets(
    state: &AppState,
    user: &CurrentUser,
    reservation_id: Uuid,
) -> ApiResult<Vec<ticket::IssuedTicket>> {
    reservations::find_owned(&state.pool, reservation_id, user.id)
        .await?
        .ok_or(ApiError::NotFound {
            code: "RESERVATION_NOT_FOUND",
            message: "no such reservation",
        })?;
    ticket::of_reservation(&state.pool, &state.ticket_keys, reservation_id, user.id)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// The reservation's tickets with their signed codes; empty until it is confirmed.
#[utoipa::path(get, path = "/api/reservations/{id}/tickets", operation_id = "list_tickets", tag = "reservations", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TicketsResponse), (status = 404, description = "RESERVATION_NOT_FOUND")))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<TicketsResponse>> {
    let tickets = owned_tickets(&state, &user, id).await?;
    Ok(Json(TicketsResponse { tickets }))
}
