//! Signed tickets and gate check-in over real HTTP against real Postgres and Redis: many
//! gates racing for the same tickets, offline gates syncing (with conflicts), revocation,
//! forged codes, and who may scan what.

use std::collections::HashMap;

use futures::{stream, StreamExt};
use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_core::ticket::{code, TicketClaims, TicketKeys};
use tiketi_testkit::{error_of, TestApp};
use uuid::Uuid;

const ADMIN_EMAIL: &str = "boss@example.com";

/// An on-sale general-admission event with one ticket type.
async fn ga_event(pool: &PgPool, title: &str, quantity: i32) -> (Uuid, Uuid) {
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (title, venue, starts_at, sale_start, sale_end, status, seating)
         VALUES ($1, 'Hall', now() + interval '2 hours', now() - interval '1 day', now() + interval '1 hour',
                 'on_sale', 'general') RETURNING id",
    )
    .bind(title)
    .fetch_one(pool)
    .await
    .unwrap();
    let ticket_type: Uuid = sqlx::query_scalar(
        "INSERT INTO ticket_types (event_id, name, price, total_quantity, remaining)
         VALUES ($1, 'Standing', 50000, $2, $2) RETURNING id",
    )
    .bind(event)
    .bind(quantity)
    .fetch_one(pool)
    .await
    .unwrap();
    (event, ticket_type)
}

/// A fan (in the database) who bought `quantity` tickets: a reservation held, then paid,
/// which is when the database issues the tickets. Returns (fan, reservation).
async fn buy(pool: &PgPool, event: Uuid, ticket_type: Uuid, quantity: i32) -> (Uuid, Uuid) {
    let (fan, reservation) = hold(pool, event, ticket_type, quantity).await;
    sqlx::query("UPDATE reservations SET status = 'confirmed', confirmed_at = now() WHERE id = $1")
        .bind(reservation)
        .execute(pool)
        .await
        .unwrap();
    (fan, reservation)
}

/// A fan (in the database) holding `quantity` tickets, not paid yet. Returns (fan, reservation).
async fn hold(pool: &PgPool, event: Uuid, ticket_type: Uuid, quantity: i32) -> (Uuid, Uuid) {
    let fan: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash) VALUES ($1, 'Kim Min Ji', 'unused') RETURNING id",
    )
    .bind(format!("{}@fans.example", Uuid::new_v4()))
    .fetch_one(pool)
    .await
    .unwrap();
    let reservation: Uuid = sqlx::query_scalar(
        "WITH r AS (INSERT INTO reservations (code, request_id, user_id, event_id, total_amount, expires_at)
                    VALUES ($1, gen_random_uuid(), $2, $3, 50000 * $5, now() + interval '5 minutes') RETURNING id),
              t AS (UPDATE ticket_types SET remaining = remaining - $5 WHERE id = $4)
         INSERT INTO reservation_items (reservation_id, ticket_type_id, quantity, unit_price)
         SELECT r.id, $4, $5, 50000 FROM r RETURNING reservation_id",
    )
    .bind(tiketi_core::reservation::reservation_code())
    .bind(fan)
    .bind(event)
    .bind(ticket_type)
    .bind(quantity)
    .fetch_one(pool)
    .await
    .unwrap();
    (fan, reservation)
}

fn keys(app: &TestApp) -> TicketKeys {
    TicketKeys::new(&app.config.ticket_signing_secret)
}

/// The signed codes of every ticket of the event, as the fans' pages would show them.
async fn codes_of_event(app: &TestApp, event: Uuid) -> Vec<(Uuid, String)> {
    let rows: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
        "SELECT t.id, t.reservation_id, r.user_id FROM tickets t JOIN reservations r ON r.id = t.reservation_id
         WHERE t.event_id = $1 ORDER BY t.id",
    )
    .bind(event)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut by_reservation: HashMap<Uuid, Uuid> = HashMap::new();
    for (_, reservation, fan) in &rows {
        by_reservation.insert(*reservation, *fan);
    }
    let mut codes = Vec::new();
    for (reservation, fan) in by_reservation {
        let tickets = tiketi_core::ticket::of_reservation(&app.pool, &keys(app), reservation, fan)
            .await
            .unwrap();
        codes.extend(tickets.into_iter().map(|t| (t.id, t.code)));
    }
    codes.sort();
    codes
}

