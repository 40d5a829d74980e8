//! The web app's API types are generated from the OpenAPI document (`web/openapi.json` →
//! `web/src/api/types.ts`, in the web build, checked by the web suite). This keeps that
//! document what the api serves at `/api/openapi.json`, without a server: a route or
//! schema change fails here until `BLESS=1` rewrites the file (then `npm run gen:api` in
//! `web/` regenerates the types).

use tiketi_api::routes::openapi::ApiDoc;
use utoipa::OpenApi;

#[test]
fn the_web_apps_copy_of_the_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/openapi.json");
    let current = ApiDoc::openapi().to_pretty_json().unwrap() + "\n";
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, &current).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == current,
        "web/openapi.json is stale: run `BLESS=1 cargo nextest run -p tiketi-api --test \
         openapi_types`, then `npm run gen:api` in web/"
    );
}
