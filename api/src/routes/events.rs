//! Public event reads, served from the two-level cache.

use axum::{extract::State, http::HeaderMap, response::Response};
use serde::Deserialize;
use tiketi_core::{
    event::{self, EventStatus, ListQuery},
    infra::cache::Cache,
};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::{
    cached,
    error::{ApiError, ApiResult},
    extract::{Path, Query},
    state::AppState,
};

#[derive(Deserialize, IntoParams)]
pub struct ListParams {
    /// upcoming | on_sale | sold_out | ended | cancelled
    status: Option<String>,
    /// Search text: matches titles and artists in Korean or English (and venues), with
    /// small typos and any spacing; results are then ordered by relevance.
    q: Option<String>,
    /// 1-based page number.
    page: Option<String>,
    /// 1..=100, default 20.
    limit: Option<String>,
}

impl ListParams {
    pub(crate) fn parse(self) -> Result<ListQuery, ApiError> {
        let mut errors = Vec::new();
        let status = match self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => EventStatus::parse(s).or_else(|| {
                errors.push((
                    "status".into(),
                    "must be one of upcoming, on_sale, sold_out, ended, cancelled".into(),
                ));
                None
            }),
        };
        let mut number = |field: &str, raw: Option<String>, default: u32, max: u32| -> u32 {
            match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => default,
                Some(s) => match s.parse::<u32>() {
                    Ok(n) if (1..=max).contains(&n) => n,
                    _ => {
                        errors.push((
                            field.into(),
                            format!("must be a whole number from 1 to {max}"),
                        ));
                        default
                    }
                },
            }
        };
        let page = number("page", self.page, 1, 100_000);
        let limit = number("limit", self.limit, 20, ListQuery::MAX_LIMIT);
        let q = self
            .q
            .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|q| !q.is_empty());
        if q.as_ref().is_some_and(|q| q.chars().count() > 100) {
            errors.push(("q".into(), "must be at most 100 characters".into()));
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        Ok(ListQuery {
            status,
            q,
            page,
            limit,
        })
    }
}

/// How long a search result page is shared. Searches are not indexed for invalidation:
/// their keys are as many as the texts fans type, so they simply expire, soon.
const SEARCH_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// Events, on-sale first (with `q`, most relevant first); cached 30 s (searches 5 s).
#[utoipa::path(get, path = "/api/events", tag = "events", params(ListParams),
    responses((status = 200, body = tiketi_core::event::EventList), (status = 422)))]
pub async fn list(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let query = params.parse()?;
    let cache: &Cache = &state.cache;
    let key = cache.keys().event_list(&query.cache_key());
    let (ttl, index) = match query.q {
        Some(_) => (SEARCH_TTL.min(state.config.cache.event_list), None),
        None => (
            state.config.cache.event_list,
            Some(cache.keys().event_list_index()),
        ),
    };
    let pool = state.pool.clone();
    let body = cache
        .get_or_load("event_list", key, ttl, index, || async move {
            let list = event::list(&pool, &query).await?;
            Ok(Some(serde_json::to_vec(&list)?))
        })
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("event list loader returned nothing")))?;
    Ok(cached::respond(&body, &headers, 5))
}

/// One event with its price tiers and availability; cached 60 s.
#[utoipa::path(get, path = "/api/events/{id}", tag = "events", params(("id" = Uuid, Path)),
    responses((status = 200, body = tiketi_core::event::EventDetail), (status = 404)))]
pub async fn detail(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let pool = state.pool.clone();
    let body = state
        .cache
        .get_or_load(
            "event_detail",
            state.cache.keys().event_detail(id),
            state.config.cache.event_detail,
            None,
            || async move { crate::bodies::load_detail(&pool, id).await },
        )
        .await?
        .ok_or(ApiError::NotFound {
            code: "EVENT_NOT_FOUND",
            message: "no such event",
        })?;
    Ok(cached::respond(&body, &headers, 5))
}
