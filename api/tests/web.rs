//! The built web app on the api's port: hashed assets cached for a year, the app shell
//! revalidated, the precompressed file the browser accepts sent as is.

use std::path::PathBuf;

use sqlx::PgPool;
use tiketi_testkit::{test_config, TestApp};

/// A dist folder as `npm run build` writes it: each file with its .br and .gz beside it
/// (marked so the test can tell which was sent).
fn dist() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tiketi-web-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    for (path, body) in [
        ("index.html", "<!doctype html><title>Tiketi</title>"),
        ("assets/index-Cn4Nzm41.js", "console.log('app')"),
    ] {
        std::fs::write(dir.join(path), body).unwrap();
        std::fs::write(dir.join(format!("{path}.br")), format!("br:{body}")).unwrap();
        std::fs::write(dir.join(format!("{path}.gz")), format!("gz:{body}")).unwrap();
    }
    dir
}

async fn get(app: &TestApp, path: &str, accept: &str) -> (u16, reqwest::header::HeaderMap, String) {
    // No automatic decompression: the test reads the bytes as sent.
    let client = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .build()
        .unwrap();
    let res = client
        .get(app.url(path))
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.text().await.unwrap())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[sqlx::test(migrations = "../migrations")]
async fn hashed_assets_are_immutable_and_sent_precompressed(pool: PgPool) {
    let dir = dist();
    let mut config = test_config();
    config.web_dist = Some(dir.clone());
    let app = TestApp::spawn_with(pool, config).await;

    let (status, headers, body) = get(&app, "/assets/index-Cn4Nzm41.js", "gzip, br").await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-encoding"), "br");
    assert_eq!(body, "br:console.log('app')");
    assert_eq!(
        header(&headers, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(header(&headers, "vary")
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert!(header(&headers, "content-type").starts_with("text/javascript"));

    let (_, headers, body) = get(&app, "/assets/index-Cn4Nzm41.js", "gzip").await;
    assert_eq!(header(&headers, "content-encoding"), "gzip");
    assert_eq!(body, "gz:console.log('app')");
    let (_, headers, body) = get(&app, "/assets/index-Cn4Nzm41.js", "identity").await;
    assert_eq!(header(&headers, "content-encoding"), "");
    assert_eq!(body, "console.log('app')");

    // A file a deploy has not written yet is a 404 nobody may cache for a year.
    let (status, headers, _) = get(&app, "/assets/index-00000000.js", "br").await;
    assert_eq!(status, 404);
    assert_eq!(header(&headers, "cache-control"), "");

    // The shell and every app route answer index.html, revalidated on each load.
    for path in ["/", "/events/5eed0000-0000-4000-8000-000000000001", "/my"] {
        let (status, headers, body) = get(&app, path, "br").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(header(&headers, "cache-control"), "no-cache", "{path}");
        assert_eq!(body, "br:<!doctype html><title>Tiketi</title>", "{path}");
    }
    // The API is not the web app's.
    let (status, _, _) = get(&app, "/api/nowhere", "br").await;
    assert_eq!(status, 404);
    std::fs::remove_dir_all(dir).unwrap();
}
