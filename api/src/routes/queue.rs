//! The waiting room over HTTP: join, status (also the fan's heartbeat) and leave, and the
//! admission-token check that reserve, order and payment run for queued events.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};
use chrono::Utc;
use serde::Serialize;
use tiketi_core::{
    event::EventStatus,
    guard::pow::{Challenge, PowError},
    waiting_room::admission::{AdmissionClaims, AdmissionError, VerifyError},
    waiting_room::{eta_seconds, Place, Room},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    extract::{Buyer, ClientIp, CurrentUser, Json, Path},
    state::AppState,
};

/// The header that carries the admission token on reserve, order and payment.
pub const ADMISSION_HEADER: &str = "x-admission-token";

pub async fn room(state: &AppState, event_id: Uuid) -> ApiResult<Room> {
    let pool = state.pool.clone();
    state
        .rooms
        .try_get_with(event_id, async move { Room::load(&pool, event_id).await })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("waiting room settings: {e}")))?
        .ok_or(ApiError::NotFound {
            code: "EVENT_NOT_FOUND",
            message: "no such event",
        })
}

/// Where the fan stands in an event's waiting room.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueStatus {
    event_id: Uuid,
    /// The fan's number in arrival order.
    ticket: u64,
    /// Waiting fans in front of this one.
    ahead: u64,
    /// Seconds until admission, from the measured admission rate.
    eta_seconds: Option<u64>,
    /// `prequeue`, `waiting`, `admitted` or `expired`.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    admission_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<String>,
    sale_start: String,
    /// When to ask again: sooner near the front.
    poll_after_seconds: u64,
}

fn view(state: &AppState, room: &Room, user: Uuid, place: Place) -> ApiResult<QueueStatus> {
    let base = |status, ticket, ahead, eta| QueueStatus {
        event_id: room.event_id,
        ticket,
        ahead,
        eta_seconds: eta,
        status,
        admission_token: None,
        expires_at: None,
        sale_start: room.format(room.sale_start),
        poll_after_seconds: match ahead {
            0..=99 => 2,
            100..=999 => 5,
            _ => 10,
        },
    };
    Ok(match place {
        Place::None => {
            return Err(ApiError::NotFound {
                code: "QUEUE_NOT_JOINED",
                message: "you are not in this event's waiting room",
            })
        }
        Place::NotOpen => return Err(not_open(room)),
        Place::Waiting {
            ticket,
            ahead,
            opened,
            rate,
        } => {
            let rate = rate.unwrap_or_else(|| room.planned_rate());
            let until_open = (room.sale_start - Utc::now()).num_seconds().max(0) as u64;
            let eta = eta_seconds(ahead, rate).map(|s| if opened { s } else { s + until_open });
            base(
                if opened { "waiting" } else { "prequeue" },
                ticket,
                ahead,
                eta,
            )
        }
        Place::Admitted {
            ticket, expires_at, ..
        } => {
            let token = state
                .admissions
                .issue(user, room.event_id, ticket, Utc::now(), expires_at);
            QueueStatus {
                admission_token: Some(token),
                expires_at: Some(room.format(expires_at)),
                ..base("admitted", ticket, 0, Some(0))
            }
        }
        Place::Expired => base("expired", 0, 0, None),
    })
}

fn not_open(room: &Room) -> ApiError {
    ApiError::Conflict {
        code: "QUEUE_NOT_OPEN",
        message: "the waiting room for this event is not open yet".into(),
        details: Some(serde_json::json!({ "opensAt": room.format(room.prequeue_opens_at()) })),
    }
}

fn queued_room(room: Room) -> ApiResult<Room> {
    if !room.queue_enabled {
        return Err(ApiError::BadRequest {
            code: "QUEUE_NOT_ENABLED",
            message: "this event does not use a waiting room".into(),
        });
    }
    Ok(room)
}

