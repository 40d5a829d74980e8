//! Reserving through the queue, request outcomes, the fan's reservations and cancelling.

use std::collections::HashSet;

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tiketi_core::{
    event::Seating,
    live::seat_events,
    reservation::commands::{Decision, Order, Rejection, ReserveCommand, TicketLine},
    reservation::{self, CancelError, Reservation},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    dispatch::DispatchError,
    error::{ApiError, ApiResult},
    extract::{Buyer, CurrentUser, Json, Path},
    routes::queue,
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReserveSeatsRequest {
    event_id: Uuid,
    #[serde(default)]
    seat_ids: Vec<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrderTicketsRequest {
    event_id: Uuid,
    #[serde(default)]
    items: Vec<TicketLineRequest>,
}

/// One line of an order as the HTTP API takes it; the queue has its own `TicketLine`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = TicketLine)]
pub struct TicketLineRequest {
    ticket_type_id: Uuid,
    quantity: i32,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReservedResponse {
    reservation: Reservation,
    expires_at: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedResponse {
    request_id: Uuid,
    status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct ReservationResponse {
    reservation: Reservation,
}

/// The plan's answer to a cancel, `{"message": "취소됨"}`, beside what Tiketi answers.
pub const CANCELLED: &str = "취소됨";

#[derive(Serialize, ToSchema)]
pub struct CancelledResponse {
    /// The plan's confirmation, `취소됨` ("cancelled").
    #[schema(example = "취소됨")]
    message: &'static str,
    reservation: Reservation,
}

#[derive(Serialize, ToSchema)]
pub struct ReservationsResponse {
    reservations: Vec<Reservation>,
}

/// Checks the event, for an event with the waiting room the fan's admission, and that the
/// fan does not hold seats of this event already (one hold per fan and event: refused here,
/// before anything is queued in the event's partition ahead of other fans). Returns when
/// the admission ends, if there is one: the hold must end no later.
async fn gate(
    state: &AppState,
    user: Uuid,
    headers: &HeaderMap,
    event_id: Uuid,
    seating: Seating,
) -> ApiResult<Option<DateTime<Utc>>> {
    // Cached for a second per process: everything else (seats of this event, stock, caps)
    // the worker decides with the database.
    let gate = queue::room(state, event_id).await?;
    if gate.seating != seating {
        return Err(if seating == Seating::Reserved {
            ApiError::Unprocessable {
                code: "NOT_A_SEATED_EVENT",
                message: "this event has general admission; order tickets at /api/reservations"
                    .into(),
            }
        } else {
            ApiError::Unprocessable {
                code: "NOT_A_GENERAL_ADMISSION_EVENT",
                message: "this event has a seat map; reserve seats at /api/seats/reserve".into(),
            }
        });
    }
    if !gate.selling {
        return Err(rejection_error(Rejection::EventNotOnSale));
    }
    let admission =
        queue::require_admission(state, user, event_id, gate.queue_enabled, headers).await?;
    // One indexed lookup (the one-pending-per-fan index): the worker would refuse it too,
    // but only after it waited in line ahead of other fans' commands.
    if let Some(reservation_id) = reservation::pending_for(&state.pool, user, event_id).await? {
        return Err(rejection_error(Rejection::AlreadyHolding {
            reservation_id,
        }));
    }
    Ok(admission.and_then(|claims| DateTime::from_timestamp(claims.exp, 0)))
}

/// A command sent with `Prefer: respond-async` may wait this many reply timeouts in line.
const ASYNC_PATIENCE: u32 = 12;

fn rejection_error(r: Rejection) -> ApiError {
    match r {
        Rejection::InvalidOrder | Rejection::RequestNotProcessable => ApiError::Unprocessable {
            code: r.code(),
            message: r.message().into(),
        },
        other => ApiError::Conflict {
            code: other.code(),
            message: other.message().into(),
            details: Some(other.details()),
        },
    }
}

/// The client's Idempotency-Key, if it sent one.
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    match headers.get("idempotency-key") {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .filter(|k| !k.is_empty() && k.len() <= 255)
            .map(Some)
            .ok_or_else(|| {
                ApiError::validation("Idempotency-Key", "must be 1 to 255 visible characters")
            }),
    }
}

/// The request id: derived from fan, event and Idempotency-Key (a retry sends the same
/// command; the same key on another event is another request), else fresh.
fn request_id(user: Uuid, event_id: Uuid, headers: &HeaderMap) -> ApiResult<Uuid> {
    Ok(match idempotency_key(headers)? {
        Some(key) => ReserveCommand::request_id_for(user, event_id, key),
        None => Uuid::now_v7(),
    })
}

fn key_reused() -> ApiError {
    ApiError::Unprocessable {
        code: "IDEMPOTENCY_KEY_REUSED",
        message: "this Idempotency-Key was used with a different request".into(),
    }
}

/// Reserve seats on the seat map. 201 with the hold, 409 when seats are taken, or 202 with
/// a request id (`Prefer: respond-async`, or no decision within the reply timeout).
#[utoipa::path(post, path = "/api/seats/reserve", tag = "reservations", request_body = ReserveSeatsRequest,
    security(("bearer" = [])),
    responses((status = 201, body = ReservedResponse), (status = 202, body = AcceptedResponse),
              (status = 409, description = "SEAT_UNAVAILABLE | ALREADY_HOLDING | EVENT_NOT_ON_SALE"), (status = 422), (status = 403, description = "GATE_ACCOUNT")))]
pub async fn reserve_seats(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    headers: HeaderMap,
    Json(req): Json<ReserveSeatsRequest>,
) -> ApiResult<Response> {
    state.limits.reserve(user.id).await?;
    let max = state.config.max_seats_per_order;
    let distinct: HashSet<Uuid> = req.seat_ids.iter().copied().collect();
    if req.seat_ids.is_empty() || req.seat_ids.len() > max {
        return Err(ApiError::validation(
            "seatIds",
            format!("choose 1 to {max} seats"),
        ));
    }
    if distinct.len() != req.seat_ids.len() {
        return Err(ApiError::validation("seatIds", "each seat may appear once"));
    }
    let order = Order::Seats {
        seat_ids: req.seat_ids.clone(),
    };
    if let Some(done) = replay(&state, &user, &headers, req.event_id, &order).await? {
        return Ok(done);
    }
    let hold_until = gate(&state, user.id, &headers, req.event_id, Seating::Reserved).await?;
    let mut redis = state.redis.clone();
    match state
        .seats
        .taken(&mut redis, req.event_id, &req.seat_ids)
        .await
    {
        Ok(taken) if !taken.is_empty() => {
            metrics::counter!("tiketi_reservation_requests_total", "outcome" => "fast_reject")
                .increment(1);
            return Err(rejection_error(Rejection::SeatUnavailable {
                seat_ids: taken,
            }));
        }
        Ok(_) => {}
        // The fast path is an optimization; the worker still decides correctly.
        Err(e) => {
            tracing::warn!(error = %e, "seat state unavailable; queueing without the fast check")
        }
    }
    submit(&state, &user, &headers, req.event_id, order, hold_until).await
}

/// Order general-admission tickets by type and quantity; answers like seat reserve.
#[utoipa::path(post, path = "/api/reservations", tag = "reservations", request_body = OrderTicketsRequest,
    security(("bearer" = [])),
    responses((status = 201, body = ReservedResponse), (status = 202, body = AcceptedResponse),
              (status = 409, description = "SOLD_OUT | ALREADY_HOLDING | EVENT_NOT_ON_SALE"), (status = 422), (status = 403, description = "GATE_ACCOUNT")))]
