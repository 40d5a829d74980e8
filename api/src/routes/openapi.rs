//! The OpenAPI 3 document, generated from the handlers' annotations.

use utoipa::{
    openapi::{
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
        Content, Ref, RefOr, ResponseBuilder,
    },
    Modify, OpenApi, ToSchema,
};

use crate::{
    error_codes::{ErrorCode, FieldReasonSchema},
    plan_names::PlanNamesInSchemas,
};

use super::{
    admin, auth, checkin, docs::Conventions, events, exports, health, media, payments, queue,
    reservations, seats, tickets,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tiketi API", description = "Real-time ticketing: events, seat maps, reservations."),
    paths(
        auth::register, auth::login, auth::me, auth::update_me, auth::logout,
        events::list, events::detail,
        seats::layouts, seats::seat_map, seats::block_summary, seats::block_seats,
        reservations::reserve_seats, reservations::order_tickets, reservations::request_status,
        reservations::get, reservations::get_seat_reservation, reservations::mine, reservations::cancel,
        payments::methods, payments::process,
        queue::challenge, queue::join, queue::status, queue::leave,
        health::health,
        admin::list_events, admin::create_event, admin::update_event, admin::cancel_event,
        admin::list_reservations, admin::list_layouts, admin::create_layout,
        admin::dashboard_stats, admin::audit,
        exports::reservations_csv, exports::sales_csv, exports::cancel_impact,
        tickets::list,
        checkin::scan, checkin::sync, checkin::offline_bundle, checkin::me,
        checkin::create_gate, checkin::list_gates, checkin::stats,
        media::upload_poster,
    ),
    components(schemas(ErrorEnvelope, ErrorBody, ErrorCode, FieldReasonSchema, ValidationDetails, FieldProblem)),
    // Conventions first: its 429 (with Retry-After) wins over the generic one.
    modifiers(&BearerAuth, &Conventions, &ErrorResponses, &PlanNamesInSchemas),
    tags((name = "auth"), (name = "events"), (name = "seats"), (name = "reservations"), (name = "payments"), (name = "queue"), (name = "ops"), (name = "admin"), (name = "checkin"))
)]
pub struct ApiDoc;

/// Every error answer: `{"error": {"code", "message", "details"}}`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    /// Stable, machine-readable, e.g. `SEAT_UNAVAILABLE`.
    code: ErrorCode,
    message: String,
    /// For `VALIDATION_FAILED` a [`ValidationDetails`]; other codes document their own.
    #[schema(value_type = Option<Object>)]
    details: Option<serde_json::Value>,
}

/// `details` of a 422 `VALIDATION_FAILED`, keyed by the JSON field (`ticketTypes[1].price`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ValidationDetails {
    /// English sentences, for people reading logs.
    fields: std::collections::BTreeMap<String, String>,
    /// Machine-readable: what clients translate.
    reasons: std::collections::BTreeMap<String, FieldProblem>,
}

/// Why one field was refused, with the numbers or names the message needs.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FieldProblem {
    reason: FieldReasonSchema,
    /// `min`/`max` (numbers), `allowed` (strings), `other` (a field name).
    #[schema(value_type = Object)]
    params: serde_json::Value,
}

/// Documents the error statuses every operation can answer besides its own (malformed
/// input, validation, limits, load shedding, and for signed-in routes 401/403, for routes
/// with an id in the path or a body 404, with a body 413/415), all with the error envelope, so that clients and
/// schemathesis (the `fuzz` suite) hold the api to them.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let error = || Content::new(Some(RefOr::Ref(Ref::from_schema_name("ErrorEnvelope"))));
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                let mut statuses = vec!["400", "422", "429", "503"];
                if op.security.is_some() {
                    statuses.extend(["401", "403"]);
                }
                // An id in the path or in the body may name nothing.
                if path.contains('{') || op.request_body.is_some() {
                    statuses.push("404");
                }
                if op.request_body.is_some() {
                    statuses.extend(["413", "415"]);
                }
                for status in statuses {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| {
                            RefOr::T(ResponseBuilder::new().description("error").build())
                        });
                }
                for (status, response) in op.responses.responses.iter_mut() {
                    if let (true, RefOr::T(r)) = (status.as_str() >= "400", response) {
                        if r.content.is_empty() {
                            r.content.insert("application/json".into(), error());
                        }
                    }
                }
            }
        }
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

pub async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