async fn post(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("request sent")
}

/// Creates a gate account through the admin API and signs it in; returns its token.
async fn gate_account(app: &TestApp, admin: &str, event: Uuid, gate: &str) -> String {
    let email = format!("gate-{}@venue.example", Uuid::new_v4());
    let res = post(
        app,
        &format!("/api/admin/events/{event}/gates"),
        admin,
        &json!({"email": email, "name": "Gate staff", "gate": gate, "password": "gatepass123"}),
    )
    .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let res = app
        .post_json(
            "/api/auth/login",
            &json!({"email": email, "password": "gatepass123"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["user"]["role"], "gate");
    body["token"].as_str().unwrap().to_string()
}

async fn scan(app: &TestApp, token: &str, event: Uuid, code: &str) -> Value {
    let res = post(
        app,
        "/api/checkin/scan",
        token,
        &json!({"eventId": event, "code": code}),
    )
    .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn eight_gates_racing_for_2000_tickets_admit_each_exactly_once(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let admin = app.admin_token(ADMIN_EMAIL).await;
    let (event, ticket_type) = ga_event(&pool, "Stadium night", 2_000).await;
    for _ in 0..500 {
        buy(&pool, event, ticket_type, 4).await;
    }
    let codes = codes_of_event(&app, event).await;
    assert_eq!(codes.len(), 2_000);
    let mut gates = Vec::new();
    for n in 1..=8 {
        let name = format!("Gate {n}");
        gates.push((name.clone(), gate_account(&app, &admin, event, &name).await));
    }

    // Every ticket is presented at two gates at the same moment (both scans in flight
    // together); the pairs cover all 8 gates, 64 scans in flight at a time.
    let scans =
        stream::iter((0..codes.len()).flat_map(|i| {
            [i % 8, (i + 3) % 8].map(|g| (i, gates[g].0.clone(), gates[g].1.clone()))
        }))
        .map(|(i, gate, token)| {
            let app = &app;
            let code = codes[i].1.clone();
            async move { (i, gate, scan(app, &token, event, &code).await) }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await;
    assert_eq!(scans.len(), 4_000);

    let mut admitted_by: HashMap<usize, String> = HashMap::new();
    for (i, gate, outcome) in &scans {
        if outcome["result"] == "admitted" {
            assert_eq!(outcome["firstGate"], gate.as_str());
            assert!(
                admitted_by.insert(*i, gate.clone()).is_none(),
                "ticket {i} admitted twice"
            );
        }
    }
    assert_eq!(admitted_by.len(), 2_000, "every ticket admitted once");
    for (i, gate, outcome) in &scans {
        if outcome["result"] != "admitted" {
            assert_eq!(outcome["result"], "duplicate", "{outcome}");
            let first = &admitted_by[i];
            assert_ne!(first, gate);
            assert_eq!(outcome["firstGate"], first.as_str(), "{outcome}");
            assert!(outcome["firstAdmittedAt"].is_string());
            assert_eq!(outcome["ticket"]["id"], codes[*i].0.to_string());
        }
    }
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM checkins WHERE event_id = $1")
        .bind(event)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 2_000);

    let res = app
        .get_auth(&format!("/api/admin/events/{event}/checkin"), &admin)
        .await;
    assert_eq!(res.status(), 200);
    let stats: Value = res.json().await.unwrap();
    assert_eq!(stats["stats"]["sold"], 2_000);
    assert_eq!(stats["stats"]["admitted"], 2_000);
    assert_eq!(stats["stats"]["admittedShare"], 1.0);
    let per_gate: i64 = stats["stats"]["perGate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["admitted"].as_i64().unwrap())
        .sum();
    assert_eq!(per_gate, 2_000);
    let per_minute: i64 = stats["stats"]["perMinute"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["admitted"].as_i64().unwrap())
        .sum();
    assert_eq!(per_minute, 2_000);
}

#[sqlx::test(migrations = "../migrations")]
async fn offline_gates_sync_their_admissions_and_conflicts_are_reported(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let admin = app.admin_token(ADMIN_EMAIL).await;
    let (event, ticket_type) = ga_event(&pool, "Club night", 10).await;
    let (_, kept) = buy(&pool, event, ticket_type, 3).await;
    let (_, refunded) = buy(&pool, event, ticket_type, 1).await;
    let north = gate_account(&app, &admin, event, "North").await;
    let south = gate_account(&app, &admin, event, "South").await;
    let east = gate_account(&app, &admin, event, "East").await;

    // Both offline gates download the bundle while online.
    let res = app
        .get_auth(&format!("/api/checkin/events/{event}/offline"), &north)
        .await;
    assert_eq!(res.status(), 200);
    let bundle: Value = res.json().await.unwrap();
    assert_eq!(bundle["algorithm"], "Ed25519");
    let key = code::public_key_from_base64(bundle["publicKey"].as_str().unwrap()).unwrap();
    assert_eq!(bundle["revocations"]["revoked"], json!([]));

    let codes = codes_of_event(&app, event).await;
    // Tickets by reservation.
    let by_res: Vec<(Uuid, Uuid)> =
        sqlx::query_as("SELECT id, reservation_id FROM tickets WHERE event_id = $1")
            .bind(event)
            .fetch_all(&pool)
            .await
            .unwrap();
    let code_for = |ticket: Uuid| {
        codes
            .iter()
            .find(|(id, _)| *id == ticket)
            .unwrap()
            .1
            .clone()
    };
    let kept_codes: Vec<String> = by_res
        .iter()
        .filter(|(_, r)| *r == kept)
        .map(|(t, _)| code_for(*t))
        .collect();
    let refunded_code = by_res
        .iter()
        .find(|(_, r)| *r == refunded)
        .map(|(t, _)| code_for(*t))
        .unwrap();
    let (t1, t2, t3) = (&kept_codes[0], &kept_codes[1], &kept_codes[2]);

    // The gate verifies offline with the downloaded key.
    for c in [t1, t2, t3, &refunded_code] {
        assert!(code::verify(&key, event, c).is_some());
    }

    // The refund happens while the gates are offline; online, the ticket is refused.
    sqlx::query("UPDATE reservations SET status = 'cancelled', cancelled_at = now() WHERE id = $1")
        .bind(refunded)
        .execute(&pool)
        .await
        .unwrap();
    let outcome = scan(&app, &east, event, &refunded_code).await;
    assert_eq!(outcome["result"], "revoked", "{outcome}");

    // North (offline) admits t1, t2 and the refunded ticket; South (offline) admits t1;
    // East (online) admits t2 before North is back.
    let at = |minutes: i64| (chrono::Utc::now() - chrono::Duration::minutes(minutes)).to_rfc3339();
    let (north_t1, north_t2, north_refunded, south_t1) = (at(10), at(9), at(8), at(7));
    let outcome = scan(&app, &east, event, t2).await;
    assert_eq!(outcome["result"], "admitted");

    let north_upload = json!({"eventId": event, "admissions": [
        {"code": t1, "admittedAt": north_t1},
        {"code": t2, "admittedAt": north_t2},
        {"code": refunded_code, "admittedAt": north_refunded},
        {"code": "T1.forged.code", "admittedAt": north_t1},
    ]});
    let res = post(&app, "/api/checkin/sync", &north, &north_upload).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results[0]["outcome"], "recorded", "{body}");
    assert_eq!(results[1]["outcome"], "conflict");
    assert_eq!(results[1]["conflict"], "duplicate");
    assert_eq!(results[1]["firstGate"], "East");
    assert_eq!(results[2]["outcome"], "conflict");
    assert_eq!(results[2]["conflict"], "revoked");
    assert_eq!(results[3]["outcome"], "invalid");

    let res = post(
        &app,
        "/api/checkin/sync",
        &south,
        &json!({"eventId": event, "admissions": [{"code": t1, "admittedAt": south_t1}]}),
    )
    .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["results"][0]["outcome"], "conflict", "{body}");
    assert_eq!(body["results"][0]["firstGate"], "North");

    // Uploading again (a retry after a lost answer) records nothing new.
    let res = post(&app, "/api/checkin/sync", &north, &north_upload).await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["results"][0]["outcome"], "alreadyRecorded", "{body}");
    assert_eq!(body["results"][1]["outcome"], "conflict");

    // Online scans now see the synced admission.
    let outcome = scan(&app, &east, event, t1).await;
    assert_eq!(outcome["result"], "duplicate");
    assert_eq!(outcome["firstGate"], "North");
    let outcome = scan(&app, &south, event, t3).await;
    assert_eq!(outcome["result"], "admitted");

    // After a sync the bundle tells offline gates about the refund and the admissions.
    let bundle: Value = app
        .get_auth(&format!("/api/checkin/events/{event}/offline"), &south)
        .await
        .json()
        .await
        .unwrap();
    let refunded_ticket = code::decode_unverified(&refunded_code).unwrap().0.t;
    assert_eq!(bundle["revocations"]["revoked"], json!([refunded_ticket]));
    assert_eq!(
        bundle["revocations"]["admitted"].as_array().unwrap().len(),
        3
    );

    let stats: Value = app
        .get_auth(&format!("/api/admin/events/{event}/checkin"), &admin)
        .await
        .json()
        .await
        .unwrap();
    let stats = &stats["stats"];
    assert_eq!(stats["sold"], 3);
    assert_eq!(stats["admitted"], 3);
    assert_eq!(stats["conflictCount"], 3, "{stats}");
    let kinds: Vec<(&str, &str)> = stats["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["gate"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("North", "duplicate")));
    assert!(kinds.contains(&("North", "revoked")));
    assert!(kinds.contains(&("South", "duplicate")));
}

#[sqlx::test(migrations = "../migrations")]
async fn forged_altered_and_foreign_codes_are_invalid_and_scanners_are_checked(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let admin = app.admin_token(ADMIN_EMAIL).await;
    let (event, ticket_type) = ga_event(&pool, "Jazz", 10).await;
    let (other_event, other_type) = ga_event(&pool, "Opera", 10).await;
    let (fan, reservation) = buy(&pool, event, ticket_type, 1).await;
    buy(&pool, other_event, other_type, 1).await;
    let gate = gate_account(&app, &admin, event, "Main").await;
    let other_gate = gate_account(&app, &admin, other_event, "Main").await;

    let ticket = tiketi_core::ticket::of_reservation(&app.pool, &keys(&app), reservation, fan)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(ticket.holder_initials, "KMJ");
    assert_eq!(ticket.ticket_type.as_deref(), Some("Standing"));
    let genuine = ticket.code.clone();

    // Altered payload (another ticket id) with the genuine signature.
    let mut claims: TicketClaims = ticket.claims();
    claims.t = Uuid::new_v4();
    let resigned_elsewhere = code::sign(&TicketKeys::new("attacker-secret-0123456"), &claims);
    let altered = format!(
        "{}.{}",
        resigned_elsewhere.rsplit_once('.').unwrap().0,
        genuine.rsplit_once('.').unwrap().1
    );
    let other_codes = codes_of_event(&app, other_event).await;
    for bad in [
        altered.as_str(),
        resigned_elsewhere.as_str(),
        other_codes[0].1.as_str(),
        "TIKETI:ABCDEF:1234",
        "",
    ] {
        let outcome = scan(&app, &gate, event, bad).await;
        assert_eq!(outcome["result"], "invalid", "{bad}: {outcome}");
    }

    // A gate of another event, a fan, a gate naming another gate: refused.
    let res = post(
        &app,
        "/api/checkin/scan",
        &other_gate,
        &json!({"eventId": event, "code": genuine}),
    )
    .await;
    error_of(res, 403, "GATE_OTHER_EVENT").await;
    let (fan_token, _) = app.register("fan@example.com").await;
    let res = post(
        &app,
        "/api/checkin/scan",
        &fan_token,
        &json!({"eventId": event, "code": genuine}),
    )
    .await;
    error_of(res, 403, "CHECKIN_FORBIDDEN").await;
    let res = post(
        &app,
        "/api/checkin/scan",
        &gate,
        &json!({"eventId": event, "code": genuine, "gate": "VIP"}),
    )
    .await;
    error_of(res, 403, "GATE_MISMATCH").await;
    let res = app
        .get_auth(&format!("/api/checkin/events/{event}/offline"), &other_gate)
        .await;
    error_of(res, 403, "GATE_OTHER_EVENT").await;
    let res = app
        .get_auth(&format!("/api/admin/events/{event}/checkin"), &gate)
        .await;
    error_of(res, 403, "ADMIN_ONLY").await;

    // An admin scans at a gate they name; the gate account then sees a duplicate.
    let res = post(
        &app,
        "/api/checkin/scan",
        &admin,
        &json!({"eventId": event, "code": genuine}),
    )
    .await;
    error_of(res, 422, "VALIDATION_FAILED").await;
    let res = post(
        &app,
        "/api/checkin/scan",
        &admin,
        &json!({"eventId": event, "code": genuine, "gate": "Office"}),
    )
    .await;
    let outcome: Value = res.json().await.unwrap();
    assert_eq!(outcome["result"], "admitted");
    let outcome = scan(&app, &gate, event, &genuine).await;
    assert_eq!(outcome["result"], "duplicate");
    assert_eq!(outcome["firstGate"], "Office");
    assert_eq!(outcome["ticket"]["ticketType"], "Standing");
}

#[sqlx::test(migrations = "../migrations")]
async fn fans_see_their_own_tickets_only_and_revoked_once_refunded(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    app.seed().await;
    // The seed's sold-out event was bought in one statement with its items: issued too.
    let seeded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(seeded >= 6, "{seeded}");

    let (token, fan) = app.register("owner@example.com").await;
    let fan: Uuid = fan.parse().unwrap();
    let (event, ticket_type) = ga_event(&pool, "Indie", 10).await;
    let reservation: Uuid = sqlx::query_scalar(
        "WITH r AS (INSERT INTO reservations (code, request_id, user_id, event_id, total_amount, expires_at)
                    VALUES ($1, gen_random_uuid(), $2, $3, 100000, now() + interval '5 minutes') RETURNING id)
         INSERT INTO reservation_items (reservation_id, ticket_type_id, quantity, unit_price)
         SELECT r.id, $4, 2, 50000 FROM r RETURNING reservation_id",
    )
    .bind(tiketi_core::reservation::reservation_code())
    .bind(fan)
    .bind(event)
    .bind(ticket_type)
    .fetch_one(&pool)
    .await
    .unwrap();
    let path = format!("/api/reservations/{reservation}/tickets");
    // A hold has no tickets yet.
    let body: Value = app.get_auth(&path, &token).await.json().await.unwrap();
    assert_eq!(body["tickets"], json!([]));
    sqlx::query("UPDATE reservations SET status = 'confirmed', confirmed_at = now() WHERE id = $1")
        .bind(reservation)
        .execute(&pool)
        .await
        .unwrap();
    let body: Value = app.get_auth(&path, &token).await.json().await.unwrap();
    let tickets = body["tickets"].as_array().unwrap();
    assert_eq!(tickets.len(), 2);
    assert!(tickets.iter().all(|t| t["revoked"] == false));
    let key = keys(&app).verifying_key(event);
    for t in tickets {
        let claims = code::verify(&key, event, t["code"].as_str().unwrap()).unwrap();
        assert_eq!(claims.t.to_string(), t["id"].as_str().unwrap());
    }
    // Codes are stable: the same on every read.
    let again: Value = app.get_auth(&path, &token).await.json().await.unwrap();
    assert_eq!(again, body);

    let (other, _) = app.register("other@example.com").await;
    error_of(
        app.get_auth(&path, &other).await,
        404,
        "RESERVATION_NOT_FOUND",
    )
    .await;

    sqlx::query("UPDATE reservations SET status = 'cancelled', cancelled_at = now() WHERE id = $1")
        .bind(reservation)
        .execute(&pool)
        .await
        .unwrap();
    let body: Value = app.get_auth(&path, &token).await.json().await.unwrap();
    assert!(body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["revoked"] == true));
}

/// Scans per second at the scan endpoint, in process (debug build, shared machine: a rough
/// number; `loadtest/k6/checkin_scan.js` measures a real stack). Run with
/// `--run-ignored only scan_throughput`; SCAN_BENCH_SECONDS (10) and SCAN_BENCH_CONCURRENCY (32).
#[sqlx::test(migrations = "../migrations")]
#[ignore = "benchmark"]
async fn scan_throughput(pool: PgPool) {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let seconds = env("SCAN_BENCH_SECONDS", 10);
    let concurrency = env("SCAN_BENCH_CONCURRENCY", 32) as usize;
    let app = TestApp::spawn(pool.clone()).await;
    let admin = app.admin_token(ADMIN_EMAIL).await;
    let (event, ticket_type) = ga_event(&pool, "Bench", 2_000).await;
    for _ in 0..250 {
        buy(&pool, event, ticket_type, 4).await;
    }
    let codes = codes_of_event(&app, event).await;
    let mut tokens = Vec::new();
    for n in 1..=4 {
        tokens.push(gate_account(&app, &admin, event, &format!("Gate {n}")).await);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let started = std::time::Instant::now();
    let counts = stream::iter(0..)
        .take_while(|_| futures::future::ready(std::time::Instant::now() < deadline))
        .map(|i: usize| {
            let (app, token, code) = (&app, &tokens[i % tokens.len()], &codes[i % codes.len()].1);
            async move { scan(app, token, event, code).await["result"].to_string() }
        })
        .buffer_unordered(concurrency)
        .fold(HashMap::<String, u64>::new(), |mut m, r| async move {
            *m.entry(r).or_default() += 1;
            m
        })
        .await;
    let total: u64 = counts.values().sum();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "scan_throughput: {total} scans in {elapsed:.1} s = {:.0} scans/s at concurrency {concurrency}; {counts:?}",
        total as f64 / elapsed
    );
    assert!(!counts.contains_key("\"invalid\""));
}

/// The text of a PDF as poppler's `pdftotext` reads it.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("tiketi-api-pdf-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("tickets.pdf");
    std::fs::write(&input, pdf).unwrap();
    let output = std::process::Command::new("pdftotext")
        .arg(&input)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

/// A token for a fan made in the database (as `buy` makes them).
fn fan_token(app: &TestApp, fan: Uuid) -> String {
    tiketi_core::user::auth::Tokens::new(
        &app.config.jwt_secret,
        app.config.jwt_ttl,
        tiketi_core::infra::redis::Keys::new(app.config.infra.redis_prefix.clone()),
    )
    .issue(fan, tiketi_core::user::auth::Role::Fan)
    .unwrap()
    .0
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ticket_pdf_is_the_owners_or_an_admins_and_only_for_valid_tickets(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let admin = app.admin_token(ADMIN_EMAIL).await;
    let (event, ticket_type) = ga_event(&pool, "아이유 콘서트", 10).await;
    let (fan, reservation) = buy(&pool, event, ticket_type, 2).await;
    let owner = fan_token(&app, fan);
    let (other, _) = app.register("someone-else@example.com").await;
    let code: String = sqlx::query_scalar("SELECT code FROM reservations WHERE id = $1")
        .bind(reservation)
        .fetch_one(&pool)
        .await
        .unwrap();
    let path = format!("/api/reservations/{reservation}/tickets.pdf");

    for token in [&owner, &admin] {
        let res = app.get_auth(&path, token).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(
            res.headers()["content-disposition"],
            format!("attachment; filename=\"tiketi-{code}.pdf\"").as_str()
        );
        let pdf = res.bytes().await.unwrap();
        let text = pdf_text(&pdf);
        assert_eq!(
            text.matches("아이유 콘서트").count(),
            2,
            "a page per ticket: {text}"
        );
        assert!(text.contains("Standing"), "{text}");
        assert!(text.contains(&code), "{text}");
        assert!(text.contains("Kim Min Ji"), "{text}");
    }
    // Another fan, or nobody, cannot tell the reservation exists.
    error_of(
        app.get_auth(&path, &other).await,
        404,
        "RESERVATION_NOT_FOUND",
    )
    .await;
    error_of(app.get(&path).await, 401, "AUTH_REQUIRED").await;
    let missing = format!("/api/reservations/{}/tickets.pdf", Uuid::new_v4());
    error_of(
        app.get_auth(&missing, &admin).await,
        404,
        "RESERVATION_NOT_FOUND",
    )
    .await;

    // A hold not paid yet has no tickets to print.
    let (pending_fan, pending) = hold(&pool, event, ticket_type, 1).await;
    let res = app
        .get_auth(
            &format!("/api/reservations/{pending}/tickets.pdf"),
            &fan_token(&app, pending_fan),
        )
        .await;
    error_of(res, 409, "TICKETS_NOT_ISSUED").await;

    // Cancelled: its tickets are revoked and no longer printable.
    sqlx::query("UPDATE reservations SET status = 'cancelled', cancelled_at = now() WHERE id = $1")
        .bind(reservation)
        .execute(&pool)
        .await
        .unwrap();
    error_of(app.get_auth(&path, &owner).await, 409, "TICKETS_NOT_ISSUED").await;
}

#[sqlx::test(migrations = "../migrations")]
async fn gate_accounts_stay_at_the_gate_and_their_creation_is_audited(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let admin = app.admin_token(ADMIN_EMAIL).await;
    let (event, ticket_type) = ga_event(&pool, "Gate rules", 10).await;
    let (_, reservation) = hold(&pool, event, ticket_type, 1).await;
    let gate = gate_account(&app, &admin, event, "North").await;

    // Fan actions that change things: refused before the body is even read.
    let refused = [
        (
            "/api/seats/reserve".to_string(),
            json!({"eventId": event, "seatIds": [Uuid::new_v4()]}),
        ),
        (
            "/api/reservations".to_string(),
            json!({"eventId": event, "items": [{"ticketTypeId": ticket_type, "quantity": 1}]}),
        ),
        (
            "/api/payments/process".to_string(),
            json!({"reservationId": reservation, "method": "kakao_pay"}),
        ),
        (format!("/api/reservations/{reservation}/cancel"), json!({})),
        (format!("/api/queue/{event}/join"), json!({})),
    ];
    for (path, body) in &refused {
        let res = post(&app, path, &gate, body).await;
        error_of(res, 403, "GATE_ACCOUNT").await;
    }
    let res = app
        .get_auth(&format!("/api/queue/{event}/challenge"), &gate)
        .await;
    error_of(res, 403, "GATE_ACCOUNT").await;
    // Admin routes, reads and writes.
    let res = app.get_auth("/api/admin/events", &gate).await;
    error_of(res, 403, "ADMIN_ONLY").await;
    let res = post(
        &app,
        &format!("/api/admin/events/{event}/gates"),
        &gate,
        &json!({"email": "sneaky@venue.example", "name": "Sneaky", "gate": "South", "password": "gatepass123"}),
    )
    .await;
    error_of(res, 403, "ADMIN_ONLY").await;
    let res = post(
        &app,
        &format!("/api/admin/events/{event}/cancel"),
        &gate,
        &json!({}),
    )
    .await;
    error_of(res, 403, "ADMIN_ONLY").await;
    // Nothing happened: the hold is still pending, no extra account exists.
    let status: String = sqlx::query_scalar("SELECT status::text FROM reservations WHERE id = $1")
        .bind(reservation)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "pending");
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM gate_accounts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
    // The gate still does its job.
    let res = app.get_auth("/api/checkin/me", &gate).await;
    assert_eq!(res.status(), 200);

    // The one account created is in the audit log, by the admin, without its password.
    let res = app
        .get_auth("/api/admin/audit?action=gate_account.create", &admin)
        .await;
    assert_eq!(res.status(), 200);
    let audit: Value = res.json().await.unwrap();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    let entry = &entries[0];
    assert_eq!(entry["actor"]["email"], ADMIN_EMAIL);
    assert_eq!(entry["entityType"], "gate_account");
    let gate_user: Uuid = sqlx::query_scalar("SELECT user_id FROM gate_accounts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(entry["entityId"], gate_user.to_string());
    assert_eq!(entry["changes"]["gate"]["after"], "North");
    assert_eq!(entry["changes"]["eventId"]["after"], event.to_string());
    assert!(entry["changes"]["email"]["after"]
        .as_str()
        .unwrap()
        .starts_with("gate-"));
    assert!(!entry["changes"].to_string().contains("gatepass123"));
    let res = app
        .get_auth("/api/admin/audit?entityType=gate_account", &admin)
        .await;
    let by_type: Value = res.json().await.unwrap();
    assert_eq!(by_type["entries"].as_array().unwrap().len(), 1, "{by_type}");
}

async fn socket(app: &TestApp, token: &str) -> tiketi_testkit::Socket {
    tokio_tungstenite::connect_async(format!("ws://{}/ws?token={token}", app.addr))
        .await
        .expect("the socket opens")
        .0
}

async fn subscribe(ws: &mut tiketi_testkit::Socket, topic: &str) -> Value {
    use futures::SinkExt;
    ws.send(tokio_tungstenite::tungstenite::Message::Text(
        json!({"op": "subscribe", "topic": topic})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    tiketi_testkit::next_matching(ws, std::time::Duration::from_secs(5), |m| {
        m["op"] == "subscribed" || m["op"] == "error"
    })
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_watch_the_gate_numbers_move_after_scans_over_a_websocket(pool: PgPool) {
    let app = TestApp::spawn(pool.clone()).await;
    let admin = app.admin_token(ADMIN_EMAIL).await;
    let (event, ticket_type) = ga_event(&pool, "Live gauge", 40).await;
    for _ in 0..5 {
        buy(&pool, event, ticket_type, 4).await;
    }
    let north = gate_account(&app, &admin, event, "North").await;
    let south = gate_account(&app, &admin, event, "South").await;
    let topic = format!("admin:{event}");

    // Fans and gate staff cannot follow the organizer's numbers; nor can anonymous sockets.
    let (fan, _) = app.register("watcher@example.com").await;
    for token in [fan.as_str(), north.as_str()] {
        let mut ws = socket(&app, token).await;
        let reply = subscribe(&mut ws, &topic).await;
        assert_eq!(reply["op"], "error", "{reply}");
        assert_eq!(reply["code"], "FORBIDDEN", "{reply}");
    }
    let mut anonymous = tokio_tungstenite::connect_async(format!("ws://{}/ws", app.addr))
        .await
        .unwrap()
        .0;
    assert_eq!(subscribe(&mut anonymous, &topic).await["code"], "FORBIDDEN");

    let mut ws = socket(&app, &admin).await;
    let reply = subscribe(&mut ws, &topic).await;
    assert_eq!(reply["op"], "subscribed", "{reply}");

    // 12 admissions at two gates, 8 at a time, plus rescans that admit nothing.
    let codes = codes_of_event(&app, event).await;
    let started = std::time::Instant::now();
    stream::iter(codes.iter().take(12).enumerate())
        .map(|(i, (_, code))| {
            let (app, token) = (&app, if i % 3 == 0 { &south } else { &north });
            async move { scan(app, token, event, code).await }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await;
    scan(&app, &north, event, &codes[0].1).await;

    let mut pushes = 0;
    let last = loop {
        let m = tiketi_testkit::next_matching(&mut ws, std::time::Duration::from_secs(10), |m| {
            m["event"] == "checkin-stats"
        })
        .await;
        pushes += 1;
        if m["data"]["admitted"] == 12 {
            break m;
        }
        assert!(m["data"]["admitted"].as_i64().unwrap() < 12, "{m}");
    };
    assert_eq!(last["topic"], topic.as_str());
    assert_eq!(last["data"]["eventId"], event.to_string());
    assert_eq!(last["data"]["sold"], 20);
    assert_eq!(last["data"]["admittedShare"], 0.6);
    let gates: Vec<(String, i64)> = last["data"]["perGate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["gate"].as_str().unwrap().to_string(),
                g["admitted"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(gates, [("North".to_string(), 8), ("South".to_string(), 4)]);
    // Coalesced: at most one push a second, however many scans.
    let seconds = started.elapsed().as_secs() + 1;
    assert!(pushes <= seconds, "{pushes} pushes in {seconds} s");

    // The same numbers as the dashboard's read.
    let res = app
        .get_auth(&format!("/api/admin/events/{event}/checkin"), &admin)
        .await;
    let stats: Value = res.json().await.unwrap();
    assert_eq!(stats["stats"]["admitted"], last["data"]["admitted"]);
    assert_eq!(stats["stats"]["perGate"][0]["admitted"], 8);
}