pub async fn order_tickets(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    headers: HeaderMap,
    Json(req): Json<OrderTicketsRequest>,
) -> ApiResult<Response> {
    state.limits.reserve(user.id).await?;
    let max = state.config.max_seats_per_order;
    let total: i64 = req.items.iter().map(|i| i64::from(i.quantity)).sum();
    let mut errors = Vec::new();
    if req.items.is_empty() {
        errors.push(("items".to_string(), "order at least one ticket".to_string()));
    }
    for (i, item) in req.items.iter().enumerate() {
        if item.quantity < 1 {
            errors.push((
                format!("items[{i}].quantity"),
                "must be at least 1".to_string(),
            ));
        }
    }
    if total > max as i64 {
        errors.push((
            "items".to_string(),
            format!("at most {max} tickets per order"),
        ));
    }
    let ids: Vec<Uuid> = req.items.iter().map(|i| i.ticket_type_id).collect();
    if ids.iter().collect::<HashSet<_>>().len() != ids.len() {
        errors.push((
            "items".to_string(),
            "each ticket type may appear once".to_string(),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let items = req
        .items
        .into_iter()
        .map(|i| TicketLine {
            ticket_type_id: i.ticket_type_id,
            quantity: i.quantity,
        })
        .collect();
    let order = Order::Tickets { items };
    if let Some(done) = replay(&state, &user, &headers, req.event_id, &order).await? {
        return Ok(done);
    }
    let hold_until = gate(&state, user.id, &headers, req.event_id, Seating::General).await?;
    submit(&state, &user, &headers, req.event_id, order, hold_until).await
}

/// A retry with an Idempotency-Key whose request was decided already gets that decision
/// again, whatever has changed since (the fan now holds the seats, say). The same key with
/// another request, decided or still in line, is a 422.
async fn replay(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    event_id: Uuid,
    order: &Order,
) -> ApiResult<Option<Response>> {
    if idempotency_key(headers)?.is_none() {
        return Ok(None);
    }
    let request_id = request_id(user.id, event_id, headers)?;
    let fingerprint = order.fingerprint(event_id);
    match reservation::request_record(&state.pool, request_id, user.id).await? {
        Some((_, Some(recorded))) if recorded != fingerprint => Err(key_reused()),
        Some((Decision::Reserved { reservation_id }, _)) => {
            reserved(state, reservation_id, user.id).await.map(Some)
        }
        Some((Decision::Rejected(r), _)) => Err(rejection_error(r)),
        None => {
            let mut redis = state.redis.clone();
            let pending: Option<String> = redis::cmd("GET")
                .arg(state.cache.keys().pending_request(request_id))
                .query_async(&mut redis)
                .await?;
            match pending.as_deref().and_then(|v| v.split_once(':')) {
                Some((_, recorded)) if recorded != fingerprint => Err(key_reused()),
                _ => Ok(None),
            }
        }
    }
}

/// Queues the command and answers with the decision, or 202 when asked to or when the
/// decision takes longer than the reply timeout.
async fn submit(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    event_id: Uuid,
    order: Order,
    hold_until: Option<DateTime<Utc>>,
) -> ApiResult<Response> {
    let request_id = request_id(user.id, event_id, headers)?;
    let fingerprint = order.fingerprint(event_id);
    let asynchronous = headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|p| p.trim().eq_ignore_ascii_case("respond-async"))
        });
    let now = Utc::now();
    // A fan waiting for the answer stops waiting at the reply timeout; one who asked for
    // 202 polls, and gets a longer line. Past it the worker refuses the command.
    let patience = if asynchronous {
        state.config.reserve_reply_timeout * ASYNC_PATIENCE
    } else {
        state.config.reserve_reply_timeout
    };
    let cmd = ReserveCommand {
        request_id,
        user_id: user.id,
        event_id,
        order,
        requested_at: now,
        hold_until,
        deadline: chrono::Duration::from_std(patience).ok().map(|d| now + d),
    };
    let mut redis = state.redis.clone();
    // Lets GET /api/seats/requests/:id say "pending" (to this fan only) until it is decided,
    // and a reused key with another body be refused while the first is in line. It lives
    // as long as the request record (the idempotency horizon).
    let _: Result<(), _> = redis::cmd("SET")
        .arg(state.cache.keys().pending_request(request_id))
        .arg(format!("{}:{fingerprint}", user.id))
        .arg("EX")
        .arg(reservation::IDEMPOTENCY_HORIZON.as_secs())
        .query_async(&mut redis)
        .await;
    let http_request_id = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    let receiver = state
        .dispatcher
        .publish(&cmd, http_request_id, !asynchronous)
        .await
        .map_err(|e| match e {
            DispatchError::Unavailable(source) => {
                tracing::error!(error = %source, "cannot queue a reserve command");
                ApiError::Unavailable { retry_after: 2 }
            }
            DispatchError::Refused => ApiError::Unavailable { retry_after: 2 },
        })?;
    let Some(waiter) = receiver else {
        return Ok(accepted(request_id));
    };
    match state
        .dispatcher
        .await_reply(waiter, state.config.reserve_reply_timeout)
        .await
    {
        None => Ok(accepted(request_id)),
        Some(reply) => match (reply.decision, reply.reservation) {
            // The worker sent the view it read in the deciding transaction: no read back.
            (Decision::Reserved { .. }, Some(reservation)) => {
                let reservation = Reservation::from(*reservation);
                let expires_at = reservation.expires_at.clone();
                Ok((
                    StatusCode::CREATED,
                    Json(ReservedResponse {
                        reservation,
                        expires_at,
                    }),
                )
                    .into_response())
            }
            (Decision::Reserved { reservation_id }, None) => {
                reserved(state, reservation_id, user.id).await
            }
            (Decision::Rejected(r), _) => Err(rejection_error(r)),
        },
    }
}

