//! Request extractors whose rejections use our error envelope, and the "signed-in fan" /
//! "admin" extractors.

use std::net::{IpAddr, SocketAddr};

use axum::{
    body::Bytes,
    extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request},
    http::{header, request::Parts},
};
use tiketi_core::infra::redis::RedisConn;
use tiketi_core::user::auth::{Claims, Role, TokenError, Tokens};
use uuid::Uuid;

use crate::{config::ApiConfig, error::ApiError};

/// `axum::Json` with our rejection, refusing NUL characters in any string (422): Postgres
/// text cannot hold them, so they would otherwise fail deep down as a 500. A body that
/// does not fit the request type is a 422 naming the field ([`parse_json`]).
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge
                } else {
                    ApiError::BadRequest {
                        code: "BAD_REQUEST",
                        message: "the request body could not be read".into(),
                    }
                }
            })?;
        if !json_content_type(&parts.headers) {
            return Err(ApiError::UnsupportedMediaType);
        }
        refuse_nul(&bytes)?;
        parse_json(&bytes).map(Json)
    }
}

/// Whether the request says its body is JSON (`application/json` or `application/*+json`),
/// as `axum::Json` asks.
fn json_content_type(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim();
    let Some((kind, sub)) = essence.split_once('/') else {
        return false;
    };
    kind.eq_ignore_ascii_case("application")
        && (sub.eq_ignore_ascii_case("json") || sub.to_ascii_lowercase().ends_with("+json"))
}

/// Reads a JSON request body into `T`. Malformed JSON is a 400; JSON of the wrong shape is
/// a 422 `VALIDATION_FAILED` whose details name the field (`queue.strategy`,
/// `ticketTypes[0].price`): an unknown field (never silently dropped), a field given twice
/// (also under its two names, `startsAt` and the plan's `eventDate`), a missing or
/// mistyped one.
pub fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let malformed = || ApiError::BadRequest {
        code: "MALFORMED_JSON",
        message: "request body is not valid JSON".into(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if e.inner().is_data() {
            shape_error(&e)
        } else {
            malformed()
        }
    })?;
    de.end().map_err(|_| malformed())?;
    Ok(value)
}

