//! Sign-up, sign-in, who-am-I and sign-out.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tiketi_core::{
    user::auth::{verify_password, Email, NewPassword, Role, Tokens, UserName},
    user::{self, CreateUserError, User},
};
use utoipa::ToSchema;

use crate::{
    error::{ApiError, ApiResult},
    extract::{ClientIp, CurrentUser, Json, Query},
    state::AppState,
};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuthResponse {
    token: String,
    user: User,
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    user: User,
}

/// Runs argon2 off the async threads: it takes tens of milliseconds of CPU.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.into()))
}

/// A session cannot be started without reading its generation from Redis.
fn session_store_down(e: anyhow::Error) -> ApiError {
    tracing::warn!(error = %e, "cannot start a session");
    ApiError::Unavailable { retry_after: 1 }
}

/// Register a fan account.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = AuthResponse), (status = 409, description = "EMAIL_TAKEN"),
              (status = 422, description = "VALIDATION_FAILED with per-field details"), (status = 429)))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<RegisterRequest>,
) -> ApiResult<impl IntoResponse> {
    state.limits.auth(ip, &req.email).await?;
    let mut errors = Vec::new();
    let name =
        UserName::parse(&req.name).map_err(|e| errors.push(("name".to_string(), e.to_string())));
    let email =
        Email::parse(&req.email).map_err(|e| errors.push(("email".to_string(), e.to_string())));
    let password = NewPassword::parse(&req.password)
        .map_err(|e| errors.push(("password".to_string(), e.to_string())));
    let (Ok(name), Ok(email), Ok(password)) = (name, email, password) else {
        return Err(ApiError::Validation(errors));
    };
    let hash = blocking(move || password.hash()).await??;
    let user = user::create(&state.pool, &email, &name, &hash, Role::Fan)
        .await
        .map_err(|e| match e {
            CreateUserError::EmailTaken => ApiError::Conflict {
                code: "EMAIL_TAKEN",
                message: "this email is already registered".into(),
                details: None,
            },
            CreateUserError::Db(e) => e.into(),
        })?;
    let (token, _) = state
        .tokens
        .start_session(user.id, user.role, &mut state.redis.clone())
        .await
        .map_err(session_store_down)?;
    Ok((StatusCode::CREATED, Json(AuthResponse { token, user })))
}

/// Sign in. A wrong password and an unknown email give the same answer.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = AuthResponse), (status = 401, description = "INVALID_CREDENTIALS"), (status = 429)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<AuthResponse>> {
    state.limits.auth(ip, &req.email).await?;
    let mut errors = Vec::new();
    if req.email.trim().is_empty() {
        errors.push(("email".to_string(), "email is required".to_string()));
    }
    if req.password.is_empty() {
        errors.push(("password".to_string(), "password is required".to_string()));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let found = match Email::parse(&req.email) {
        Ok(email) => user::find_credentials(&state.pool, &email).await?,
        Err(_) => None,
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let password = req.password;
    let ok = blocking(move || verify_password(&password, hash.as_deref())).await?;
    match user {
        Some(user) if ok => {
            let (token, _) = state
                .tokens
                .start_session(user.id, user.role, &mut state.redis.clone())
                .await
                .map_err(session_store_down)?;
            Ok(Json(AuthResponse { token, user }))
        }
        _ => Err(ApiError::Unauthorized {
            code: "INVALID_CREDENTIALS",
            message: "email or password is incorrect",
        }),
    }
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401)))]
pub async fn me(State(pool): State<PgPool>, user: CurrentUser) -> ApiResult<Json<MeResponse>> {
    let user = user::find(&pool, user.id)
        .await?
        .ok_or(ApiError::Unauthorized {
            code: "TOKEN_INVALID",
            message: "the account no longer exists",
        })?;
    Ok(Json(MeResponse { user }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct LogoutParams {
    /// End every session of the account, not only this token.
    #[serde(default)]
    all: bool,
}

/// Sign out: the token is refused from now until it would have expired; with `?all=true`
/// every token of the account is (a lost phone, a shared computer).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("bearer" = [])),
    params(LogoutParams), responses((status = 204), (status = 401)))]
pub async fn logout(
    State(tokens): State<Tokens>,
    State(mut redis): State<tiketi_core::infra::redis::RedisConn>,
    user: CurrentUser,
    Query(params): Query<LogoutParams>,
) -> ApiResult<StatusCode> {
    let revoked = if params.all {
        tokens.end_all_sessions(user.id, &mut redis).await
    } else {
        tokens.revoke(&user.claims, &mut redis).await
    };
    revoked.map_err(|e| ApiError::Internal(e.into()))?;
    Ok(StatusCode::NO_CONTENT)
}