fn accepted(request_id: Uuid) -> Response {
    let mut res = (
        StatusCode::ACCEPTED,
        Json(AcceptedResponse {
            request_id,
            status: "pending",
        }),
    )
        .into_response();
    if let Ok(v) = format!("/api/seats/requests/{request_id}").parse() {
        res.headers_mut().insert("location", v);
    }
    res
}

async fn reserved(state: &AppState, reservation_id: Uuid, user: Uuid) -> ApiResult<Response> {
    let reservation = reservation::find_owned(&state.pool, reservation_id, user)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "decided reservation {reservation_id} not found"
            ))
        })?;
    let expires_at = reservation.expires_at.clone();
    Ok((
        StatusCode::CREATED,
        Json(ReservedResponse {
            reservation,
            expires_at,
        }),
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestStatus {
    request_id: Uuid,
    /// `pending`, `reserved` or `rejected`.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reservation: Option<Reservation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<serde_json::Value>,
}

/// The outcome of a queued request, on any api instance; only its fan may ask.
#[utoipa::path(get, path = "/api/seats/requests/{requestId}", tag = "reservations", security(("bearer" = [])),
    params(("requestId" = Uuid, Path)), responses((status = 200, body = RequestStatus), (status = 404)))]
pub async fn request_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(request_id): Path<Uuid>,
) -> ApiResult<Json<RequestStatus>> {
    match reservation::request_decision(&state.pool, request_id, user.id).await? {
        Some(Decision::Reserved { reservation_id }) => Ok(Json(RequestStatus {
            request_id,
            status: "reserved",
            reservation: reservation::find_owned(&state.pool, reservation_id, user.id).await?,
            error: None,
        })),
        Some(Decision::Rejected(r)) => Ok(Json(RequestStatus {
            request_id,
            status: "rejected",
            reservation: None,
            error: Some(
                serde_json::json!({ "code": r.code(), "message": r.message(), "details": r.details() }),
            ),
        })),
        None => {
            let mut redis = state.redis.clone();
            let owner: Option<String> = redis::cmd("GET")
                .arg(state.cache.keys().pending_request(request_id))
                .query_async(&mut redis)
                .await?;
            let owner = owner.as_deref().map(|v| v.split(':').next().unwrap_or(v));
            if owner == Some(user.id.to_string().as_str()) {
                Ok(Json(RequestStatus {
                    request_id,
                    status: "pending",
                    reservation: None,
                    error: None,
                }))
            } else {
                Err(ApiError::NotFound {
                    code: "REQUEST_NOT_FOUND",
                    message: "no such request",
                })
            }
        }
    }
}

