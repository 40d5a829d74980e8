//! Hostile input and production start-up (issue 12): NUL characters in any text that
//! reaches Postgres answer 422, never 500; the per-event purchase cap and proof-of-work
//! difficulty are checked admin fields; `tiketi-api admin create` makes the first admin of
//! a deployment that loads no seed.

use std::{io::Write, process::Stdio};

use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::{env_or, error_of, TestApp};
use uuid::Uuid;

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .client
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn nul_characters_in_queries_and_text_fields_answer_422_never_500(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("nul-admin@example.com").await;
    for path in [
        "/api/events?q=%00",
        "/api/events?q=a%00b&page=1",
        "/api/events?status=on_sale%00",
    ] {
        error_of(app.get(path).await, 422, "VALIDATION_FAILED").await;
    }
    for path in [
        "/api/admin/events?q=%00",
        "/api/admin/reservations?email=x%00",
        "/api/admin/reservations?status=%00",
        "/api/admin/audit?action=%00",
    ] {
        error_of(
            send(&app, "GET", path, &admin, None).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
    }
    let nul = "a\u{0}b";
    let bodies = [
        (
            "POST",
            "/api/admin/layouts",
            json!({"name": nul, "sections": [{"name": "R", "rows": 1, "seatsPerRow": 2, "price": 1000}]}),
        ),
        (
            "POST",
            "/api/admin/layouts",
            json!({"name": "ok", "sections": [{"name": nul, "rows": 1, "seatsPerRow": 2, "price": 1000}]}),
        ),
        (
            "POST",
            "/api/admin/events",
            json!({"title": nul, "venue": "Hall", "timezone": "Asia/Seoul",
            "startsAt": "2030-01-10T19:00", "saleStart": "2030-01-09T00:00", "saleEnd": "2030-01-10T00:00",
            "ticketTypes": [{"name": "GA", "price": 1000, "quantity": 10}]}),
        ),
        (
            "PUT",
            &format!("/api/admin/events/{}", Uuid::new_v4()),
            json!({"description": nul}),
        ),
        (
            "POST",
            &format!("/api/admin/events/{}/cancel", Uuid::new_v4()),
            json!({"reason": nul}),
        ),
    ];
    for (method, path, body) in bodies {
        error_of(
            send(&app, method, path, &admin, Some(body)).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
    }
    for body in [
        json!({"name": "Fan", "email": format!("a{nul}@example.com"), "password": "secret123"}),
        json!({"email": format!("a{nul}@example.com"), "password": "secret123"}),
    ] {
        for path in ["/api/auth/register", "/api/auth/login"] {
            let res = app.post_json(path, &body).await;
            assert!(res.status().is_client_error(), "{path}: {}", res.status());
        }
    }
    // An escaped backslash before "u0000" is ordinary text.
    let res = app
        .post_json(
            "/api/auth/login",
            &json!({"email": "x\\u0000@example.com", "password": "secret123"}),
        )
        .await;
    assert_eq!(res.status(), 401);
    app.stop().await;
}

/// The test database's URL: the server of DATABASE_URL, the database `#[sqlx::test]` made.
fn database_url(pool: &PgPool) -> String {
    let base = env_or(
        "DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
    );
    let (server, _) = base.rsplit_once('/').unwrap();
    let db = pool.connect_options().get_database().unwrap().to_string();
    format!("{server}/{db}")
}

fn admin_create(pool: &PgPool, email: &str, password: &str) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tiketi-api"))
        .args(["admin", "create", "--email", email, "--name", "Operator"])
        .env("DATABASE_URL", database_url(pool))
        .env("TIKETI_ENV", "production")
        .env_remove("TIKETI_ADMIN_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_create_makes_a_working_first_admin_with_the_password_from_stdin(pool: PgPool) {
    let weak = admin_create(&pool, "root@example.com", "short");
    assert!(!weak.status.success(), "a weak password is refused");
    let made = admin_create(&pool, "root@example.com", "correct horse 42");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let again = admin_create(&pool, "root@example.com", "correct horse 42");
    assert!(
        !again.status.success(),
        "an existing email is not overwritten"
    );

    let app = TestApp::spawn(pool).await;
    let res = app
        .post_json(
            "/api/auth/login",
            &json!({"email": "root@example.com", "password": "correct horse 42"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let login: Value = res.json().await.unwrap();
    assert_eq!(login["user"]["role"], "admin");
    let token = login["token"].as_str().unwrap();
    let stats = app.get_auth("/api/admin/dashboard/stats", token).await;
    assert_eq!(stats.status(), 200);
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'root@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"), "hashed like registration");
    app.stop().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_purchase_cap_and_proof_of_work_difficulty_are_checked_admin_fields(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("limits-admin@example.com").await;
    let event = json!({"title": "Show", "venue": "Hall", "timezone": "Asia/Seoul",
        "startsAt": "2030-01-10T19:00", "saleStart": "2030-01-09T00:00", "saleEnd": "2030-01-10T00:00",
        "ticketTypes": [{"name": "GA", "price": 1000, "quantity": 10}],
        "maxTicketsPerFan": 0, "powDifficulty": 5});
    let fields = error_of(
        send(
            &app,
            "POST",
            "/api/admin/events",
            &admin,
            Some(event.clone()),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await["details"]["fields"]
        .clone();
    assert!(
        fields["maxTicketsPerFan"].is_string() && fields["powDifficulty"].is_string(),
        "{fields}"
    );
    let mut good = event;
    good["maxTicketsPerFan"] = json!(4);
    good["powDifficulty"] = json!(50_000);
    let res = send(&app, "POST", "/api/admin/events", &admin, Some(good)).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["event"]["maxTicketsPerFan"], 4);
    assert_eq!(created["event"]["powDifficulty"], 50_000);
    let id = created["event"]["id"].as_str().unwrap();
    let res = send(
        &app,
        "PUT",
        &format!("/api/admin/events/{id}"),
        &admin,
        Some(json!({"powDifficulty": null})),
    )
    .await;
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert!(updated["event"]["powDifficulty"].is_null());
    assert_eq!(
        updated["event"]["maxTicketsPerFan"], 4,
        "absent fields keep their value"
    );
    app.stop().await;
}
