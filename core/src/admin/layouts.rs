//! Organizers' seat layouts: a checked layout is stored with its audit entry in one
//! transaction. Events take their seats from a layout when they are created, so a layout is
//! never edited afterwards; a new one is made instead.

use serde::Deserialize;
use sqlx::PgPool;

use super::{
    audit_log::{self, Action},
    bounded, AdminError, FieldErrors,
};
use crate::layout::{self, CreateLayoutError, Layout, NewLayout, Section, ValidSections};

/// The body of `POST /api/admin/layouts`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LayoutInput {
    pub name: Option<String>,
    pub venue: Option<String>,
    pub description: Option<String>,
    /// In order; rows are labelled A, B, … across sections.
    pub sections: Option<Vec<Section>>,
}

pub async fn create(
    pool: &PgPool,
    actor: uuid::Uuid,
    input: LayoutInput,
) -> Result<Layout, AdminError> {
    let mut errors = FieldErrors::new();
    let name = match &input.name {
        Some(n) => bounded(&mut errors, "name", n, 1, 100),
        None => {
            errors.push(("name".into(), "is required".into()));
            None
        }
    };
    let venue = bounded(
        &mut errors,
        "venue",
        input.venue.as_deref().unwrap_or(""),
        0,
        200,
    );
    let description = bounded(
        &mut errors,
        "description",
        input.description.as_deref().unwrap_or(""),
        0,
        1_000,
    );
    let sections = match input.sections {
        Some(s) => ValidSections::parse(s).map_err(|e| errors.extend(e)).ok(),
        None => {
            errors.push(("sections".into(), "is required".into()));
            None
        }
    };
    let (Some(name), Some(venue), Some(description), Some(sections)) =
        (name, venue, description, sections)
    else {
        return Err(AdminError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AdminError::Invalid(errors));
    }
    let mut tx = pool.begin().await?;
    let id = layout::insert(
        &mut *tx,
        &NewLayout {
            id: None,
            name: &name,
            venue: &venue,
            description: &description,
            sections: &sections,
        },
    )
    .await
    .map_err(|e| match e {
        CreateLayoutError::NameTaken => AdminError::Conflict {
            code: "LAYOUT_NAME_TAKEN",
            message: "a layout with this name exists".into(),
        },
        CreateLayoutError::Db(e) => AdminError::Db(e),
    })?;
    let layout = layout::find(&mut *tx, id)
        .await?
        .ok_or(AdminError::NotFound("layout"))?;
    let after = serde_json::to_value(&layout).unwrap_or_default();
    let changes = audit_log::diff(&serde_json::Value::Null, &after, &["id"]);
    audit_log::record(&mut tx, actor, Action::LayoutCreate, id, changes).await?;
    tx.commit().await?;
    Ok(layout)
}
