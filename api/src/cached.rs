//! Answering from a cached body: pick the encoding the client accepts, honour
//! `If-None-Match`, and never touch the JSON.

use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use tiketi_core::infra::cache::CachedBody;

#[derive(Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// Brotli if accepted, else gzip, else identity; `q=0` means "not acceptable".
fn negotiate(headers: &HeaderMap) -> Encoding {
    let Some(accept) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut pieces = part.split(';');
            let coding = pieces.next().unwrap_or("").trim();
            let q_zero = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            coding.eq_ignore_ascii_case(name) && !q_zero
        })
    };
    if accepts("br") {
        Encoding::Brotli
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let bare = etag.trim_start_matches("W/");
    inm.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t.trim_start_matches("W/") == bare
    })
}

/// The response for a cached body; `max_age` is what browsers may reuse without asking.
pub fn respond(body: &CachedBody, headers: &HeaderMap, max_age: u32) -> Response {
    let cache_control = HeaderValue::from_str(&format!("public, max-age={max_age}"))
        .unwrap_or(HeaderValue::from_static("no-cache"));
    let etag = HeaderValue::from_str(&body.etag).unwrap_or(HeaderValue::from_static("\"\""));
    if matches_etag(headers, &body.etag) {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache_control),
                (header::VARY, HeaderValue::from_static("accept-encoding")),
            ],
        )
            .into_response();
    }
    let (bytes, encoding) = match negotiate(headers) {
        Encoding::Brotli => (body.brotli.clone(), Some("br")),
        Encoding::Gzip => (body.gzip.clone(), Some("gzip")),
        Encoding::Identity => (body.json.clone(), None),
    };
    let mut response = Response::new(Body::from(bytes));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, cache_control);
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(enc) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn negotiation_prefers_brotli_and_respects_q_zero() {
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(
            negotiate(&with(header::ACCEPT_ENCODING, "gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(
            negotiate(&with(header::ACCEPT_ENCODING, "gzip, br;q=0")),
            Encoding::Gzip
        );
        assert_eq!(
            negotiate(&with(header::ACCEPT_ENCODING, "identity")),
            Encoding::Identity
        );
    }

    #[test]
    fn etags_match_weakly_and_in_lists() {
        assert!(matches_etag(
            &with(header::IF_NONE_MATCH, "W/\"abc\""),
            "W/\"abc\""
        ));
        assert!(matches_etag(
            &with(header::IF_NONE_MATCH, "\"x\", \"abc\""),
            "W/\"abc\""
        ));
        assert!(!matches_etag(
            &with(header::IF_NONE_MATCH, "\"abd\""),
            "W/\"abc\""
        ));
    }
}
