//! The original plan's request field names. A front-end written against the plan sends
//! `eventDate` where Tiketi says `startsAt`; both are accepted (serde aliases on the input
//! types). This table names those pairs once more for what serde cannot say itself: the
//! OpenAPI document (utoipa ignores aliases) and the message when one field is given under
//! both names. A test posts every pair, so the table and the aliases cannot drift apart.

use utoipa::openapi::{schema::Schema, OpenApi, RefOr};

/// One field the plan names differently: the schema it belongs to, Tiketi's name, the
/// plan's.
#[derive(Debug, Clone, Copy)]
pub struct PlanName {
    pub schema: &'static str,
    pub field: &'static str,
    pub plan: &'static str,
}

const fn name(schema: &'static str, field: &'static str, plan: &'static str) -> PlanName {
    PlanName {
        schema,
        field,
        plan,
    }
}

pub const PLAN_NAMES: [PlanName; 7] = [
    name("EventInput", "startsAt", "eventDate"),
    name("EventInput", "saleStart", "saleStartDate"),
    name("EventInput", "saleEnd", "saleEndDate"),
    name("EventInput", "layoutId", "seatLayoutId"),
    name("EventInput", "posterUrl", "posterImageUrl"),
    name("EventInput", "artist", "artistName"),
    name("NewTicketType", "quantity", "totalQuantity"),
];

/// The other name of `field`, if the plan has one for it (either direction).
pub fn other_name(field: &str) -> Option<&'static str> {
    PLAN_NAMES.iter().find_map(|p| {
        if p.field == field {
            Some(p.plan)
        } else if p.plan == field {
            Some(p.field)
        } else {
            None
        }
    })
}

/// Adds the plan's names to the request schemas, each documented as the same field as
/// Tiketi's name, so generated clients and the docs page know both.
pub struct PlanNamesInSchemas;

impl utoipa::Modify for PlanNamesInSchemas {
    fn modify(&self, openapi: &mut OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for p in PLAN_NAMES {
            let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(p.schema)
            else {
                continue;
            };
            let Some(mut property) = object.properties.get(p.field).cloned() else {
                continue;
            };
            // Required under either name, so neither is required on its own.
            let required = object.required.iter().any(|r| r == p.field);
            object.required.retain(|r| r != p.field);
            let note = format!(
                "The plan's name for `{}`: give one or the other, not both{}.",
                p.field,
                if required { " (one is required)" } else { "" }
            );
            if let RefOr::T(Schema::Object(o)) = &mut property {
                o.description = Some(note);
            }
            object.properties.insert(p.plan.to_string(), property);
        }
    }
}
