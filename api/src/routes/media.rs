//! Poster upload (admin) and, with the local store, serving the stored files under
//! `/media/`. The body is the image itself (any `Content-Type`: the bytes decide), bounded
//! by `MEDIA_MAX_UPLOAD_BYTES`; decoding runs on blocking threads, a few at a time, so
//! uploads cannot starve the reservation path of CPU or memory.

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, State},
    http::{HeaderValue, Response, StatusCode},
};
use tiketi_core::{
    admin, event as events,
    media::{self, PosterError, PosterImage},
};
use uuid::Uuid;

use crate::{
    error::{ApiError, ApiResult},
    extract::{Admin, Json, Path},
    routes::admin::{invalidate, EventResponse},
    state::AppState,
};

impl From<PosterError> for ApiError {
    fn from(e: PosterError) -> Self {
        let (status, code) = match e {
            PosterError::Unsupported => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_IMAGE_TYPE")
            }
            PosterError::TooManyPixels { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "TOO_MANY_PIXELS")
            }
            PosterError::Corrupt => (StatusCode::UNPROCESSABLE_ENTITY, "CORRUPT_IMAGE"),
        };
        let message = match e {
            // The decoder's own limit fired: the exact size is not known.
            PosterError::TooManyPixels { max: 0, .. } => "the image is too large to decode".into(),
            other => other.to_string(),
        };
        ApiError::Refused {
            status,
            code,
            message,
        }
    }
}

/// Uploads the event's poster: a JPEG, PNG or WebP file as the raw request body. It is
/// re-encoded as JPEG at 320, 640 and 1280 pixels wide (never enlarged), metadata dropped,
/// stored under content-addressed names, and then the event points at it in one update
/// (`posterImages` for `srcset`, `posterUrl` the widest), so readers never see a poster
/// half replaced.
#[utoipa::path(post, path = "/api/admin/events/{id}/poster", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = Vec<u8>, description = "the image file (JPEG, PNG or WebP; told apart by content)",
        content_type = "application/octet-stream"),
    responses((status = 200, body = EventResponse),
              (status = 401), (status = 403), (status = 404, description = "EVENT_NOT_FOUND"),
              (status = 409, description = "EVENT_CANCELLED"),
              (status = 413, description = "PAYLOAD_TOO_LARGE: more than MEDIA_MAX_UPLOAD_BYTES"),
              (status = 415, description = "UNSUPPORTED_IMAGE_TYPE: not a JPEG, PNG or WebP file"),
              (status = 422, description = "TOO_MANY_PIXELS (more than MEDIA_MAX_PIXELS) or CORRUPT_IMAGE")))]
pub async fn upload_poster(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<Uuid>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<EventResponse>> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge
        } else {
            ApiError::BadRequest {
                code: "BAD_REQUEST",
                message: "the request body could not be read".into(),
            }
        }
    })?;
    // Nothing is decoded or stored for an event that does not exist.
    if events::find(&state.pool, id).await?.is_none() {
        return Err(admin::AdminError::NotFound("event").into());
    }
    let media = state.media.clone();
    let renditions = {
        let _permit = media
            .decoding
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        let max_pixels = media.max_pixels;
        tokio::task::spawn_blocking(move || media::render(&body, max_pixels))
            .await
            .map_err(|e| ApiError::Internal(e.into()))??
    };
    // Objects first, then the row: a reader sees the old poster until the update commits.
    let images = futures::future::try_join_all(renditions.into_iter().map(|r| {
        let store = media.store.clone();
        async move {
            let url = store.put_jpeg(r.jpeg).await?;
            Ok::<_, object_store::Error>(PosterImage {
                url,
                width: r.width as i32,
                height: r.height as i32,
            })
        }
    }))
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("storing the poster failed: {e}")))?;
    media::set_poster(&state.pool, admin.id, id, &images).await?;
    invalidate(&state, id).await;
    let event = events::find(&state.pool, id)
        .await?
        .ok_or(admin::AdminError::NotFound("event"))?;
    Ok(Json(EventResponse { event }))
}

/// `Cache-Control` of a served file: stored files never change (their name is their hash),
/// so caches may keep them for a year. Only successful answers say so; a 404 must not be
/// remembered.
pub fn immutable<B>(response: &Response<B>) -> Option<HeaderValue> {
    let status = response.status();
    (status.is_success() || status == StatusCode::NOT_MODIFIED)
        .then(|| HeaderValue::from_static(tiketi_core::media::IMMUTABLE))
}