/// One of the fan's reservations; another fan's is a 404.
#[utoipa::path(get, path = "/api/reservations/{id}", tag = "reservations", security(("bearer" = [])),
    params(("id" = Uuid, Path)), responses((status = 200, body = ReservationResponse), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<ReservationResponse>> {
    let reservation = reservation::find_owned(&state.pool, id, user.id)
        .await?
        .ok_or(ApiError::NotFound {
            code: "RESERVATION_NOT_FOUND",
            message: "no such reservation",
        })?;
    Ok(Json(ReservationResponse { reservation }))
}

/// The same as `GET /api/reservations/{id}`, under the seat API's path (the plan's).
#[utoipa::path(get, path = "/api/seats/reservation/{id}", tag = "reservations", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ReservationResponse), (status = 400, description = "INVALID_PATH"),
              (status = 401), (status = 404, description = "RESERVATION_NOT_FOUND")))]
pub async fn get_seat_reservation(
    state: State<AppState>,
    user: CurrentUser,
    id: Path<Uuid>,
) -> ApiResult<Json<ReservationResponse>> {
    get(state, user, id).await
}

/// The fan's reservations, newest first.
#[utoipa::path(get, path = "/api/reservations/my", tag = "reservations", security(("bearer" = [])),
    responses((status = 200, body = ReservationsResponse)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<ReservationsResponse>> {
    Ok(Json(ReservationsResponse {
        reservations: reservation::list_owned(&state.pool, user.id, 200).await?,
    }))
}

/// Cancel: a pending hold, or a confirmed booking before the event starts (refunded).
#[utoipa::path(post, path = "/api/reservations/{id}/cancel", tag = "reservations", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CancelledResponse), (status = 404), (status = 409, description = "NOT_CANCELLABLE"), (status = 403, description = "GATE_ACCOUNT")))]
pub async fn cancel(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CancelledResponse>> {
    let released = reservation::cancel(&state.pool, id, user.id)
        .await
        .map_err(|e| match e {
            CancelError::NotFound => ApiError::NotFound {
                code: "RESERVATION_NOT_FOUND",
                message: "no such reservation",
            },
            CancelError::NotCancellable => ApiError::Conflict {
                code: "NOT_CANCELLABLE",
                message:
                    "only pending holds, or bookings before the event starts, can be cancelled"
                        .into(),
                details: None,
            },
            CancelError::Db(e) => e.into(),
        })?;
    announce(&state, &released.outbox).await;
    let reservation = reservation::find_owned(&state.pool, id, user.id)
        .await?
        .ok_or(ApiError::NotFound {
            code: "RESERVATION_NOT_FOUND",
            message: "no such reservation",
        })?;
    // Cancelling ends a waiting-room admission too: the slot goes to the next fan.
    queue::end_admission(&state, reservation.event.id, user.id, None).await;
    Ok(Json(CancelledResponse {
        message: CANCELLED,
        reservation,
    }))
}

/// Relays committed seat and stock changes; on failure the sweeper relays them later.
pub async fn announce(state: &AppState, outbox: &[seat_events::OutboxRow]) {
    let mut redis = state.redis.clone();
    if let Err(e) = seat_events::relay(&state.pool, &mut redis, &state.seats, outbox).await {
        tracing::warn!(error = %e, "relay failed; the sweeper will retry");
    }
}