/// A proof-of-work challenge to solve before joining the event's waiting room (events
/// with a difficulty set). ALTCHA's format: find `number` with
/// SHA-256(salt + number) = challenge, then join with the solution in `X-Altcha`.
#[utoipa::path(get, path = "/api/queue/{eventId}/challenge", tag = "queue", security(("bearer" = [])),
    params(("eventId" = Uuid, Path)),
    responses((status = 200, body = Challenge),
              (status = 400, description = "QUEUE_NOT_ENABLED | CHALLENGE_NOT_REQUIRED"),
              (status = 401), (status = 403, description = "GATE_ACCOUNT"),
              (status = 404, description = "EVENT_NOT_FOUND"), (status = 429)))]
pub async fn challenge(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    ClientIp(ip): ClientIp,
    Path(event_id): Path<Uuid>,
) -> ApiResult<Json<Challenge>> {
    state.limits.queue(ip, user.id).await?;
    let room = queued_room(room(&state, event_id).await?)?;
    let Some(difficulty) = room.pow_difficulty else {
        return Err(ApiError::BadRequest {
            code: "CHALLENGE_NOT_REQUIRED",
            message: "this waiting room asks no proof-of-work".into(),
        });
    };
    Ok(Json(state.pow.issue(
        user.id,
        event_id,
        difficulty.max(1) as u64,
    )))
}

/// For a waiting room with proof-of-work, a fan without a place must bring a fresh solved
/// challenge; a fan already in line (or admitted) keeps their place without one.
async fn require_pow(
    state: &AppState,
    room: &Room,
    user: Uuid,
    headers: &HeaderMap,
) -> ApiResult<()> {
    if room.pow_difficulty.is_none() {
        return Ok(());
    }
    let mut redis = state.redis.clone();
    let place = state.room.status(&mut redis, room.event_id, user).await?;
    if matches!(place, Place::Waiting { .. } | Place::Admitted { .. }) {
        return Ok(());
    }
    let solution = headers.get(POW_HEADER).and_then(|v| v.to_str().ok());
    match state
        .pow
        .redeem(&mut redis, solution, user, room.event_id)
        .await
    {
        Ok(()) => Ok(()),
        Err(PowError::Required) => Err(ApiError::Forbidden {
            code: "POW_REQUIRED",
            message:
                "solve the challenge from /api/queue/{eventId}/challenge and send it in X-Altcha",
        }),
        Err(PowError::Invalid) => Err(ApiError::Forbidden {
            code: "POW_INVALID",
            message: "the proof-of-work solution is wrong, expired or not for this event",
        }),
        Err(PowError::Replayed) => Err(ApiError::Conflict {
            code: "POW_ALREADY_USED",
            message: "this proof-of-work solution was used already; solve a new challenge".into(),
            details: None,
        }),
        Err(PowError::Store(e)) => Err(e.into()),
    }
}

/// The header that carries the solved proof-of-work challenge on join (ALTCHA payload,
/// base64 of its JSON).
pub const POW_HEADER: &str = "x-altcha";

/// Join the event's waiting room. Joining again keeps the fan's place and ticket. When
/// the event asks for proof-of-work, a new place needs a solved challenge in `X-Altcha`.
#[utoipa::path(post, path = "/api/queue/{eventId}/join", tag = "queue", security(("bearer" = [])),
    params(("eventId" = Uuid, Path), ("X-Altcha" = Option<String>, Header, description = "solved challenge (ALTCHA payload, base64 JSON)")),
    responses((status = 200, body = QueueStatus), (status = 400, description = "QUEUE_NOT_ENABLED"),
              (status = 401), (status = 403, description = "POW_REQUIRED | POW_INVALID | GATE_ACCOUNT"),
              (status = 404, description = "EVENT_NOT_FOUND"),
              (status = 409, description = "QUEUE_NOT_OPEN | EVENT_NOT_ON_SALE | POW_ALREADY_USED"), (status = 429)))]
