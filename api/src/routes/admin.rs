//! The organizers' api (admin role only: 401 without a token, 403 for a fan). Handlers
//! check input and call `tiketi_core::admin`; after a write commits they relay its seat
//! changes, drop the caches it touched and tell the event's watchers.

use std::{collections::HashMap, time::Duration};

use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::Response,
};
use serde::Serialize;
use tiketi_core::{
    admin::{
        self,
        audit_log::{self, AuditPage, AuditParams},
        dashboard::{self, DashboardStats, QueueCount},
        events::{CancelInput, EventInput},
        layouts::LayoutInput,
        reservations::{ReservationPage, ReservationParams},
        sales::{self, Sales},
        AdminError,
    },
    event::{self, Event, EventStatus, Pagination},
    layout::{self, Layout},
    live::seat_events,
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    cached,
    error::{ApiError, ApiResult},
    extract::{Admin, Json, Path, Query},
    routes::{
        events::ListParams,
        reservations::{announce, CANCELLED},
    },
    state::AppState,
};

impl From<AdminError> for ApiError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Invalid(fields) => ApiError::Validation(fields),
            AdminError::NotFound("layout") => ApiError::NotFound {
                code: "LAYOUT_NOT_FOUND",
                message: "no such layout",
            },
            AdminError::NotFound(_) => ApiError::NotFound {
                code: "EVENT_NOT_FOUND",
                message: "no such event",
            },
            AdminError::Conflict { code, message } => ApiError::Conflict {
                code,
                message,
                details: None,
            },
            AdminError::Db(e) => e.into(),
        }
    }
}

/// An event with its sales figures.
#[derive(Serialize, ToSchema)]
pub struct AdminEvent {
    #[serde(flatten)]
    event: Event,
    sales: Sales,
}

#[derive(Serialize, ToSchema)]
pub struct AdminEventList {
    events: Vec<AdminEvent>,
    pagination: Pagination,
}

#[derive(Serialize, ToSchema)]
pub struct EventResponse {
    event: Event,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelResponse {
    /// The plan's confirmation, `취소됨` ("cancelled").
    #[schema(example = "취소됨")]
    message: &'static str,
    event: Event,
    /// Reservations this call cancelled (0 when the event was cancelled before).
    cancelled_reservations: u64,
    /// Payments this call refunded.
    refunded_payments: u64,
}

#[derive(Serialize, ToSchema)]
pub struct LayoutsResponse {
    layouts: Vec<Layout>,
}

#[derive(Serialize, ToSchema)]
pub struct LayoutResponse {
    layout: Layout,
}

#[derive(Serialize, ToSchema)]
pub struct StatsResponse {
    stats: DashboardStats,
}

/// Every event (any status), on-sale first, with sales figures; never cached.
#[utoipa::path(get, path = "/api/admin/events", tag = "admin", security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = AdminEventList), (status = 401), (status = 403), (status = 422)))]
pub async fn list_events(
    State(state): State<AppState>,
    _admin: Admin,
    Query(params): Query<ListParams>,
) -> ApiResult<Json<AdminEventList>> {
    let query = params.parse()?;
    let list = event::list(&state.pool, &query).await?;
    let ids: Vec<Uuid> = list.events.iter().map(|e| e.id).collect();
    let mut figures = sales::of_events(&state.pool, &ids).await?;
    Ok(Json(AdminEventList {
        events: list
            .events
            .into_iter()
            .map(|event| AdminEvent {
                sales: figures.remove(&event.id).unwrap_or_default(),
                event,
            })
            .collect(),
        pagination: list.pagination,
    }))
}

/// Creates an event: reserved seating from `layoutId` (seats generated in the same
/// transaction) or general admission from `ticketTypes`.
#[utoipa::path(post, path = "/api/admin/events", tag = "admin", security(("bearer" = [])),
    request_body = EventInput,
    responses((status = 201, body = EventResponse), (status = 401), (status = 403),
              (status = 422, description = "VALIDATION_FAILED with per-field details")))]
