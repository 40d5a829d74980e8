use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::{error_of, TestApp};

#[sqlx::test(migrations = "../migrations")]
async fn framework_rejections_use_the_error_envelope(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    error_of(res, 400, "MALFORMED_JSON").await;
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .body("email=a")
        .send()
        .await
        .unwrap();
    error_of(res, 415, "UNSUPPORTED_MEDIA_TYPE").await;
    let big = json!({"email": "a@b.co", "password": "x".repeat(100 * 1024)});
    error_of(
        app.post_json("/api/auth/login", &big).await,
        413,
        "PAYLOAD_TOO_LARGE",
    )
    .await;
    error_of(app.get("/api/events/not-a-uuid").await, 400, "INVALID_PATH").await;
    error_of(app.get("/api/nothing-here").await, 404, "ROUTE_NOT_FOUND").await;
    error_of(
        app.client
            .delete(app.url("/api/events"))
            .send()
            .await
            .unwrap(),
        405,
        "METHOD_NOT_ALLOWED",
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn responses_carry_request_ids_and_security_headers(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app.get("/api/events").await;
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(uuid::Uuid::parse_str(h["x-request-id"].to_str().unwrap()).is_ok());
    let res = app
        .client
        .get(app.url("/api/events"))
        .header("x-request-id", "trace-me-1")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-me-1");
}

#[sqlx::test(migrations = "../migrations")]
async fn openapi_document_lists_the_routes(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/auth/register",
        "/api/auth/login",
        "/api/events",
        "/api/events/{id}",
        "/api/seats/events/{eventId}",
        "/api/health",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_count_requests_by_route_template(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.get(&format!("/api/events/{}", uuid::Uuid::new_v4()))
        .await;
    let text = app.metrics_text();
    assert!(
        text.lines()
            .any(|l| l.starts_with("tiketi_http_requests_total")
                && l.contains("route=\"/api/events/{id}\"")
                && l.contains("status=\"404\"")),
        "{text}"
    );
    assert!(text.contains("tiketi_http_request_duration_seconds_bucket"));
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_are_not_served_on_the_public_port(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 404);
    let body = res.text().await.unwrap();
    assert!(!body.contains("tiketi_"), "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn graceful_shutdown_lets_in_flight_requests_finish(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    // A login spends real time in argon2; stop the server while it is in flight.
    app.register("slow@example.com").await;
    let client = app.client.clone();
    let url = app.url("/api/auth/login");
    let in_flight = tokio::spawn(async move {
        client
            .post(url)
            .json(&json!({"email": "slow@example.com", "password": "secret123"}))
            .send()
            .await
    });
    // Pacing: the request reaches the server (argon2 then keeps it busy for longer).
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let addr = app.addr;
    app.stop().await;
    let res = in_flight
        .await
        .unwrap()
        .expect("the in-flight request was answered");
    assert_eq!(res.status(), 200);
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener is closed"
    );
}

/// The api's top-level modules (`state`, `ws`, `fanout`, `routes`, ...) and the ones each
/// names through `crate::...`, read from the sources. Submodules count as their top-level
/// module, so `routes/*` is one node.
fn module_graph() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let module = first.to_str().unwrap().trim_end_matches(".rs").to_string();
            if matches!(module.as_str(), "lib" | "main") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let deps = graph.entry(module.clone()).or_default();
            for used in crate_paths(&text) {
                if used != module {
                    deps.insert(used);
                }
            }
        }
    }
    graph
}

/// The first segment of every `crate::` path in `text` (outside line comments), expanding
/// `crate::{a::x, b}` groups.
fn crate_paths(text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let (mut depth, mut start) = (0, 0);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.push(ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(ident(rest));
        }
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

/// Issue #14: background tasks must not reach back into routes or the state that holds
/// them; any cycle among the api's modules is a layering mistake.
#[test]
fn api_modules_import_no_cycles() {
    let graph = module_graph();
    assert!(
        graph.contains_key("ws") && graph.contains_key("state"),
        "{graph:?}"
    );
    // Depth-first search; a back edge to a module on the current path is a cycle.
    fn visit(
        graph: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
        node: &str,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|p| p == node) {
            cycles.push(format!("{} -> {node}", path[at..].join(" -> ")));
            return;
        }
        if !done.insert(node.to_string()) {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(graph, next, path, done, cycles);
        }
        path.pop();
    }
    let (mut done, mut cycles) = (Default::default(), Vec::new());
    for node in graph.keys() {
        visit(&graph, node, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(
        cycles.is_empty(),
        "import cycles among api modules: {cycles:#?}"
    );
}

#[test]
fn crate_paths_expand_groups() {
    let text = "use crate::{\n    config::ApiConfig, ws::{self, Hub},\n    state };\n// crate::x\nlet a = crate::rooms::Rooms::new();";
    assert_eq!(crate_paths(text), ["config", "ws", "state", "rooms"]);
}