pub async fn join(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(event_id): Path<Uuid>,
) -> ApiResult<Json<QueueStatus>> {
    state.limits.queue(ip, user.id).await?;
    let room = queued_room(room(&state, event_id).await?)?;
    let now = Utc::now();
    if !room.joinable(now) {
        return Err(
            if now < room.prequeue_opens_at() && room.status == EventStatus::Upcoming {
                not_open(&room)
            } else {
                ApiError::Conflict {
                    code: "EVENT_NOT_ON_SALE",
                    message: "this event is not on sale".into(),
                    details: None,
                }
            },
        );
    }
    require_pow(&state, &room, user.id, &headers).await?;
    let mut redis = state.redis.clone();
    let place = state.room.join(&mut redis, &room, user.id).await?;
    metrics::counter!("tiketi_queue_joins_total").increment(1);
    Ok(Json(view(&state, &room, user.id, place)?))
}

/// The fan's place; calling it is also the heartbeat that keeps the place.
#[utoipa::path(get, path = "/api/queue/{eventId}/status", tag = "queue", security(("bearer" = [])),
    params(("eventId" = Uuid, Path)),
    responses((status = 200, body = QueueStatus), (status = 404, description = "QUEUE_NOT_JOINED"), (status = 429)))]
pub async fn status(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(event_id): Path<Uuid>,
) -> ApiResult<Json<QueueStatus>> {
    state.limits.queue(ip, user.id).await?;
    let room = queued_room(room(&state, event_id).await?)?;
    let mut redis = state.redis.clone();
    let place = state.room.status(&mut redis, event_id, user.id).await?;
    Ok(Json(view(&state, &room, user.id, place)?))
}

/// Leave the waiting room (or give up an admission, freeing the slot for the next fan).
#[utoipa::path(delete, path = "/api/queue/{eventId}", tag = "queue", security(("bearer" = [])),
    params(("eventId" = Uuid, Path)), responses((status = 204), (status = 429)))]
pub async fn leave(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Path(event_id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    state.limits.queue(ip, user.id).await?;
    queued_room(room(&state, event_id).await?)?;
    let mut redis = state.redis.clone();
    state.room.leave(&mut redis, event_id, user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// For an event with the waiting room on, the fan's current admission (403 otherwise);
/// `None` for events without it.
pub async fn require_admission(
    state: &AppState,
    user: Uuid,
    event_id: Uuid,
    queue_enabled: bool,
    headers: &HeaderMap,
) -> ApiResult<Option<AdmissionClaims>> {
    if !queue_enabled {
        return Ok(None);
    }
    let token = headers.get(ADMISSION_HEADER).and_then(|v| v.to_str().ok());
    let mut redis = state.redis.clone();
    match state
        .admissions
        .verify(&state.room, &mut redis, token, user, event_id)
        .await
    {
        Ok(claims) => Ok(Some(claims)),
        Err(VerifyError::Refused(AdmissionError::Required)) => Err(ApiError::Forbidden {
            code: "QUEUE_TOKEN_REQUIRED",
            message: "this event sells through its waiting room: join it and wait for your turn",
        }),
        Err(VerifyError::Refused(AdmissionError::Invalid)) => Err(ApiError::Forbidden {
            code: "QUEUE_TOKEN_INVALID",
            message: "your admission is not valid for this event or has ended",
        }),
        Err(VerifyError::Store(e)) => Err(e.into()),
    }
}

/// Ends the fan's admission after they paid or cancelled, so the next fan gets the slot.
/// Best effort: the shopping window ends it anyway.
pub async fn end_admission(state: &AppState, event_id: Uuid, user: Uuid, ticket: Option<u64>) {
    let mut redis = state.redis.clone();
    if let Err(e) = state.room.release(&mut redis, event_id, user, ticket).await {
        tracing::warn!(error = %e, %event_id, "could not end an admission; its window will");
    }
}
