//! Reservations as organizers look through them: every fan's, filtered by event, status,
//! fan email and creation time, paged and sorted, each with its fan and event title.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

use super::{FieldErrors, Filters, Page};
use crate::{
    event::{like_pattern, Pagination},
    reservation::{find_many, Reservation, ReservationStatus},
};

/// The query string of `GET /api/admin/reservations`, as sent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct ReservationParams {
    pub event_id: Option<String>,
    /// pending | confirmed | cancelled | expired
    pub status: Option<String>,
    /// Part of the fan's email, any case.
    pub email: Option<String>,
    /// Created at or after: an instant, or a date (Asia/Seoul).
    pub from: Option<String>,
    /// Created at or before: an instant, or a date (the whole day, Asia/Seoul).
    pub to: Option<String>,
    pub page: Option<String>,
    pub limit: Option<String>,
    /// `createdAt` (oldest first) or `-createdAt` (newest first, the default).
    pub sort: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReservationQuery {
    pub event_id: Option<Uuid>,
    pub status: Option<ReservationStatus>,
    pub email: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub page: Page,
    pub newest_first: bool,
}

impl ReservationParams {
    pub fn parse(&self) -> Result<ReservationQuery, FieldErrors> {
        let mut f = Filters::default();
        let event_id = f.uuid("eventId", &self.event_id);
        let status = f
            .one_of(
                "status",
                &self.status,
                &ReservationStatus::ALL.map(ReservationStatus::as_str),
            )
            .and_then(|s| {
                ReservationStatus::ALL
                    .into_iter()
                    .find(|status| status.as_str() == s)
            });
        let email = f.text("email", &self.email, 254);
        let from = f.from("from", &self.from);
        let until = f.until("to", &self.to);
        f.range(from, until);
        let sort = f.one_of("sort", &self.sort, &["createdAt", "-createdAt"]);
        let page = f.page(&self.page, &self.limit);
        f.finish(ReservationQuery {
            event_id,
            status,
            email,
            from,
            until,
            page,
            newest_first: sort.as_deref() != Some("createdAt"),
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Fan {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

/// A reservation as its owner sees it, with who made it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminReservation {
    #[serde(flatten)]
    pub reservation: Reservation,
    pub user: Fan,
    pub event_title: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReservationPage {
    pub reservations: Vec<AdminReservation>,
    pub pagination: Pagination,
}

/// One listed reservation: who made it, for which event.
struct ListedRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    email: String,
    title: String,
}

/// `query_as!` of [`ListedRow`] in the given order (a literal, so one macro per order).
macro_rules! listed_rows {
    ($order:tt, $($arg:expr),* $(,)?) => {
        sqlx::query_as!(
            ListedRow,
            "SELECT r.id, u.id AS user_id, u.name, u.email, e.title
             FROM reservations r
             JOIN users u ON u.id = r.user_id
             JOIN events e ON e.id = r.event_id
             WHERE ($1::uuid IS NULL OR r.event_id = $1)
               AND ($2::text IS NULL OR r.status = $2)
               AND ($3::text IS NULL OR r.user_id IN (SELECT id FROM users WHERE email ILIKE $3))
               AND ($4::timestamptz IS NULL OR r.created_at >= $4)
               AND ($5::timestamptz IS NULL OR r.created_at < $5)
             ORDER BY " + $order + " LIMIT $6 OFFSET $7",
            $($arg),*
        )
    };
}

pub async fn list(pool: &PgPool, q: &ReservationQuery) -> Result<ReservationPage, sqlx::Error> {
    let pattern = q.email.as_deref().map(like_pattern);
    let mut conn = pool.acquire().await?;
    let total = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "count!" FROM reservations r
        WHERE ($1::uuid IS NULL OR r.event_id = $1)
          AND ($2::text IS NULL OR r.status = $2)
          AND ($3::text IS NULL OR r.user_id IN (SELECT id FROM users WHERE email ILIKE $3))
          AND ($4::timestamptz IS NULL OR r.created_at >= $4)
          AND ($5::timestamptz IS NULL OR r.created_at < $5)"#,
        q.event_id,
        q.status as Option<ReservationStatus>,
        pattern,
        q.from,
        q.until,
    )
    .fetch_one(&mut *conn)
    .await?;
    let (limit, offset) = (i64::from(q.page.limit), q.page.offset());
    let rows = if q.newest_first {
        listed_rows!(
            "r.created_at DESC, r.id DESC",
            q.event_id,
            q.status as Option<ReservationStatus>,
            pattern,
            q.from,
            q.until,
            limit,
            offset,
        )
        .fetch_all(&mut *conn)
        .await?
    } else {
        listed_rows!(
            "r.created_at, r.id",
            q.event_id,
            q.status as Option<ReservationStatus>,
            pattern,
            q.from,
            q.until,
            limit,
            offset,
        )
        .fetch_all(&mut *conn)
        .await?
    };
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut views: HashMap<Uuid, Reservation> = find_many(&mut conn, &ids)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let reservations = rows
        .into_iter()
        .filter_map(|r| {
            Some(AdminReservation {
                reservation: views.remove(&r.id)?,
                user: Fan {
                    id: r.user_id,
                    name: r.name,
                    email: r.email,
                },
                event_title: r.title,
            })
        })
        .collect();
    Ok(ReservationPage {
        reservations,
        pagination: q.page.pagination(total),
    })
}