/// The 422 for a body of the wrong shape, keyed by the JSON path of the field at fault.
fn shape_error(e: &serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let inner = e.inner();
    let full = inner.to_string();
    let suffix = format!(" at line {} column {}", inner.line(), inner.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let path = e.path().to_string();
    // The path ends at the key itself when the key was the fault (unknown, duplicate),
    // at its object when a field is missing.
    let within = |name: &str| match path.as_str() {
        "." | "" => name.to_string(),
        p if p == name || p.ends_with(&format!(".{name}")) => p.to_string(),
        parent => format!("{parent}.{name}"),
    };
    // serde's own wording for the three field-level faults: "<kind> field `<name>`...".
    let named = |kind: &str| {
        message
            .strip_prefix(kind)
            .and_then(|rest| rest.split('`').nth(1))
            .map(str::to_string)
    };
    if let Some(name) = named("unknown field ") {
        let known = message.split_once(", expected ").map(|(_, k)| k);
        return ApiError::validation(
            within(&name),
            match known {
                Some(k) => format!("is not a field of this request (expected {k})"),
                None => "is not a field of this request".into(),
            },
        );
    }
    if let Some(name) = named("duplicate field ") {
        return ApiError::validation(
            within(&name),
            match crate::plan_names::other_name(&name) {
                Some(other) => format!("is given twice (as `{name}` and its other name `{other}`, or twice as one of them)"),
                None => "is given twice".into(),
            },
        );
    }
    if let Some(name) = named("missing field ") {
        return ApiError::validation(within(&name), "is required");
    }
    let field = match path.as_str() {
        "." | "" => "body".to_string(),
        p => p.to_string(),
    };
    ApiError::validation(field, message)
}

/// Whether a JSON text contains an escaped NUL (`\u0000`) outside an escaped backslash; a
/// raw NUL byte is not valid JSON and the parser refuses it anyway.
fn has_json_nul(body: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, b) in body.iter().enumerate() {
        if *b == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && *b == b'u' && body.get(i + 1..i + 5) == Some(b"0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

/// 422 for a JSON body with a NUL character in it (for handlers that read raw bytes).
pub fn refuse_nul(body: &[u8]) -> Result<(), ApiError> {
    if has_json_nul(body) {
        return Err(nul_refused("body"));
    }
    Ok(())
}

fn nul_refused(field: &str) -> ApiError {
    ApiError::validation(field, "text may not contain NUL characters")
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Path` with our rejection.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// `axum::extract::Query` with our rejection, refusing NUL characters (422) like [`Json`].
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state).await?;
        if let Some((name, _)) = value
            .iter()
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(nul_refused(name));
        }
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

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

/// A signed-in user who may buy and change bookings: a fan or an admin. A gate account
/// (venue staff signed in on a scanner) gets 403: a stolen or shared scanner must not be a
/// way to hold seats, pay, cancel or queue. The token's role decides (a gate account's role
/// never changes), so the hot reserve path reads nothing more.
#[derive(Debug, Clone)]
pub struct Buyer(pub CurrentUser);

impl<S> FromRequestParts<S> for Buyer
where
    S: Send + Sync,
    Tokens: FromRef<S>,
    RedisConn: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.role == Role::Gate {
            return Err(gate_refused());
        }
        Ok(Buyer(user))
    }
}

/// What a gate account gets outside the gate's own routes.
pub fn gate_refused() -> ApiError {
    ApiError::Forbidden {
        code: "GATE_ACCOUNT",
        message: "gate accounts only scan tickets",
    }
}

/// A signed-in admin; a fan gets 403. The role is read from the database on every admin
/// request, not from the token, so a demotion or promotion takes effect at once rather
/// than when the token expires (admin requests are few; this costs one primary-key read).
#[derive(Debug, Clone)]
pub struct Admin(pub CurrentUser);

impl<S> FromRequestParts<S> for Admin
where
    S: Send + Sync,
    Tokens: FromRef<S>,
    RedisConn: FromRef<S>,
    sqlx::PgPool: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let mut user = CurrentUser::from_request_parts(parts, state).await?;
        let pool = sqlx::PgPool::from_ref(state);
        let role = tiketi_core::user::find(&pool, user.id)
            .await?
            .map(|u| u.role);
        if role != Some(Role::Admin) {
            return Err(ApiError::Forbidden {
                code: "ADMIN_ONLY",
                message: "administrators only",
            });
        }
        user.role = Role::Admin;
        Ok(Admin(user))
    }
}

/// The client's address: the socket peer, or behind our own load balancer (`TRUST_PROXY`)
/// the hop our proxies added to `X-Forwarded-For`, `TRUSTED_PROXY_HOPS` from the right.
/// Every `X-Forwarded-For` header line counts, in order: a proxy that appends a header of
/// its own (rather than a comma) must not let the client's forged first line win.
pub struct ClientIp(pub IpAddr);

/// The address `hops` entries from the right of the request's `X-Forwarded-For` chain.
pub fn forwarded_client(headers: &axum::http::HeaderMap, hops: usize) -> Option<IpAddr> {
    let chain: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let index = chain.len().checked_sub(hops.max(1))?;
    chain[index].parse().ok()
}

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    std::sync::Arc<ApiConfig>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let config = std::sync::Arc::<ApiConfig>::from_ref(state);
        Ok(ClientIp(client_ip(parts, &config)))
    }
}

/// The client's address: the trusted proxy's word when configured, else the peer.
pub fn client_ip(parts: &Parts, config: &ApiConfig) -> IpAddr {
    if config.trust_proxy {
        if let Some(ip) = forwarded_client(&parts.headers, config.trusted_proxy_hops) {
            return ip;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(lines: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for l in lines {
            h.append("x-forwarded-for", HeaderValue::from_static(l));
        }
        h
    }

    #[test]
    fn the_trusted_hop_wins_over_anything_the_client_wrote() {
        // A client-forged line, then the one haproxy appended.
        let forged = headers(&["6.6.6.6", "203.0.113.9"]);
        assert_eq!(forwarded_client(&forged, 1), Some([203, 0, 113, 9].into()));
        let appended = headers(&["6.6.6.6, 7.7.7.7, 203.0.113.9, 10.0.0.2"]);
        assert_eq!(
            forwarded_client(&appended, 2),
            Some([203, 0, 113, 9].into())
        );
        // Fewer hops than trusted proxies: the header cannot be trusted at all.
        assert_eq!(forwarded_client(&headers(&["203.0.113.9"]), 2), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
        assert_eq!(forwarded_client(&headers(&["junk"]), 1), None);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        #[serde(alias = "eventDate")]
        starts_at: Option<String>,
        inner: Option<Vec<Inner>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: i32,
    }

    /// The field a 422 names for `body`.
    fn faulty_field(body: &str) -> String {
        match parse_json::<Outer>(body.as_bytes()) {
            Err(ApiError::Validation(fields)) => fields[0].0.clone(),
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn a_body_of_the_wrong_shape_names_the_field_at_fault() {
        assert_eq!(faulty_field(r#"{"bogus": 1}"#), "bogus");
        assert_eq!(
            faulty_field(r#"{"inner": [{"n": 1}, {"m": 2}]}"#),
            "inner[1].m"
        );
        assert_eq!(faulty_field(r#"{"inner": [{"n": "x"}]}"#), "inner[0].n");
        assert_eq!(faulty_field(r#"{"inner": [{}]}"#), "inner[0].n");
        assert_eq!(
            faulty_field(r#"{"starts_at": "a", "eventDate": "b"}"#),
            "starts_at"
        );
        assert_eq!(faulty_field("[]"), "body");
        assert!(matches!(
            parse_json::<Outer>(b"{} x"),
            Err(ApiError::BadRequest { .. })
        ));
    }

    #[test]
    fn escaped_nul_is_found_and_an_escaped_backslash_is_not_one() {
        assert!(has_json_nul(br#"{"q":"a\u0000b"}"#));
        assert!(has_json_nul(br#"{"q":"\\\u0000"}"#));
        assert!(!has_json_nul(br#"{"q":"\\u0000"}"#));
        assert!(!has_json_nul(br#"{"q":"u0000"}"#));
    }
}