pub async fn create_event(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(input): Json<EventInput>,
) -> ApiResult<(StatusCode, Json<EventResponse>)> {
    let event = admin::events::create(&state.pool, admin.id, &input).await?;
    if let Err(e) = state.cache.invalidate_lists().await {
        tracing::warn!(error = %e, "event lists stay cached until they expire");
    }
    Ok((StatusCode::CREATED, Json(EventResponse { event })))
}

/// Changes an event's fields, times, poster, queue settings or status. Caches are dropped
/// and watchers of `event:<id>` hear of a status change.
#[utoipa::path(put, path = "/api/admin/events/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = EventInput,
    responses((status = 200, body = EventResponse), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "EVENT_CANCELLED"),
              (status = 422, description = "VALIDATION_FAILED with per-field details")))]
pub async fn update_event(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<Uuid>,
    Json(input): Json<EventInput>,
) -> ApiResult<Json<EventResponse>> {
    let updated = admin::events::update(&state.pool, admin.id, id, &input).await?;
    invalidate(&state, id).await;
    if let Some(status) = updated.status_changed {
        publish_status(&state, id, status).await;
    }
    Ok(Json(EventResponse {
        event: updated.event,
    }))
}

/// Cancels the event: every pending and confirmed reservation is cancelled and its payment
/// refunded, every seat freed, and `event-cancelled` sent to `event:<id>`. Calling it again
/// answers 200 with zeros and changes nothing.
#[utoipa::path(post, path = "/api/admin/events/{id}/cancel", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body(content = CancelInput, description = "optional"),
    responses((status = 200, body = CancelResponse), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn cancel_event(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<Uuid>,
    body: Bytes,
) -> ApiResult<Json<CancelResponse>> {
    // The reason is optional, and so is the body.
    let input: CancelInput = if body.iter().all(u8::is_ascii_whitespace) {
        CancelInput::default()
    } else {
        crate::extract::refuse_nul(&body)?;
        crate::extract::parse_json(&body)?
    };
    let cancelled = admin::events::cancel(&state.pool, admin.id, id, &input).await?;
    if cancelled.changed {
        announce(&state, &cancelled.released.outbox).await;
        invalidate(&state, id).await;
        publish_status(&state, id, EventStatus::Cancelled).await;
        let mut redis = state.redis.clone();
        let sent = seat_events::publish(
            &mut redis,
            state.cache.keys(),
            &seat_events::event_topic(id),
            "event-cancelled",
            serde_json::json!({
                "eventId": id,
                "reason": input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()),
                "cancelledAt": cancelled.event.updated_at,
            }),
        )
        .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, %id, "event-cancelled was not published");
        }
    }
    Ok(Json(CancelResponse {
        message: CANCELLED,
        event: cancelled.event,
        cancelled_reservations: cancelled.cancelled_reservations,
        refunded_payments: cancelled.refunded_payments,
    }))
}

/// Every fan's reservations, filtered, paged and sorted by creation time.
#[utoipa::path(get, path = "/api/admin/reservations", tag = "admin", security(("bearer" = [])),
    params(ReservationParams),
    responses((status = 200, body = ReservationPage), (status = 401), (status = 403), (status = 422)))]
pub async fn list_reservations(
    State(state): State<AppState>,
    _admin: Admin,
    Query(params): Query<ReservationParams>,
) -> ApiResult<Json<ReservationPage>> {
    let query = params.parse().map_err(ApiError::Validation)?;
    Ok(Json(admin::reservations::list(&state.pool, &query).await?))
}

/// Every seat layout, read from the database (not the public cache).
#[utoipa::path(get, path = "/api/admin/layouts", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = LayoutsResponse), (status = 401), (status = 403)))]
pub async fn list_layouts(
    State(state): State<AppState>,
    _admin: Admin,
) -> ApiResult<Json<LayoutsResponse>> {
    Ok(Json(LayoutsResponse {
        layouts: layout::list(&state.pool).await?,
    }))
}

