//! Gate check-in: scans (gate accounts of the event, or admins at any gate), the offline
//! bundle a gate downloads (public key + revocation list), uploads of offline admissions,
//! and the organizer's side (gate accounts, live numbers, conflicts).

use axum::{extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use tiketi_core::{
    checkin::{
        self, gates,
        gates::{GateAccount, NewGateAccount},
        stats::CheckinStats,
        sync::{OfflineAdmission, SyncOutcome, SyncResult},
        CheckinError, ScanOutcome, ScanResult, Scanner,
    },
    ticket::{code, revocation::RevocationList},
    user::auth::Role,
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    extract::{Admin, CurrentUser, Json, Path},
    state::AppState,
};

impl From<CheckinError> for ApiError {
    fn from(e: CheckinError) -> Self {
        match e {
            CheckinError::Invalid(fields) => ApiError::Validation(fields),
            CheckinError::Forbidden { code, message } => ApiError::Forbidden { code, message },
            CheckinError::EventNotFound => ApiError::NotFound {
                code: "EVENT_NOT_FOUND",
                message: "no such event",
            },
            CheckinError::Conflict { code, message } => ApiError::Conflict {
                code,
                message,
                details: None,
            },
            CheckinError::Db(e) => e.into(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScanRequest {
    event_id: Uuid,
    /// The QR code's text, `T1.<payload>.<signature>`.
    code: String,
    /// Required for admins; a gate account scans at its own gate.
    gate: Option<String>,
}

/// A ticket scanned online. Answers 200 with the result for any ticket code, valid or not.
#[utoipa::path(post, path = "/api/checkin/scan", tag = "checkin", request_body = ScanRequest,
    security(("bearer" = [])),
    responses((status = 200, body = ScanOutcome),
              (status = 403, description = "CHECKIN_FORBIDDEN | GATE_OTHER_EVENT | GATE_MISMATCH")))]
pub async fn scan(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ScanRequest>,
) -> ApiResult<Json<ScanOutcome>> {
    let scanner = scanner(&state, &user, req.event_id, req.gate.as_deref()).await?;
    let outcome = checkin::scan::scan(&state.pool, &state.ticket_keys, &scanner, &req.code).await?;
    if outcome.result == ScanResult::Admitted {
        state.checkin_push.admitted(req.event_id);
    }
    Ok(Json(outcome))
}

/// Fans never reach the database for a scan: their role is in the token.
async fn scanner(
    state: &AppState,
    user: &CurrentUser,
    event_id: Uuid,
    gate: Option<&str>,
) -> ApiResult<Scanner> {
    if user.role == Role::Fan {
        return Err(CheckinError::Forbidden {
            code: "CHECKIN_FORBIDDEN",
            message: "only gate accounts and administrators can check tickets in",
        }
        .into());
    }
    Ok(gates::authorize(&state.pool, user.id, event_id, gate).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SyncRequest {
    event_id: Uuid,
    gate: Option<String>,
    /// At most 150 per upload (bodies are bounded); send several uploads for more.
    admissions: Vec<OfflineAdmission>,
}

#[derive(Serialize, ToSchema)]
pub struct SyncResponse {
    results: Vec<SyncResult>,
}

/// Admissions an offline gate made, uploaded when it is back online; idempotent.
#[utoipa::path(post, path = "/api/checkin/sync", tag = "checkin", request_body = SyncRequest,
    security(("bearer" = [])),
    responses((status = 200, body = SyncResponse),
              (status = 403, description = "CHECKIN_FORBIDDEN | GATE_OTHER_EVENT | GATE_MISMATCH")))]
pub async fn sync(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<SyncRequest>,
) -> ApiResult<Json<SyncResponse>> {
    let scanner = scanner(&state, &user, req.event_id, req.gate.as_deref()).await?;
    let results =
        checkin::sync::sync(&state.pool, &state.ticket_keys, &scanner, &req.admissions).await?;
    if results.iter().any(|r| r.outcome == SyncOutcome::Recorded) {
        state.checkin_push.admitted(req.event_id);
    }
    Ok(Json(SyncResponse { results }))
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfflineBundle {
    event_id: Uuid,
    /// Always `Ed25519`.
    algorithm: &'static str,
    /// The event's raw 32-byte public key, base64url without padding.
    public_key: String,
    revocations: RevocationList,
}

/// What a gate needs to keep admitting offline: the event's public key, the revoked
/// tickets and those already admitted.
#[utoipa::path(get, path = "/api/checkin/events/{eventId}/offline", tag = "checkin",
    security(("bearer" = [])), params(("eventId" = Uuid, Path)),
    responses((status = 200, body = OfflineBundle), (status = 403), (status = 404)))]
pub async fn offline_bundle(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(event_id): Path<Uuid>,
) -> ApiResult<Json<OfflineBundle>> {
    // Any gate name will do for an admin downloading the bundle.
    let gate = (user.role == Role::Admin).then_some("admin");
    scanner(&state, &user, event_id, gate).await?;
    let revocations = tiketi_core::ticket::revocation::for_event(&state.pool, event_id).await?;
    Ok(Json(OfflineBundle {
        event_id,
        algorithm: "Ed25519",
        public_key: code::public_key_base64(&state.ticket_keys.verifying_key(event_id)),
        revocations,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct GateResponse {
    gate: GateAccount,
}

/// The signed-in gate account's event and gate (what the gate page opens with).
#[utoipa::path(get, path = "/api/checkin/me", operation_id = "checkin_me", tag = "checkin", security(("bearer" = [])),
    responses((status = 200, body = GateResponse), (status = 404, description = "NOT_A_GATE")))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<GateResponse>> {
    let gate = gates::of_user(&state.pool, user.id)
        .await?
        .ok_or(ApiError::NotFound {
            code: "NOT_A_GATE",
            message: "this account is not a gate account",
        })?;
    Ok(Json(GateResponse { gate }))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateGateRequest {
    email: String,
    name: String,
    gate: String,
    password: String,
}

/// Creates a gate account (role `gate`) for one gate of the event.
#[utoipa::path(post, path = "/api/admin/events/{id}/gates", tag = "admin", request_body = CreateGateRequest,
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 201, body = GateResponse), (status = 404, description = "EVENT_NOT_FOUND"),
              (status = 409, description = "EMAIL_TAKEN")))]
pub async fn create_gate(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(event_id): Path<Uuid>,
    Json(req): Json<CreateGateRequest>,
) -> ApiResult<(StatusCode, Json<GateResponse>)> {
    let (email, name, gate, password) =
        NewGateAccount::parse(&req.email, &req.name, &req.gate, &req.password)?;
    let password_hash = tokio::task::spawn_blocking(move || password.hash())
        .await
        .map_err(|e| ApiError::Internal(e.into()))??;
    let account = NewGateAccount {
        email,
        name,
        gate,
        password_hash,
    };
    let gate = gates::create(&state.pool, event_id, admin.id, account).await?;
    Ok((StatusCode::CREATED, Json(GateResponse { gate })))
}

#[derive(Serialize, ToSchema)]
pub struct GatesResponse {
    gates: Vec<GateAccount>,
}

#[utoipa::path(get, path = "/api/admin/events/{id}/gates", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = GatesResponse)))]
pub async fn list_gates(
    State(state): State<AppState>,
    _admin: Admin,
    Path(event_id): Path<Uuid>,
) -> ApiResult<Json<GatesResponse>> {
    Ok(Json(GatesResponse {
        gates: gates::list(&state.pool, event_id).await?,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CheckinStatsResponse {
    stats: CheckinStats,
}

/// Live check-in numbers: admitted per minute and per gate, share of sold tickets
/// admitted, and the conflicts offline gates reported.
#[utoipa::path(get, path = "/api/admin/events/{id}/checkin", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CheckinStatsResponse)))]
pub async fn stats(
    State(state): State<AppState>,
    _admin: Admin,
    Path(event_id): Path<Uuid>,
) -> ApiResult<Json<CheckinStatsResponse>> {
    let stats = checkin::stats::for_event(&state.pool, event_id).await?;
    // The share needs the database; exported as of the organizer's latest look.
    metrics::gauge!("tiketi_checkin_admitted_share", "event" => event_id.to_string())
        .set(stats.admitted_share);
    Ok(Json(CheckinStatsResponse { stats }))
}
