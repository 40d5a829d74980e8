//! The API documentation page and the OpenAPI document behind it.

use serde_json::Value;
use sqlx::PgPool;
use tiketi_testkit::TestApp;

/// The values of `attr="..."` in `html`.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_docs_page_loads_only_same_origin_assets_that_all_answer(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/html"), "{kind}");
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = res.text().await.unwrap();
    let assets: Vec<&str> = attributes(&html, "src")
        .into_iter()
        .chain(attributes(&html, "href"))
        .collect();
    assert!(assets.len() >= 3, "scripts and stylesheet: {assets:?}");
    for asset in assets {
        assert!(
            asset.starts_with('/') && !asset.starts_with("//"),
            "not same-origin: {asset}"
        );
        let res = app.client.get(app.url(asset)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{asset}");
        assert!(!res.bytes().await.unwrap().is_empty(), "{asset}");
    }
    // The initializer renders the same document the API serves.
    let init = app
        .client
        .get(app.url("/api/docs/init.js"))
        .send()
        .await
        .unwrap();
    assert!(init.text().await.unwrap().contains("\"/api/openapi.json\""));
    let missing = app
        .client
        .get(app.url("/api/docs/nope.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_openapi_document_names_the_command_headers_and_429_with_retry_after(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in ["/api/seats/reserve", "/api/reservations"] {
        let op = &doc["paths"][path]["post"];
        let headers: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} has parameters"))
            .iter()
            .filter(|p| p["in"] == "header")
            .filter_map(|p| p["name"].as_str())
            .collect();
        for h in ["Idempotency-Key", "X-Admission-Token", "Prefer"] {
            assert!(headers.contains(&h), "{path} lacks {h}: {headers:?}");
        }
        assert!(
            op["responses"]["429"]["headers"]["Retry-After"].is_object(),
            "{path}"
        );
    }
    let pay = &doc["paths"]["/api/payments/process"]["post"]["parameters"];
    assert!(pay.to_string().contains("Idempotency-Key"));
    assert!(doc["paths"]["/api/auth/login"]["post"]["responses"]["429"].is_object());
    assert!(doc["paths"]["/api/seats/reservation/{id}"]["get"].is_object());
    // Every documented error answer has a body: the error envelope unless it says otherwise
    // (health's 503 carries the checks).
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(responses) = op["responses"].as_object() else {
                continue;
            };
            for (status, response) in responses {
                if status.starts_with(['4', '5']) {
                    let body = response["content"]["application/json"]["schema"].to_string();
                    assert!(
                        body.contains("ErrorEnvelope") || path == "/api/health",
                        "{method} {path} {status}: {body}"
                    );
                }
            }
        }
    }
}
