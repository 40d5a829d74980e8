//! Sign-up, sign-in, who-am-I and sign-out.

use axum::{
    extract::State,
    http::{header::ACCEPT_LANGUAGE, HeaderMap, StatusCode},
    response::IntoResponse,
};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tiketi_core::{
    mail::Locale,
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
    /// The language of the fan's e-mails, `ko` or `en`; without it the browser's
    /// `Accept-Language` decides, and Korean when that names neither.
    #[schema(value_type = Option<String>, example = "en")]
    #[serde(default)]
    locale: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    /// `ko` or `en`.
    #[schema(value_type = Option<String>, example = "ko")]
    #[serde(default)]
    locale: Option<String>,
}

fn parse_locale(raw: Option<&str>, errors: &mut Vec<(String, String)>) -> Option<Locale> {
    let raw = raw?;
    let locale = Locale::parse(raw);
    if locale.is_none() {
        errors.push(("locale".to_string(), "must be ko or en".to_string()));
    }
    locale
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
    headers: HeaderMap,
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
    let locale = parse_locale(req.locale.as_deref(), &mut errors).unwrap_or_else(|| {
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Locale::from_accept_language)
            .unwrap_or_default()
    });
    let (Ok(name), Ok(email), Ok(password), true) = (name, email, password, errors.is_empty())
    else {
        return Err(ApiError::Validation(errors));
    };
    let hash = blocking(move || password.hash()).await??;
    let user = user::create(&state.pool, &email, &name, &hash, Role::Fan, locale)
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

/// Change the signed-in user's settings: the language of their e-mails.
#[utoipa::path(patch, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses((status = 200, body = MeResponse), (status = 401),
              (status = 422, description = "VALIDATION_FAILED with per-field details")))]
pub async fn update_me(
    State(pool): State<PgPool>,
    user: CurrentUser,
    Json(req): Json<UpdateMeRequest>,
) -> ApiResult<Json<MeResponse>> {
    let mut errors = Vec::new();
    let locale = parse_locale(req.locale.as_deref(), &mut errors);
    let Some(locale) = locale else {
        if errors.is_empty() {
            errors.push(("locale".to_string(), "locale is required".to_string()));
        }
        return Err(ApiError::Validation(errors));
    };
    let user = user::set_locale(&pool, user.id, locale)
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
