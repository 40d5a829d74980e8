//! A fan's signed tickets: the codes their QR codes carry, per reservation (owner only;
//! another fan's reservation is 404). Tickets exist once the reservation is confirmed.
//! The same tickets as a PDF to print or keep offline (the owner's, or any for an admin
//! helping a fan at the box office).

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use tiketi_core::{reservation as reservations, ticket, user::auth::Role};
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

/// The reservation's valid tickets as a PDF, one page per ticket with its QR code (the
/// signed code a gate scans). The owner's or, for an admin, anyone's; others get 404.
#[utoipa::path(get, path = "/api/reservations/{id}/tickets.pdf", operation_id = "download_tickets_pdf", tag = "reservations", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>, description = "one page per ticket",
                headers(("Content-Disposition" = String, description = "attachment; filename=\"tiketi-<reservation code>.pdf\""))),
              (status = 404, description = "RESERVATION_NOT_FOUND"),
              (status = 409, description = "TICKETS_NOT_ISSUED: the reservation is not confirmed, or its event was cancelled")))]
pub async fn pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let not_found = || ApiError::NotFound {
        code: "RESERVATION_NOT_FOUND",
        message: "no such reservation",
    };
    let internal = |e: ticket::TicketError| ApiError::Internal(e.into());
    let printable = ticket::printable(&state.pool, &state.ticket_keys, id)
        .await
        .map_err(internal)?
        .ok_or_else(not_found)?;
    if printable.owner_id != user.id && !is_admin(&state, &user).await? {
        return Err(not_found());
    }
    if !printable.valid || printable.sheet.tickets.is_empty() {
        return Err(ApiError::Conflict {
            code: "TICKETS_NOT_ISSUED",
            message: "tickets are printable once the reservation is confirmed, and not after it or its event was cancelled".into(),
            details: None,
        });
    }
    let filename = format!(
        "tiketi-{}.pdf",
        file_safe(&printable.sheet.reservation_code)
    );
    // Rendering is CPU work (shaping, font subsetting): off the async workers.
    let sheet = printable.sheet;
    let bytes = tokio::task::spawn_blocking(move || ticket::pdf::render(&sheet))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// Whether the user is an admin now: read from the database like the `Admin` extractor, so
/// a demoted admin's token stops opening other fans' tickets at once.
async fn is_admin(state: &AppState, user: &CurrentUser) -> ApiResult<bool> {
    Ok(tiketi_core::user::find(&state.pool, user.id)
        .await?
        .is_some_and(|u| u.role == Role::Admin))
}

/// Reservation codes are letters, digits and dashes; anything else is dropped rather than
/// trusted inside a header.
fn file_safe(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
