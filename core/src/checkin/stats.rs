//! Live check-in numbers for the organizer: admitted per minute (last hour), per gate,
//! share of sold tickets admitted, and the conflicts offline gates reported.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::ConflictKind;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GateCount {
    pub gate: String,
    pub admitted: i64,
    pub last_admitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MinuteCount {
    pub minute: DateTime<Utc>,
    pub admitted: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub ticket_id: Uuid,
    pub kind: ConflictKind,
    pub gate: String,
    pub admitted_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// The admission that stands, if any.
    pub first_gate: Option<String>,
    pub first_admitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckinStats {
    pub event_id: Uuid,
    /// Tickets of confirmed reservations.
    pub sold: i64,
    pub admitted: i64,
    /// admitted ÷ sold, 0 when nothing is sold.
    pub admitted_share: f64,
    pub per_gate: Vec<GateCount>,
    pub per_minute: Vec<MinuteCount>,
    pub conflict_count: i64,
    /// The latest 100.
    pub conflicts: Vec<Conflict>,
}

/// The numbers the dashboard's gauge and gate list show, pushed live to admins after scans
/// (`Live::CheckinStats`, topic `admin:<event>`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveNumbers {
    pub event_id: Uuid,
    pub sold: i64,
    pub admitted: i64,
    pub admitted_share: f64,
    pub per_gate: Vec<GateCount>,
}

impl From<&CheckinStats> for LiveNumbers {
    fn from(s: &CheckinStats) -> Self {
        Self {
            event_id: s.event_id,
            sold: s.sold,
            admitted: s.admitted,
            admitted_share: s.admitted_share,
            per_gate: s.per_gate.clone(),
        }
    }
}

pub async fn for_event(pool: &PgPool, event_id: Uuid) -> Result<CheckinStats, sqlx::Error> {
    let totals = sqlx::query!(
        r#"SELECT
             (SELECT COUNT(*) FROM tickets t JOIN reservations r ON r.id = t.reservation_id
              WHERE t.event_id = $1 AND r.status = 'confirmed') AS "sold!",
             (SELECT COUNT(*) FROM checkins WHERE event_id = $1) AS "admitted!",
             (SELECT COUNT(*) FROM checkin_conflicts WHERE event_id = $1) AS "conflicts!""#,
        event_id
    )
    .fetch_one(pool)
    .await?;
    let per_gate = sqlx::query_as!(
        GateCount,
        r#"SELECT gate, COUNT(*) AS "admitted!", MAX(admitted_at) AS "last_admitted_at!"
           FROM checkins WHERE event_id = $1 GROUP BY gate ORDER BY gate"#,
        event_id
    )
    .fetch_all(pool)
    .await?;
    let per_minute = sqlx::query_as!(
        MinuteCount,
        r#"SELECT date_trunc('minute', admitted_at) AS "minute!", COUNT(*) AS "admitted!"
           FROM checkins WHERE event_id = $1 AND admitted_at > now() - interval '60 minutes'
           GROUP BY 1 ORDER BY 1"#,
        event_id
    )
    .fetch_all(pool)
    .await?;
    let conflicts = sqlx::query_as!(
        Conflict,
        r#"SELECT cc.ticket_id, cc.kind AS "kind: ConflictKind", cc.gate, cc.admitted_at,
                  cc.recorded_at, c.gate AS "first_gate?", c.admitted_at AS "first_admitted_at?"
           FROM checkin_conflicts cc LEFT JOIN checkins c ON c.ticket_id = cc.ticket_id
           WHERE cc.event_id = $1 ORDER BY cc.recorded_at DESC, cc.id DESC LIMIT 100"#,
        event_id
    )
    .fetch_all(pool)
    .await?;
    let share = if totals.sold > 0 {
        totals.admitted as f64 / totals.sold as f64
    } else {
        0.0
    };
    Ok(CheckinStats {
        event_id,
        sold: totals.sold,
        admitted: totals.admitted,
        admitted_share: share,
        per_gate,
        per_minute,
        conflict_count: totals.conflicts,
        conflicts,
    })
}
