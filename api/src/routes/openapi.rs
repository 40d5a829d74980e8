//! The OpenAPI 3 document, generated from the handlers' annotations.

use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

use super::{admin, auth, docs::Conventions, events, health, payments, queue, reservations, seats};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tiketi API", description = "Real-time ticketing: events, seat maps, reservations."),
    paths(
        auth::register, auth::login, auth::me, auth::logout,
        events::list, events::detail,
        seats::layouts, seats::seat_map,
        reservations::reserve_seats, reservations::order_tickets, reservations::request_status,
        reservations::get, reservations::get_seat_reservation, reservations::mine, reservations::cancel,
        payments::methods, payments::process,
        queue::challenge, queue::join, queue::status, queue::leave,
        health::health,
        admin::list_events, admin::create_event, admin::update_event, admin::cancel_event,
        admin::list_reservations, admin::list_layouts, admin::create_layout,
        admin::dashboard_stats, admin::audit,
    ),
    modifiers(&BearerAuth, &Conventions),
    tags((name = "auth"), (name = "events"), (name = "seats"), (name = "reservations"), (name = "payments"), (name = "queue"), (name = "ops"), (name = "admin"))
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
