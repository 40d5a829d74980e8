//! The web app built by `web/` (WEB_DIST), served on the api's port. Vite names every file
//! under `assets/` by its content hash, so those are cached for a year and never
//! revalidated; `index.html` (and every app route, which answers with it) must be
//! revalidated so a deploy reaches fans at their next load. The build writes `.br` and
//! `.gz` beside each file; the one the browser accepts is sent as is, so serving the
//! bundle compresses nothing per request.

use std::path::Path;

use axum::{
    http::{header, HeaderValue, Response},
    Router,
};
use tower::ServiceBuilder;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Only a successful answer may be cached: a 404 for a file a deploy has not yet
/// written must not stick for a year.
fn cache_control<B>(value: &'static str) -> impl Fn(&Response<B>) -> Option<HeaderValue> + Clone {
    move |res: &Response<B>| {
        res.status()
            .is_success()
            .then(|| HeaderValue::from_static(value))
    }
}

/// The body depends on Accept-Encoding: a shared cache (a CDN) must key on it.
fn vary() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::appending(header::VARY, HeaderValue::from_static("accept-encoding"))
}

pub fn app(dist: &Path) -> Router {
    let assets = ServeDir::new(dist.join("assets"))
        .precompressed_br()
        .precompressed_gzip();
    let pages = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(dist.join("index.html"))
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new()
        .nest_service(
            "/assets",
            ServiceBuilder::new()
                .layer(vary())
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    cache_control(IMMUTABLE),
                ))
                .service(assets),
        )
        .fallback_service(
            ServiceBuilder::new()
                .layer(vary())
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    cache_control(REVALIDATE),
                ))
                .service(pages),
        )
}