/// Creates a seat layout: 1 to 20 sections of rows × seats at one price each.
#[utoipa::path(post, path = "/api/admin/layouts", tag = "admin", security(("bearer" = [])),
    request_body = LayoutInput,
    responses((status = 201, body = LayoutResponse), (status = 401), (status = 403),
              (status = 409, description = "LAYOUT_NAME_TAKEN"),
              (status = 422, description = "VALIDATION_FAILED with per-field details")))]
pub async fn create_layout(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Json(input): Json<LayoutInput>,
) -> ApiResult<(StatusCode, Json<LayoutResponse>)> {
    let layout = admin::layouts::create(&state.pool, admin.id, input).await?;
    let key = state.cache.keys().layouts();
    if let Err(e) = state.cache.invalidate(&[key]).await {
        tracing::warn!(error = %e, "the layout list stays cached until it expires");
    }
    Ok((StatusCode::CREATED, Json(LayoutResponse { layout })))
}

/// How long one reading of the dashboard serves every admin polling it: the figures cost
/// a few aggregate queries over the reservation history, so a room full of organizers
/// refreshing every few seconds still costs the database one reading per interval.
pub const DASHBOARD_TTL: Duration = Duration::from_secs(2);

/// Live figures for the organizers' dashboard, read in one database snapshot and shared
/// by all admins for up to two seconds (`generatedAt` says when it was read).
#[utoipa::path(get, path = "/api/admin/dashboard/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = StatsResponse), (status = 401), (status = 403)))]
pub async fn dashboard_stats(
    State(state): State<AppState>,
    _admin: Admin,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let loader = state.clone();
    let body = state
        .cache
        .get_or_load(
            "dashboard",
            state.cache.keys().dashboard_stats(),
            DASHBOARD_TTL,
            None,
            || async move {
                let snapshot = dashboard::snapshot(&loader.pool).await?;
                let counts = waiting_room_counts(&loader, &snapshot.queued_events()).await?;
                let stats = snapshot.with_queue_counts(&counts);
                Ok(Some(serde_json::to_vec(&StatsResponse { stats })?))
            },
        )
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("dashboard loader returned nothing")))?;
    let mut response = cached::respond(&body, &headers, 0);
    // Organizers' figures: never kept by a shared cache on the way.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// The waiting room's live counts (fans in line, fans shopping) of `events`, from Redis.
async fn waiting_room_counts(
    state: &AppState,
    events: &[Uuid],
) -> anyhow::Result<HashMap<Uuid, QueueCount>> {
    let mut redis = state.redis.clone();
    let mut counts = HashMap::new();
    for id in events {
        let (waiting, active) = state.room.counts(&mut redis, *id).await?;
        counts.insert(
            *id,
            QueueCount {
                waiting: waiting as i64,
                active: active as i64,
            },
        );
    }
    Ok(counts)
}

/// Admin writes, newest first, with who, what, when and each changed field's before and
/// after.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", security(("bearer" = [])),
    params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 401), (status = 403), (status = 422)))]
pub async fn audit(
    State(state): State<AppState>,
    _admin: Admin,
    Query(params): Query<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    let query = params.parse().map_err(ApiError::Validation)?;
    Ok(Json(audit_log::list(&state.pool, &query).await?))
}

/// Drops the event's cached detail, seat map and list pages everywhere, and this
/// process's sale gate (other instances' gates live a second). The write has committed: if
/// Redis is away the caches expire on their own.
async fn invalidate(state: &AppState, event_id: Uuid) {
    state.rooms.invalidate(&event_id).await;
    if let Err(e) = state.cache.invalidate_event(event_id).await {
        tracing::warn!(error = %e, %event_id, "caches of the event stay until they expire");
    }
}

async fn publish_status(state: &AppState, event_id: Uuid, status: EventStatus) {
    let mut redis = state.redis.clone();
    let sent = seat_events::publish(
        &mut redis,
        state.cache.keys(),
        &seat_events::event_topic(event_id),
        "event-status",
        serde_json::json!({ "eventId": event_id, "status": status }),
    )
    .await;
    if let Err(e) = sent {
        tracing::warn!(error = %e, %event_id, "event-status was not published");
    }
}
