//! Regression tests for a hostile on-sale (issue 12): bounded live channel, global rate
//! limits, the trusted proxy hop, sessions that can be ended, and /metrics off the public
//! port. Each would fail against the code before the fix.

use std::{process::Stdio, time::Duration};

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_testkit::{env_or, error_of, eventually, next_matching, test_config, Socket, TestApp};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

async fn connect(addr: &str, token: Option<&str>) -> Result<Socket, u16> {
    let q = token.map(|t| format!("?token={t}")).unwrap_or_default();
    match tokio_tungstenite::connect_async(format!("ws://{addr}/ws{q}")).await {
        Ok((ws, _)) => Ok(ws),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("cannot connect: {e}"),
    }
}

async fn send(ws: &mut Socket, msg: Value) {
    ws.send(Message::text(msg.to_string())).await.unwrap();
}

async fn first_event(app: &TestApp) -> Uuid {
    app.seed().await;
    sqlx::query_scalar("SELECT id FROM events ORDER BY title LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---------------------------------------------------------------------------------------
// Finding 1: memory of the live channel.

/// The api as its own process, so its resident memory can be measured honestly.
struct ApiProcess {
    child: tokio::process::Child,
    addr: String,
    metrics_addr: String,
}

impl ApiProcess {
    async fn start(pool: &PgPool) -> Self {
        let db = pool
            .connect_options()
            .get_database()
            .expect("sqlx::test names its database")
            .to_string();
        let base = env_or(
            "DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/postgres",
        );
        let (head, query) = base.split_once('?').unwrap_or((&base, ""));
        let server = &head[..head.rfind('/').expect("a database URL has a path")];
        let database_url = if query.is_empty() {
            format!("{server}/{db}")
        } else {
            format!("{server}/{db}?{query}")
        };
        let ports = tiketi_testkit::ports::free_ports(2).unwrap();
        let addr = format!("127.0.0.1:{}", ports[0]);
        let metrics_addr = format!("127.0.0.1:{}", ports[1]);
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_tiketi-api"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TIKETI_ENV", "test")
            .env("JWT_SECRET", "rss-test-secret-0123456789")
            .env("TICKET_SIGNING_SECRET", "rss-test-ticket-secret-0123456789")
            .env("DATABASE_URL", database_url)
            .env("DATABASE_MAX_CONNECTIONS", "5")
            .env("REDIS_URL", env_or("REDIS_URL", "redis://127.0.0.1:6379"))
            .env(
                "AMQP_URL",
                env_or("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2f"),
            )
            .env("REDIS_PREFIX", format!("test-{}", Uuid::new_v4()))
            .env("AMQP_PREFIX", format!("test-{}", Uuid::new_v4()))
            .env("API_ADDR", &addr)
            .env("METRICS_ADDR", &metrics_addr)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the api binary starts");
        let api = Self {
            child,
            addr,
            metrics_addr,
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(res) = client.get(api.url("/api/events")).send().await {
                if res.status() == 200 {
                    return api;
                }
            }
            tokio::time::sleep(ms(100)).await;
        }
        panic!("the api process never answered");
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Resident set size in bytes, from the kernel.
    fn rss(&self) -> u64 {
        let pid = self.child.id().expect("running");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS");
        kib * 1024
    }
}

/// Sends `ops` and reads one reply per op, so the server never sees a slow reader.
async fn exchange(ws: &mut Socket, ops: Vec<Value>) -> Vec<Value> {
    let n = ops.len();
    for op in ops {
        ws.feed(Message::text(op.to_string())).await.unwrap();
    }
    ws.flush().await.unwrap();
    let mut replies = Vec::with_capacity(n);
    while replies.len() < n {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a reply in time")
            .expect("socket open")
            .expect("message");
        if let Message::Text(t) = msg {
            replies.push(serde_json::from_str(t.as_str()).unwrap());
        }
    }
    replies
}

#[sqlx::test(migrations = "../migrations")]
async fn churning_topics_and_flooding_sockets_keeps_the_api_rss_bounded(pool: PgPool) {
    tiketi_core::seed::load(&pool).await.unwrap();
    let event: Uuid = sqlx::query_scalar("SELECT id FROM events ORDER BY title LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let api = ApiProcess::start(&pool).await;

    // Warm up the paths measured below, so the baseline includes their one-time costs.
    let mut ws = connect(&api.addr, None).await.unwrap();
    let warm = exchange(
        &mut ws,
        vec![
            json!({"op": "subscribe", "topic": format!("seats:{event}")}),
            json!({"op": "subscribe", "topic": format!("seats:{}", Uuid::new_v4())}),
            json!({"op": "unsubscribe", "topic": format!("seats:{event}")}),
        ],
    )
    .await;
    assert_eq!(warm[0]["op"], "subscribed", "{warm:?}");
    assert_eq!(
        warm[1]["code"], "BAD_TOPIC",
        "topics of unknown events are refused"
    );
    // Pacing: the process settles before its memory is measured (a measurement, logged).
    tokio::time::sleep(ms(500)).await;
    let before = api.rss();

    // 3,000 random topics subscribed and unsubscribed on one socket.
    let mut refused = 0;
    for _ in 0..30 {
        let mut ops = Vec::new();
        for _ in 0..100 {
            let topic = format!("seats:{}", Uuid::new_v4());
            ops.push(json!({"op": "subscribe", "topic": topic}));
            ops.push(json!({"op": "unsubscribe", "topic": topic}));
        }
        for reply in exchange(&mut ws, ops).await {
            assert_ne!(reply["op"], "subscribed", "{reply}");
            if reply["op"] == "error" {
                refused += 1;
            }
        }
    }
    assert_eq!(refused, 3_000);

    // 300 sockets from one address: the per-address cap (50 by default) turns the rest away.
    let mut open = Vec::new();
    let mut turned_away = 0;
    for _ in 0..300 {
        match connect(&api.addr, None).await {
            Ok(mut s) => {
                send(
                    &mut s,
                    json!({"op": "subscribe", "topic": format!("event:{event}")}),
                )
                .await;
                open.push(s);
            }
            Err(status) => {
                assert_eq!(status, 429);
                turned_away += 1;
            }
        }
    }
    // The first socket (still open) counts against the cap too.
    assert_eq!(open.len(), 49, "WS_MAX_CONNECTIONS_PER_IP defaults to 50");
    assert_eq!(turned_away, 251);
    for s in &mut open {
        next_matching(s, Duration::from_secs(10), |m| m["op"] == "subscribed").await;
    }
    // Pacing: as before the measurement above.
    tokio::time::sleep(ms(500)).await;
    let after = api.rss();
    let grown = after.saturating_sub(before);
    eprintln!(
        "api RSS {} KiB → {} KiB (+{} KiB)",
        before / 1024,
        after / 1024,
        grown / 1024
    );
    assert!(grown < 20 * 1024 * 1024, "RSS grew by {} KiB", grown / 1024);

    // Metrics live on METRICS_ADDR only.
    let client = reqwest::Client::new();
    let metrics = client
        .get(format!("http://{}/metrics", api.metrics_addr))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("tiketi_ws_connections"), "{metrics}");
    let public = client.get(api.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn sockets_accept_only_existing_events_and_limit_subscribing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let event = first_event(&app).await;
    let addr = app.addr.to_string();
    let mut ws = connect(&addr, None).await.unwrap();
    let replies = exchange(
        &mut ws,
        vec![
            json!({"op": "subscribe", "topic": format!("seats:{}", Uuid::new_v4())}),
            json!({"op": "subscribe", "topic": format!("seats:{event}")}),
            json!({"op": "subscribe", "topic": "user"}),
        ],
    )
    .await;
    assert_eq!(replies[0]["code"], "BAD_TOPIC");
    assert_eq!(replies[1]["op"], "subscribed");
    assert_eq!(replies[2]["code"], "BAD_TOPIC", "no token, no user topic");

    // Subscribing as fast as possible hits the per-connection limit.
    let ops = (0..40)
        .map(|_| json!({"op": "subscribe", "topic": format!("event:{}", Uuid::new_v4())}))
        .collect();
    let replies = exchange(&mut ws, ops).await;
    assert!(
        replies.iter().any(|r| r["code"] == "RATE_LIMITED"),
        "{replies:?}"
    );
    // The socket is still served.
    let pong = exchange(&mut ws, vec![json!({"op": "ping"})]).await;
    assert_eq!(pong[0]["op"], "pong");
}

#[sqlx::test(migrations = "../migrations")]
async fn sockets_per_client_address_are_capped_and_given_back(pool: PgPool) {
    let mut config = test_config();
    config.ws_max_connections_per_ip = 3;
    let app = TestApp::spawn_with(pool, config).await;
    let addr = app.addr.to_string();
    let mut sockets = Vec::new();
    for _ in 0..3 {
        sockets.push(connect(&addr, None).await.unwrap());
    }
    let res = app
        .client
        .get(app.url("/ws"))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    let error = error_of(res, 429, "RATE_LIMITED").await;
    assert!(error["details"]["retryAfterSeconds"].as_u64().is_some());
    let mut closed = sockets.pop().unwrap();
    closed.close(None).await.unwrap();
    while closed.next().await.is_some() {}
    eventually(
        "a closed socket gives its place back",
        Duration::from_secs(5),
        || async { connect(&addr, None).await.map(drop) },
    )
    .await;
}

// ---------------------------------------------------------------------------------------
// Finding 8: resync instead of disconnect; sign-out reaches open sockets.

#[sqlx::test(migrations = "../migrations")]
async fn a_subscriber_too_far_behind_is_told_to_resync_not_dropped(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let event = first_event(&app).await;
    let (keys, mut redis) = app.redis().await;
    let topic = format!("seats:{event}");
    // 300 deltas (more than a socket's send buffer of 256), newest first like the relay.
    let mut pipe = redis::pipe();
    for seq in 1..=300 {
        let delta =
            json!({"topic": topic, "event": "seat-locked", "seq": seq, "data": {"seatIds": []}});
        pipe.cmd("LPUSH")
            .arg(keys.seat_log(event))
            .arg(delta.to_string())
            .ignore();
    }
    let _: () = pipe.query_async(&mut redis).await.unwrap();

    let mut behind = connect(&app.addr.to_string(), None).await.unwrap();
    send(
        &mut behind,
        json!({"op": "subscribe", "topic": topic, "sinceSeq": 0}),
    )
    .await;
    let resync = next_matching(&mut behind, Duration::from_secs(5), |m| {
        m["event"] == "resync" || m["seq"].is_number()
    })
    .await;
    assert_eq!(resync["event"], "resync", "{resync}");
    assert_eq!(resync["topic"], topic);
    send(&mut behind, json!({"op": "ping"})).await;
    next_matching(&mut behind, Duration::from_secs(5), |m| m["op"] == "pong").await;

    // Close behind: the missing deltas are replayed in order.
    let mut close = connect(&app.addr.to_string(), None).await.unwrap();
    send(
        &mut close,
        json!({"op": "subscribe", "topic": topic, "sinceSeq": 295}),
    )
    .await;
    for expected in 296..=300 {
        let delta = next_matching(&mut close, Duration::from_secs(5), |m| {
            m["seq"].is_number() || m["event"] == "resync"
        })
        .await;
        assert_eq!(delta["seq"], expected, "{delta}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_out_stops_personal_messages_on_an_open_socket(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (token, user_id) = app.register("live-fan@example.com").await;
    let mut ws = connect(&app.addr.to_string(), Some(&token)).await.unwrap();
    send(&mut ws, json!({"op": "subscribe", "topic": "user"})).await;
    next_matching(&mut ws, Duration::from_secs(5), |m| m["op"] == "subscribed").await;

    let res = app.post_auth("/api/auth/logout", &token).await;
    assert_eq!(res.status(), 204);
    // Within the re-check interval (200 ms here) the socket learns and closes. Pacing: the
    // message published next must not arrive, and an absence cannot be polled for.
    tokio::time::sleep(ms(600)).await;
    let (keys, mut redis) = app.redis().await;
    let secret = json!({"topic": format!("user:{user_id}"), "event": "reservation-result", "data": {"secret": true}});
    let _: i64 = redis::cmd("PUBLISH")
        .arg(keys.ws_channel(&format!("user:{user_id}")))
        .arg(secret.to_string())
        .query_async(&mut redis)
        .await
        .unwrap();
    let mut seen = Vec::new();
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Text(t) = msg {
                seen.push(serde_json::from_str::<Value>(t.as_str()).unwrap());
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the socket was closed: {seen:?}");
    assert!(
        seen.iter().all(|m| m["event"] != "reservation-result"),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(|m| m["code"] == "TOKEN_REVOKED"),
        "{seen:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Findings 5, 6 and 7: global limits and the trusted proxy hop.

#[sqlx::test(migrations = "../migrations")]
async fn limits_are_shared_by_two_api_instances(pool: PgPool) {
    let mut config = test_config();
    // Small budgets: the slowest refill (30 s) outlasts the attempts even in a debug build.
    config.auth_rate_per_email_per_minute = 2;
    config.reserve_rate_per_user_per_minute = 3;
    config.queue_rate_per_user_per_minute = 5;
    let a = TestApp::spawn_with(pool.clone(), config.clone()).await;
    let b = TestApp::spawn_with(pool, config).await;
    let apps = [&a, &b];

    // Password guessing against one account, spread over both replicas.
    for i in 0..2 {
        let res = apps[i % 2]
            .post_json(
                "/api/auth/login",
                &json!({"email": "Victim@Example.com", "password": format!("guess{i}")}),
            )
            .await;
        assert_eq!(res.status(), 401, "attempt {i}");
    }
    let res = b
        .post_json(
            "/api/auth/login",
            &json!({"email": "victim@example.com ", "password": "guess3"}),
        )
        .await;
    assert!(res.headers().get("retry-after").is_some());
    error_of(res, 429, "RATE_LIMITED").await;

    // Reserves and ticket orders per fan share one budget across replicas.
    let (token, _) = a.register("busy-fan@example.com").await;
    let event = Uuid::new_v4();
    let attempts = [
        (
            "/api/seats/reserve",
            json!({"eventId": event, "seatIds": []}),
        ),
        ("/api/reservations", json!({"eventId": event, "items": []})),
        (
            "/api/seats/reserve",
            json!({"eventId": event, "seatIds": []}),
        ),
    ];
    for (i, (path, body)) in attempts.iter().enumerate() {
        let res = apps[i % 2]
            .client
            .post(apps[i % 2].url(path))
            .bearer_auth(&token)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{path} attempt {i}");
    }
    let res = b
        .client
        .post(b.url("/api/reservations"))
        .bearer_auth(&token)
        .json(&json!({"eventId": event, "items": []}))
        .send()
        .await
        .unwrap();
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    error_of(res, 429, "RATE_LIMITED").await;

    // Waiting-room calls per fan, too.
    let mut limited = false;
    for i in 0..6 {
        let res = apps[i % 2]
            .client
            .get(apps[i % 2].url(&format!("/api/queue/{event}/status")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if res.status() == 429 {
            limited = i == 5;
            error_of(res, 429, "RATE_LIMITED").await;
        }
    }
    assert!(
        limited,
        "the sixth waiting-room call of five per minute is refused"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn behind_the_proxy_the_client_address_is_the_hop_it_added(pool: PgPool) {
    let mut config = test_config();
    config.trust_proxy = true;
    config.trusted_proxy_hops = 1;
    config.auth_rate_per_ip_per_minute = 2;
    let app = TestApp::spawn_with(pool, config).await;
    // The client forges a different first header every time; haproxy appends its own.
    for i in 0..3 {
        let res = app
            .client
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", format!("10.9.8.{i}"))
            .header("x-forwarded-for", "203.0.113.7")
            .json(&json!({"email": format!("nobody{i}@example.com"), "password": "x1234567"}))
            .send()
            .await
            .unwrap();
        if i < 2 {
            assert_eq!(res.status(), 401, "attempt {i}");
        } else {
            error_of(res, 429, "RATE_LIMITED").await;
        }
    }
    // Another real client address is unaffected.
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", "203.0.113.7, 198.51.100.4")
        .json(&json!({"email": "nobody@example.com", "password": "x1234567"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

// ---------------------------------------------------------------------------------------
// Sessions.

#[sqlx::test(migrations = "../migrations")]
async fn signing_out_everywhere_ends_every_session_of_the_account(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (first, _) = app.register("many-devices@example.com").await;
    let login = || async {
        let res = app
            .post_json(
                "/api/auth/login",
                &json!({"email": "many-devices@example.com", "password": "secret123"}),
            )
            .await;
        assert_eq!(res.status(), 200);
        res.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let second = login().await;
    let (other, _) = app.register("bystander@example.com").await;

    let res = app.post_auth("/api/auth/logout?all=true", &second).await;
    assert_eq!(res.status(), 204);
    for token in [&first, &second] {
        error_of(
            app.get_auth("/api/auth/me", token).await,
            401,
            "TOKEN_REVOKED",
        )
        .await;
    }
    assert_eq!(app.get_auth("/api/auth/me", &other).await.status(), 200);
    let fresh = login().await;
    assert_eq!(app.get_auth("/api/auth/me", &fresh).await.status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_changed_role_takes_effect_before_the_token_expires(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let (token, id) = app.register("promoted@example.com").await;
    let id: Uuid = id.parse().unwrap();
    let set_role = |role: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                .bind(role)
                .bind(id)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    error_of(
        app.get_auth("/api/admin/events", &token).await,
        403,
        "ADMIN_ONLY",
    )
    .await;
    set_role("admin").await;
    assert_eq!(
        app.get_auth("/api/admin/events", &token).await.status(),
        200
    );
    set_role("fan").await;
    error_of(
        app.get_auth("/api/admin/events", &token).await,
        403,
        "ADMIN_ONLY",
    )
    .await;
}
