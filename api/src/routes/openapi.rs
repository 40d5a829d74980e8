//! The OpenAPI 3 document, generated from the handlers' annotations.

use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

use super::{auth, events, health, payments, queue, reservations, seats};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tiketi API", description = "Real-time ticketing: events, seat maps, reservations."),
    paths(
        auth::register, auth::login, auth::me, auth::logout,
        events::list, events::detail,
        seats::layouts, seats::seat_map,
        reservations::reserve_seats, reservations::order_tickets, reservations::request_status,
        reservations::get, reservations::mine, reservations::cancel,
        payments::methods, payments::process,
        queue::join, queue::status, queue::leave,
        health::health,
    ),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "events"), (name = "seats"), (name = "reservations"), (name = "payments"), (name = "queue"), (name = "ops"))
)]
pub struct ApiDoc;

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
