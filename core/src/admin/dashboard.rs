//! The organizers' live dashboard: counts, revenue and per-event sell-through read in one
//! database snapshot (so they add up), cheap enough to poll every few seconds during an
//! on-sale: a handful of aggregate queries on indexed columns, one lookup per on-sale event.
//!
//! Waiting-room numbers live in Redis, not here: [`snapshot`] names the events whose
//! waiting room is open and [`Snapshot::with_queue_counts`] takes their counts from the
//! waiting room.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::sales;
use crate::{event::time::EventZone, event::EventStatus, reservation::ReservationStatus};

/// Holds ending within this many seconds count as expiring soon.
pub const EXPIRING_WITHIN_SECONDS: i32 = 60;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Revenue {
    /// KRW of every completed (not refunded) payment.
    pub total: i64,
    /// Of those, taken since midnight in Asia/Seoul.
    pub today: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OnSale {
    pub event_id: Uuid,
    pub title: String,
    pub status: EventStatus,
    pub total: i64,
    pub sold: i64,
    pub held: i64,
    pub available: i64,
    pub revenue: i64,
    /// sold / total, 0..=1.
    pub sell_through: f64,
}

/// Live waiting-room numbers of one event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCount {
    /// Fans in line.
    pub waiting: i64,
    /// Fans admitted and shopping now.
    pub active: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueueLoad {
    pub event_id: Uuid,
    pub title: String,
    pub waiting: i64,
    pub active: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardStats {
    /// Every status, zeros included.
    pub events_by_status: BTreeMap<String, i64>,
    pub reservations_by_status: BTreeMap<String, i64>,
    pub revenue: Revenue,
    /// Events on sale or sold out, by sale start.
    pub on_sale: Vec<OnSale>,
    /// Pending holds that end within 60 s (or are overdue for the sweeper).
    pub holds_expiring_soon: i64,
    /// Events on sale with the waiting room enabled.
    pub queues: Vec<QueueLoad>,
    /// The database time of the snapshot (Asia/Seoul offset).
    pub generated_at: String,
}

/// The database half of the stats; the waiting room adds its counts.
#[derive(Debug, Clone)]
pub struct Snapshot {
    stats: DashboardStats,
    queued: Vec<(Uuid, String)>,
}

impl Snapshot {
    /// Events whose waiting room is open, for asking the waiting room about.
    pub fn queued_events(&self) -> Vec<Uuid> {
        self.queued.iter().map(|(id, _)| *id).collect()
    }

    /// The stats, with each queued event's counts (zero for events `counts` lacks).
    pub fn with_queue_counts(mut self, counts: &HashMap<Uuid, QueueCount>) -> DashboardStats {
        self.stats.queues = self
            .queued
            .into_iter()
            .map(|(event_id, title)| {
                let c = counts.get(&event_id).copied().unwrap_or_default();
                QueueLoad {
                    event_id,
                    title,
                    waiting: c.waiting,
                    active: c.active,
                }
            })
            .collect();
        self.stats
    }
}

/// Counts by status name, every status of `all` present (zero when `rows` lacks it).
fn by_status<S: Copy>(
    rows: impl IntoIterator<Item = (S, i64)>,
    all: &[S],
    name: fn(S) -> &'static str,
) -> BTreeMap<String, i64> {
    let mut map: BTreeMap<String, i64> = all.iter().map(|s| (name(*s).to_string(), 0)).collect();
    for (status, n) in rows {
        map.insert(name(status).to_string(), n);
    }
    map
}

/// Reads every figure in one repeatable-read snapshot.
pub async fn snapshot(pool: &PgPool) -> Result<Snapshot, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut *tx)
        .await?;
    let events = sqlx::query!(
        r#"SELECT status AS "status: EventStatus", COUNT(*) AS "count!" FROM events GROUP BY status"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let reservations = sqlx::query!(
        r#"SELECT status AS "status: ReservationStatus", COUNT(*) AS "count!"
        FROM reservations GROUP BY status"#
    )
    .fetch_all(&mut *tx)
    .await?;
    // "Today" starts at midnight in Seoul, whatever the session's zone.
    let money = sqlx::query!(
        r#"SELECT COALESCE(SUM(p.amount), 0)::bigint AS "total!",
                COALESCE(SUM(p.amount) FILTER (
                    WHERE p.created_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Seoul') AT TIME ZONE 'Asia/Seoul'
                ), 0)::bigint AS "today!",
                (SELECT COUNT(*) FROM reservations
                 WHERE status = 'pending' AND expires_at <= now() + make_interval(secs => $1)) AS "expiring!",
                now() AS "now!"
         FROM payments p WHERE p.status = 'completed'"#,
        f64::from(EXPIRING_WITHIN_SECONDS),
    )
    .fetch_one(&mut *tx)
    .await?;
    let (total, today, expiring, now) = (money.total, money.today, money.expiring, money.now);
    let selling: Vec<(Uuid, String, EventStatus, bool)> = sqlx::query!(
        r#"SELECT id, title, status AS "status: EventStatus", queue_enabled FROM events
         WHERE status IN ('on_sale', 'sold_out') ORDER BY sale_start, id"#,
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.title, r.status, r.queue_enabled))
    .collect();
    let ids: Vec<Uuid> = selling.iter().map(|s| s.0).collect();
    let figures = sales::of_events(&mut *tx, &ids).await?;
    tx.commit().await?;

    let on_sale = selling
        .iter()
        .map(|(id, title, status, _)| {
            let s = figures.get(id).copied().unwrap_or_default();
            OnSale {
                event_id: *id,
                title: title.clone(),
                status: *status,
                total: s.total,
                sold: s.sold,
                held: s.held,
                available: s.available,
                revenue: s.revenue,
                sell_through: if s.total > 0 {
                    s.sold as f64 / s.total as f64
                } else {
                    0.0
                },
            }
        })
        .collect();
    let queued = selling
        .into_iter()
        .filter(|s| s.3)
        .map(|(id, title, _, _)| (id, title))
        .collect();
    Ok(Snapshot {
        stats: DashboardStats {
            events_by_status: by_status(
                events.into_iter().map(|r| (r.status, r.count)),
                &EventStatus::ALL,
                EventStatus::as_str,
            ),
            reservations_by_status: by_status(
                reservations.into_iter().map(|r| (r.status, r.count)),
                &ReservationStatus::ALL,
                ReservationStatus::as_str,
            ),
            revenue: Revenue { total, today },
            on_sale,
            holds_expiring_soon: expiring,
            queues: Vec::new(),
            generated_at: EventZone::SEOUL.format(now),
        },
        queued,
    })
}
