//! Human-readable API documentation at `/api/docs`: Swagger UI rendering `/api/openapi.json`.
//! Its assets (from the `swagger-ui-dist` npm package, see `api/assets/swagger-ui/`) are
//! compiled into the binary, so the page works offline and loads nothing from other origins
//! (the global CSP allows only same-origin scripts, hence no inline script).

use axum::{
    extract::Path,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};

use utoipa::{
    openapi::{
        header::HeaderBuilder,
        path::{Parameter, ParameterBuilder, ParameterIn},
        ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type,
    },
    Modify,
};

use crate::error::ApiError;

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tiketi API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
"#;

/// Renders the document; the validator badge is off because it calls a public service.
const INIT: &str = r##"window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null
});
"##;

const BUNDLE: &[u8] = include_bytes!("../../assets/swagger-ui/swagger-ui-bundle.js");
const CSS: &[u8] = include_bytes!("../../assets/swagger-ui/swagger-ui.css");

const CACHE: HeaderValue = HeaderValue::from_static("public, max-age=3600");

/// `GET /api/docs`
pub async fn page() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        PAGE,
    )
        .into_response()
}

/// `GET /api/docs/{asset}`: the page's scripts and stylesheet.
pub async fn asset(Path(name): Path<String>) -> Result<Response, ApiError> {
    let (body, kind): (&'static [u8], &'static str) = match name.as_str() {
        "swagger-ui-bundle.js" => (BUNDLE, "text/javascript; charset=utf-8"),
        "init.js" => (INIT.as_bytes(), "text/javascript; charset=utf-8"),
        "swagger-ui.css" => (CSS, "text/css; charset=utf-8"),
        _ => {
            return Err(ApiError::NotFound {
                code: "ROUTE_NOT_FOUND",
                message: "no such endpoint",
            })
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (header::CACHE_CONTROL, CACHE),
        ],
        body,
    )
        .into_response())
}

/// Adds to the generated document what the handlers' annotations do not say: the error
/// envelope on every error answer, the request headers of the command endpoints, and the
/// 429 answer with `Retry-After` of the rate-limited ones.
pub struct Conventions;

/// Endpoints behind the global (Redis) rate limits, as (method, path or path prefix).
const RATE_LIMITED: &[(&str, &str)] = &[
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("post", "/api/seats/reserve"),
    ("post", "/api/reservations"),
    ("*", "/api/queue/"),
];

/// Command endpoints: they take an idempotency key, an admission token (events with a
/// waiting room) and `Prefer: respond-async`.
const COMMANDS: &[&str] = &["/api/seats/reserve", "/api/reservations"];

fn header_param(name: &str, description: &str, example: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .examples([serde_json::json!(example)]),
        ))
        .build()
}

fn command_headers() -> [Parameter; 3] {
    [
        header_param(
            "Idempotency-Key",
            "1 to 255 visible characters. A retry with the same key gets the first request's answer and never a second hold; the same key with a different body is a 422 (IDEMPOTENCY_KEY_REUSED).",
            "6f1c2a9e-3c1b-4f7e-9a51-2b8d7f0e4c11",
        ),
        header_param(
            "X-Admission-Token",
            "The token `POST /api/queue/{eventId}/join` or `GET /api/queue/{eventId}/status` gave an admitted fan; required when the event uses the waiting room (403 without it).",
            "eyJhbGciOi...",
        ),
        header_param(
            "Prefer",
            "`respond-async` answers 202 with a request id at once instead of waiting for the decision; poll `GET /api/seats/requests/{requestId}` or listen for `reservation-result`.",
            "respond-async",
        ),
    ]
}

fn too_many_requests() -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description("RATE_LIMITED: too many requests; retry after `Retry-After` seconds")
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::Integer))
                .description(Some("seconds to wait before retrying"))
                .build(),
        )
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                .build(),
        )
        .build()
}

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                ("get", &mut item.get),
                ("post", &mut item.post),
                ("put", &mut item.put),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, op) in operations {
                let Some(op) = op.as_mut() else { continue };
                if method == "post" && COMMANDS.contains(&path.as_str()) {
                    let params = op.parameters.get_or_insert_with(Vec::new);
                    for p in command_headers() {
                        if !params.iter().any(|q| q.name.eq_ignore_ascii_case(&p.name)) {
                            params.push(p);
                        }
                    }
                }
                let limited = RATE_LIMITED.iter().any(|(m, p)| {
                    (*m == "*" || *m == method)
                        && (path == p || (p.ends_with('/') && path.starts_with(p)))
                });
                if limited {
                    op.responses
                        .responses
                        .insert("429".into(), RefOr::T(too_many_requests()));
                }
            }
        }
    }
}
