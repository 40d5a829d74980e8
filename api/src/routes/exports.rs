//! Organizers' spreadsheets and the cancel preview. The CSV exports stream: a task reads
//! the rows from the database and sends them in chunks as they are written, so a large
//! event costs one chunk of memory, not one file. They start with a UTF-8 byte order mark
//! because Excel reads a CSV without one in the machine's legacy code page and garbles
//! Korean names; times are RFC 3339 in the event's zone, as everywhere on the wire.

use axum::{
    body::{Body, Bytes},
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};
use futures::{channel::mpsc, SinkExt, Stream, StreamExt};
use serde::Serialize;
use tiketi_core::{
    admin::exports::{self, CancelImpact, ReservationRow, SaleRow},
    event::time::EventZone,
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::ApiResult,
    extract::{Admin, Json, Path},
    state::AppState,
};

/// Excel's cue that the file is UTF-8.
const BOM: &[u8] = "\u{feff}".as_bytes();
/// Rows written before a chunk is sent.
const ROWS_PER_CHUNK: usize = 256;

/// A table that can be written as CSV: its header and how one row reads.
trait CsvTable: Send + 'static {
    const HEADER: &'static [&'static str];
    fn record(&self, zone: EventZone) -> Vec<String>;
}

fn time(zone: EventZone, at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|t| zone.format(t)).unwrap_or_default()
}

impl CsvTable for ReservationRow {
    const HEADER: &'static [&'static str] = &[
        "code",
        "status",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "expired_at",
        "fan_name",
        "fan_email",
        "items",
        "quantity",
        "total_amount_krw",
        "payment_method",
        "payment_status",
    ];

    fn record(&self, zone: EventZone) -> Vec<String> {
        vec![
            self.code.clone(),
            self.status.clone(),
            zone.format(self.created_at),
            time(zone, self.confirmed_at),
            time(zone, self.cancelled_at),
            time(zone, self.expired_at),
            self.fan_name.clone(),
            self.fan_email.clone(),
            self.items.clone(),
            self.quantity.to_string(),
            self.total_amount.to_string(),
            self.payment_method.clone().unwrap_or_default(),
            self.payment_status.clone().unwrap_or_default(),
        ]
    }
}

impl CsvTable for SaleRow {
    const HEADER: &'static [&'static str] = &[
        "paid_at",
        "refunded_at",
        "reservation_code",
        "fan_name",
        "fan_email",
        "method",
        "status",
        "amount_krw",
        "provider_ref",
    ];

    fn record(&self, zone: EventZone) -> Vec<String> {
        vec![
            zone.format(self.paid_at),
            time(zone, self.refunded_at),
            self.reservation_code.clone(),
            self.fan_name.clone(),
            self.fan_email.clone(),
            self.method.clone(),
            self.status.clone(),
            self.amount.to_string(),
            self.provider_ref.clone().unwrap_or_default(),
        ]
    }
}

/// Writes rows into CSV text with the `csv` crate's quoting (commas, quotes, newlines).
struct Chunker(csv::Writer<Vec<u8>>);

impl Chunker {
    fn new() -> Self {
        Self(csv::Writer::from_writer(Vec::new()))
    }

    fn write(&mut self, record: &[impl AsRef<[u8]>]) -> std::io::Result<()> {
        self.0.write_record(record).map_err(std::io::Error::other)
    }

    /// What has been written since the last take (a fresh writer goes on after it).
    fn take(&mut self) -> std::io::Result<Bytes> {
        let full = std::mem::replace(&mut self.0, csv::Writer::from_writer(Vec::new()));
        Ok(Bytes::from(full.into_inner().map_err(|e| e.into_error())?))
    }
}

/// Streams `rows` of the event as a CSV download named `file`.
fn csv_response<T, F>(state: &AppState, zone: EventZone, file: String, rows: F) -> Response
where
    T: CsvTable,
    F: for<'p> FnOnce(&'p sqlx::PgPool) -> futures::stream::BoxStream<'p, Result<T, sqlx::Error>>
        + Send
        + 'static,
{
    let (mut tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(4);
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let result = async {
            let mut out = Chunker::new();
            out.write(T::HEADER)?;
            let head = [Bytes::from_static(BOM), out.take()?].concat();
            if tx.send(Ok(Bytes::from(head))).await.is_err() {
                return Ok(()); // the caller went away
            }
            let mut rows = rows(&pool);
            let mut pending = 0;
            while let Some(row) = rows.next().await {
                let row = row.map_err(std::io::Error::other)?;
                out.write(&row.record(zone))?;
                pending += 1;
                if pending == ROWS_PER_CHUNK {
                    pending = 0;
                    if tx.send(Ok(out.take()?)).await.is_err() {
                        return Ok(());
                    }
                }
            }
            let rest = out.take()?;
            if !rest.is_empty() {
                let _ = tx.send(Ok(rest)).await;
            }
            Ok::<_, std::io::Error>(())
        }
        .await;
        if let Err(e) = result {
            // The body ends with an error, so the download fails instead of looking whole.
            tracing::error!(error = %e, "csv export failed midway");
            let _ = tx.send(Err(e)).await;
        }
    });
    download(rx, &file)
}

fn download(
    body: impl Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    file: &str,
) -> Response {
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The event's reservations as CSV (UTF-8 with BOM), oldest first: code, status, times in
/// the event's zone, fan, seats or tickets, amount and latest payment.
#[utoipa::path(get, path = "/api/admin/events/{id}/reservations.csv", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/csv", body = String),
              (status = 401), (status = 403), (status = 404, description = "EVENT_NOT_FOUND")))]
pub async fn reservations_csv(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let zone = exports::event_zone(&state.pool, id).await?;
    Ok(csv_response(
        &state,
        zone,
        format!("reservations-{id}.csv"),
        move |pool| exports::reservation_rows(pool, id),
    ))
}

/// The event's payments as CSV (UTF-8 with BOM), oldest first: completed, declined and
/// refunded, with times in the event's zone.
#[utoipa::path(get, path = "/api/admin/events/{id}/sales.csv", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "text/csv", body = String),
              (status = 401), (status = 403), (status = 404, description = "EVENT_NOT_FOUND")))]
pub async fn sales_csv(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> ApiResult<Response> {
    let zone = exports::event_zone(&state.pool, id).await?;
    Ok(csv_response(
        &state,
        zone,
        format!("sales-{id}.csv"),
        move |pool| exports::sale_rows(pool, id),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CancelImpactResponse {
    impact: CancelImpact,
}

/// What `POST /api/admin/events/{id}/cancel` would do if called now: bookings by status,
/// payments and KRW to refund, fans to e-mail. Changes nothing.
#[utoipa::path(get, path = "/api/admin/events/{id}/cancel-impact", tag = "admin",
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = CancelImpactResponse), (status = 401), (status = 403),
              (status = 404, description = "EVENT_NOT_FOUND")))]
pub async fn cancel_impact(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<CancelImpactResponse>> {
    Ok(Json(CancelImpactResponse {
        impact: exports::cancel_impact(&state.pool, id).await?,
    }))
}
