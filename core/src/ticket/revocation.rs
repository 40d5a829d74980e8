//! Which tickets of an event a gate must refuse without asking the server: revoked ones
//! (reservation cancelled or refunded, or the event cancelled) and, so that an offline gate
//! does not admit twice what was admitted online, those already admitted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevocationList {
    pub event_id: Uuid,
    /// When the list was read; a gate shows its age while offline.
    pub generated_at: DateTime<Utc>,
    pub revoked: Vec<Uuid>,
    pub admitted: Vec<Uuid>,
}

pub async fn for_event(pool: &PgPool, event_id: Uuid) -> Result<RevocationList, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // One snapshot for both lists.
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let generated_at = sqlx::query_scalar!(r#"SELECT now() AS "now!""#)
        .fetch_one(&mut *tx)
        .await?;
    let revoked = sqlx::query_scalar!(
        "SELECT t.id FROM tickets t
         JOIN reservations r ON r.id = t.reservation_id
         JOIN events e ON e.id = t.event_id
         WHERE t.event_id = $1 AND (r.status <> 'confirmed' OR e.status = 'cancelled')
         ORDER BY t.id",
        event_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let admitted = sqlx::query_scalar!(
        "SELECT ticket_id FROM checkins WHERE event_id = $1 ORDER BY ticket_id",
        event_id
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(RevocationList {
        event_id,
        generated_at,
        revoked,
        admitted,
    })
}
