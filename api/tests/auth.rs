use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::{error_of, test_config, TestApp};

#[sqlx::test(migrations = "../migrations")]
async fn register_login_me_logout_and_the_token_is_refused_after(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let res = app
        .post_json(
            "/api/auth/register",
            &json!({"name": " 김팬 ", "email": " Kim.Fan@Example.COM ", "password": "secret123"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["email"], "kim.fan@example.com");
    assert_eq!(body["user"]["name"], "김팬");
    assert_eq!(body["user"]["role"], "fan");
    assert!(body["user"].get("passwordHash").is_none() && !body.to_string().contains("argon2"));

    let stored: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE email = 'kim.fan@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");

    let res = app
        .post_json(
            "/api/auth/login",
            &json!({"email": "KIM.FAN@example.com", "password": "secret123"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();

    let me: Value = app
        .get_auth("/api/auth/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], "kim.fan@example.com");

    let res = app
        .client
        .post(app.url("/api/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    error_of(
        app.get_auth("/api/auth/me", &token).await,
        401,
        "TOKEN_REVOKED",
    )
    .await;

    // A fresh login still works after a logout.
    let res = app
        .post_json(
            "/api/auth/login",
            &json!({"email": "kim.fan@example.com", "password": "secret123"}),
        )
        .await;
    let token2 = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.get_auth("/api/auth/me", &token2).await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn missing_bad_and_forged_tokens_are_refused(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    error_of(app.get("/api/auth/me").await, 401, "AUTH_REQUIRED").await;
    error_of(
        app.get_auth("/api/auth/me", "not.a.jwt").await,
        401,
        "TOKEN_INVALID",
    )
    .await;
    let forged = tiketi_core::user::auth::Tokens::new(
        "some-other-secret-0123456789",
        std::time::Duration::from_secs(60),
        tiketi_core::infra::redis::Keys::new("x"),
    )
    .issue(uuid::Uuid::new_v4(), tiketi_core::user::auth::Role::Admin)
    .unwrap()
    .0;
    error_of(
        app.get_auth("/api/auth/me", &forged).await,
        401,
        "TOKEN_INVALID",
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn every_registration_field_is_validated(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let cases = [
        (
            json!({"name": "", "email": "a@b.co", "password": "secret123"}),
            "name",
        ),
        (
            json!({"name": "x".repeat(51), "email": "a@b.co", "password": "secret123"}),
            "name",
        ),
        (
            json!({"name": "Fan", "email": "", "password": "secret123"}),
            "email",
        ),
        (
            json!({"name": "Fan", "email": "not-an-email", "password": "secret123"}),
            "email",
        ),
        (
            json!({"name": "Fan", "email": "a@b.co", "password": "short1"}),
            "password",
        ),
        (
            json!({"name": "Fan", "email": "a@b.co", "password": "lettersonly"}),
            "password",
        ),
        (
            json!({"name": "Fan", "email": "a@b.co", "password": "x1".repeat(65)}),
            "password",
        ),
        (json!({"email": "a@b.co", "password": "secret123"}), "name"),
    ];
    for (body, field) in cases {
        let err = error_of(
            app.post_json("/api/auth/register", &body).await,
            422,
            "VALIDATION_FAILED",
        )
        .await;
        let fields = err["details"]["fields"].as_object().unwrap();
        assert_eq!(fields.keys().collect::<Vec<_>>(), [field], "{body}: {err}");
    }
    // All three wrong at once: all three reported.
    let err = error_of(
        app.post_json(
            "/api/auth/register",
            &json!({"name": "", "email": "x", "password": "y"}),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert_eq!(err["details"]["fields"].as_object().unwrap().len(), 3);
    // A wrong type is a validation error too, in the envelope.
    error_of(
        app.post_json(
            "/api/auth/register",
            &json!({"name": 5, "email": "a@b.co", "password": "secret123"}),
        )
        .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;

    app.register("dup@example.com").await;
    let err = error_of(
        app.post_json(
            "/api/auth/register",
            &json!({"name": "Other", "email": "DUP@example.com", "password": "secret123"}),
        )
        .await,
        409,
        "EMAIL_TAKEN",
    )
    .await;
    assert!(
        !err.to_string().contains("users_email_key"),
        "no constraint names leak: {err}"
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failed_login_does_not_reveal_whether_the_email_exists(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    app.register("known@example.com").await;
    let wrong_password = error_of(
        app.post_json(
            "/api/auth/login",
            &json!({"email": "known@example.com", "password": "wrong1234"}),
        )
        .await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    let unknown = error_of(
        app.post_json(
            "/api/auth/login",
            &json!({"email": "nobody@example.com", "password": "wrong1234"}),
        )
        .await,
        401,
        "INVALID_CREDENTIALS",
    )
    .await;
    assert_eq!(wrong_password, unknown);
    error_of(
        app.post_json("/api/auth/login", &json!({"email": "", "password": ""}))
            .await,
        422,
        "VALIDATION_FAILED",
    )
    .await;
}

#[sqlx::test(migrations = "../migrations")]
async fn login_is_rate_limited_per_email_and_per_ip(pool: PgPool) {
    let mut config = test_config();
    config.auth_rate_per_email_per_minute = 3;
    config.auth_rate_per_ip_per_minute = 6;
    let app = TestApp::spawn_with(pool, config).await;
    let app = &app;
    let attempt = |email: &'static str| async move {
        app.post_json(
            "/api/auth/login",
            &json!({"email": email, "password": "wrong1234"}),
        )
        .await
    };
    for _ in 0..3 {
        assert_eq!(attempt("victim@example.com").await.status(), 401);
    }
    let res = attempt("victim@example.com").await;
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let err = error_of(res, 429, "RATE_LIMITED").await;
    assert!(err["details"]["retryAfterSeconds"].as_u64().unwrap() >= 1);
    // Same address, other emails: the per-IP limit (6) ends it after 2 more.
    assert_eq!(attempt("a@example.com").await.status(), 401);
    assert_eq!(attempt("b@example.com").await.status(), 401);
    error_of(attempt("c@example.com").await, 429, "RATE_LIMITED").await;
}

/// The language of a fan's e-mails: explicit at sign-up, else the browser's, else Korean;
/// changeable later, and only to a language the e-mails are written in.
#[sqlx::test(migrations = "../migrations")]
async fn a_fans_locale_comes_from_sign_up_and_can_be_changed(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let register = |email: &str, locale: Option<&str>, accept: Option<&str>| {
        let mut body = json!({"name": "Fan", "email": email, "password": "secret123"});
        if let Some(l) = locale {
            body["locale"] = json!(l);
        }
        let mut req = app.client.post(app.url("/api/auth/register")).json(&body);
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        req.send()
    };
    let plain: Value = register("a@example.com", None, None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plain["user"]["locale"], "ko");
    let browser: Value = register("b@example.com", None, Some("en-GB,en;q=0.9,ko;q=0.5"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(browser["user"]["locale"], "en");
    let chosen: Value = register("c@example.com", Some("ko"), Some("en-US"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(chosen["user"]["locale"], "ko");
    let bad = error_of(
        register("d@example.com", Some("fr"), None).await.unwrap(),
        422,
        "VALIDATION_FAILED",
    )
    .await;
    assert!(bad.to_string().contains("locale"), "{bad}");

    let token = chosen["token"].as_str().unwrap();
    let patch = |body: Value| {
        app.client
            .patch(app.url("/api/auth/me"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let changed: Value = patch(json!({"locale": "en"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["user"]["locale"], "en");
    let me: Value = app
        .get_auth("/api/auth/me", token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["locale"], "en");
    error_of(
        patch(json!({"locale": "xx"})).await.unwrap(),
        422,
        "VALIDATION_FAILED",
    )
    .await;
    error_of(patch(json!({})).await.unwrap(), 422, "VALIDATION_FAILED").await;
    let res = app
        .client
        .patch(app.url("/api/auth/me"))
        .json(&json!({"locale": "en"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}
