//! Pointing an event at its uploaded poster: one row update, written after every
//! rendition is stored, with its audit entry in the same transaction.

use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{types::Json, PgPool};
use uuid::Uuid;

use crate::{
    admin::{
        audit_log::{self, Action},
        AdminError,
    },
    event::EventStatus,
};

/// One stored rendition of an uploaded poster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PosterImage {
    pub url: String,
    pub width: i32,
    pub height: i32,
}

/// The renditions as the `events.poster_images` column stores them (jsonb).
pub type PosterImages = sqlx::types::Json<Vec<PosterImage>>;

/// Makes `images` (narrowest first) the event's poster; `posterUrl` becomes the widest.
/// A cancelled event cannot be changed.
pub async fn set_poster(
    pool: &PgPool,
    actor: Uuid,
    event_id: Uuid,
    images: &[PosterImage],
) -> Result<(), AdminError> {
    let widest = images
        .last()
        .map(|i| i.url.clone())
        .ok_or(AdminError::Invalid(vec![(
            "body".into(),
            "no rendition of the poster".into(),
        )]))?;
    let mut tx = pool.begin().await?;
    let before = sqlx::query!(
        r#"SELECT status, poster_url, poster_images AS "poster_images: Json<Vec<PosterImage>>"
           FROM events WHERE id = $1 FOR UPDATE"#,
        event_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AdminError::NotFound("event"))?;
    if EventStatus::parse(&before.status) == Some(EventStatus::Cancelled) {
        return Err(AdminError::Conflict {
            code: "EVENT_CANCELLED",
            message: "a cancelled event cannot be changed".into(),
        });
    }
    sqlx::query!(
        "UPDATE events SET poster_url = $2, poster_images = $3, updated_at = now() WHERE id = $1",
        event_id,
        widest,
        Json(images) as _,
    )
    .execute(&mut *tx)
    .await?;
    let changes = audit_log::diff(
        &json!({ "posterUrl": before.poster_url, "posterImages": before.poster_images.0 }),
        &json!({ "posterUrl": widest, "posterImages": images }),
        &[],
    );
    audit_log::record(&mut tx, actor, Action::EventUpdate, event_id, changes).await?;
    tx.commit().await?;
    Ok(())
}
