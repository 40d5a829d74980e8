//! Request extractors whose rejections use our error envelope, and the "signed-in fan" /
//! "admin" extractors.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts},
    http::{header, request::Parts},
};
use tiketi_core::auth::{Claims, Role, TokenError, Tokens};
use tiketi_core::keys::RedisConn;
use uuid::Uuid;

use crate::{config::ApiConfig, error::ApiError};

/// `axum::Json` with our rejection.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Path` with our rejection.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query` with our rejection.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// A caller with a valid, unrevoked token.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub role: Role,
    pub claims: Claims,
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

impl<S> FromRequestParts<S> for CurrentUser
where
    S: Send + Sync,
    Tokens: FromRef<S>,
    RedisConn: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized {
            code: "AUTH_REQUIRED",
            message: "sign in first (Authorization: Bearer <token>)",
        })?;
        let tokens = Tokens::from_ref(state);
        let mut redis = RedisConn::from_ref(state);
        match tokens.verify(token, &mut redis).await {
            Ok(claims) => Ok(CurrentUser {
                id: claims.sub,
                role: claims.role,
                claims,
            }),
            Err(TokenError::Invalid) => Err(ApiError::Unauthorized {
                code: "TOKEN_INVALID",
                message: "the token is invalid or has expired",
            }),
            Err(TokenError::Revoked) => Err(ApiError::Unauthorized {
                code: "TOKEN_REVOKED",
                message: "the token has been signed out",
            }),
            // Fail closed: without the revocation list we cannot tell a signed-out token.
            Err(TokenError::Store(e)) => {
                tracing::warn!(error = %e, "revocation check failed");
                Err(ApiError::Unavailable { retry_after: 1 })
            }
        }
    }
}

/// A signed-in admin; a fan gets 403.
#[derive(Debug, Clone)]
pub struct Admin(pub CurrentUser);

impl<S> FromRequestParts<S> for Admin
where
    S: Send + Sync,
    Tokens: FromRef<S>,
    RedisConn: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role != Role::Admin {
            return Err(ApiError::Forbidden {
                code: "ADMIN_ONLY",
                message: "administrators only",
            });
        }
        Ok(Admin(user))
    }
}

/// The client's address: the socket peer, or behind our own load balancer (`TRUST_PROXY`)
/// the last `X-Forwarded-For` hop it appended.
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    std::sync::Arc<ApiConfig>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let config = std::sync::Arc::<ApiConfig>::from_ref(state);
        if config.trust_proxy {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(peer))
    }
}
