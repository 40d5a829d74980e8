//! The plan's contract where it needs no worker: request bodies are read strictly (an
//! unknown or doubled field is a 422 naming it, under the plan's names as under Tiketi's),
//! the OpenAPI document shows both names, and `q` finds events in Korean or English.

use serde_json::{json, Value};
use sqlx::PgPool;
use tiketi_api::plan_names::PLAN_NAMES;
use tiketi_testkit::{error_of, TestApp};

/// Wall-clock time in Seoul `days` from now, without an offset.
fn seoul(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::Asia::Seoul)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    b: &Value,
) -> reqwest::Response {
    app.client
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(token)
        .json(b)
        .send()
        .await
        .unwrap()
}

/// The 422's per-field messages.
async fn refused(res: reqwest::Response) -> Value {
    error_of(res, 422, "VALIDATION_FAILED").await["details"]["fields"].clone()
}

fn event(extra: Value) -> Value {
    let mut e = json!({
        "title": "Show", "venue": "Hall",
        "eventDate": seoul(10), "saleStartDate": seoul(5), "saleEndDate": seoul(9),
        "ticketTypes": [{"name": "GA", "price": 10000, "totalQuantity": 10}],
    });
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_and_doubled_fields_are_refused_by_name(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    let (fan, _) = app.register("fan@example.com").await;
    let (fan, admin) = (fan.as_str(), admin.as_str());
    let id = uuid::Uuid::new_v4();

    // (method, path, token, body, the field the 422 must name) for every request body.
    let unknown: Vec<(&str, String, &str, Value, &str)> = vec![
        (
            "POST",
            "/api/auth/register".into(),
            "",
            json!({"name": "A", "email": "a@example.com", "password": "secret123", "nickname": "x"}),
            "nickname",
        ),
        (
            "POST",
            "/api/auth/login".into(),
            "",
            json!({"email": "a@example.com", "password": "x", "remember": true}),
            "remember",
        ),
        (
            "POST",
            "/api/seats/reserve".into(),
            fan,
            json!({"eventId": id, "seatIds": [], "seatId": id}),
            "seatId",
        ),
        (
            "POST",
            "/api/reservations".into(),
            fan,
            json!({"eventId": id, "items": [{"ticketTypeId": id, "quantity": 1, "qty": 2}]}),
            "items[0].qty",
        ),
        (
            "POST",
            "/api/payments/process".into(),
            fan,
            json!({"reservationId": id, "paymentMethod": "naver_pay", "amount": 1}),
            "amount",
        ),
        (
            "POST",
            "/api/admin/events".into(),
            admin,
            event(json!({"eventTime": "19:00"})),
            "eventTime",
        ),
        (
            "POST",
            "/api/admin/events".into(),
            admin,
            event(json!({"queue": {"enabled": true, "size": 3}})),
            "queue.size",
        ),
        (
            "POST",
            "/api/admin/events".into(),
            admin,
            event(
                json!({"ticketTypes": [{"name": "GA", "price": 1, "quantity": 1, "description": "x"}]}),
            ),
            "ticketTypes[0].description",
        ),
        (
            "PUT",
            format!("/api/admin/events/{id}"),
            admin,
            json!({"eventTime": "19:00"}),
            "eventTime",
        ),
        (
            "POST",
            format!("/api/admin/events/{id}/cancel"),
            admin,
            json!({"reason": "rain", "notify": true}),
            "notify",
        ),
        (
            "POST",
            "/api/admin/layouts".into(),
            admin,
            json!({"name": "L", "sections": [{"name": "A", "rows": 1, "seatsPerRow": 1, "price": 1, "colour": "red"}]}),
            "sections[0].colour",
        ),
    ];
    for (method, path, token, b, field) in unknown {
        let fields = refused(send(&app, method, &path, token, &b).await).await;
        assert!(
            fields[field]
                .as_str()
                .is_some_and(|m| m.contains("not a field")),
            "{method} {path}: {fields}"
        );
    }

    // One field under both of its names: refused, the message naming both.
    let fields = refused(
        send(
            &app,
            "POST",
            "/api/admin/events",
            admin,
            &event(json!({"startsAt": seoul(10)})),
        )
        .await,
    )
    .await;
    let message = fields["startsAt"].as_str().unwrap_or_default();
    assert!(
        message.contains("twice") && message.contains("eventDate"),
        "{fields}"
    );
    let fields = refused(
        send(
            &app,
            "POST",
            "/api/admin/events",
            admin,
            &event(json!({
                "ticketTypes": [{"name": "GA", "price": 1, "quantity": 1, "totalQuantity": 1}]
            })),
        )
        .await,
    )
    .await;
    assert!(
        fields["ticketTypes[0].quantity"]
            .as_str()
            .unwrap_or_default()
            .contains("totalQuantity"),
        "{fields}"
    );
    // Wrong types and missing fields name their field too; malformed JSON stays a 400.
    let fields = refused(
        send(
            &app,
            "POST",
            "/api/admin/events",
            admin,
            &event(json!({"seatLayoutId": "nope"})),
        )
        .await,
    )
    .await;
    assert!(
        fields["seatLayoutId"].is_string() || fields["layoutId"].is_string(),
        "{fields}"
    );
    let fields = refused(
        send(
            &app,
            "POST",
            "/api/seats/reserve",
            fan,
            &json!({"seatIds": []}),
        )
        .await,
    )
    .await;
    assert_eq!(fields["eventId"], "is required");
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\":")
        .send()
        .await
        .unwrap();
    error_of(res, 400, "MALFORMED_JSON").await;

    // Every plan name is a documented field of its schema, beside Tiketi's name.
    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    for p in PLAN_NAMES {
        let schema = &doc["components"]["schemas"][p.schema];
        assert!(
            schema["properties"][p.field].is_object(),
            "{} {}",
            p.schema,
            p.field
        );
        assert!(
            schema["properties"][p.plan].is_object(),
            "{} {}",
            p.schema,
            p.plan
        );
        assert_eq!(schema["additionalProperties"], false, "{}", p.schema);
    }
    // ... and is accepted under that name (the create above used the plan's names only).
    let created = send(
        &app,
        "POST",
        "/api/admin/events",
        admin,
        &event(json!({"artistName": "NOVA", "posterImageUrl": "/posters/nova.webp"})),
    )
    .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["event"]["artist"], "NOVA");
    assert_eq!(created["event"]["posterUrl"], "/posters/nova.webp");
    assert_eq!(created["event"]["availability"]["total"], 10);
    let id = created["event"]["id"].as_str().unwrap();
    // A PUT with the plan's names changes what they name.
    let res = send(
        &app,
        "PUT",
        &format!("/api/admin/events/{id}"),
        admin,
        &json!({"saleEndDate": seoul(8), "artistName": "노바"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["event"]["artist"], "노바");
    assert!(updated["event"]["saleEnd"]
        .as_str()
        .unwrap()
        .starts_with(&seoul(8)));
}

/// Creates a general-admission event with names in both languages; returns its id.
async fn bilingual(app: &TestApp, admin: &str, ko: (&str, &str), en: (&str, &str)) -> String {
    let res = send(
        app,
        "POST",
        "/api/admin/events",
        admin,
        &event(json!({"title": ko.0, "artist": ko.1, "titleEn": en.0, "artistEn": en.1})),
    )
    .await;
    assert_eq!(res.status(), 201);
    let b: Value = res.json().await.unwrap();
    assert_eq!(b["event"]["titleEn"], en.0);
    assert_eq!(b["event"]["artistEn"], en.1);
    b["event"]["id"].as_str().unwrap().to_string()
}

/// The ids `GET /api/events?q=` answers, in order.
async fn search(app: &TestApp, q: &str) -> Vec<String> {
    let res = app
        .client
        .get(app.url("/api/events"))
        .query(&[("q", q)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "q={q}");
    let b: Value = res.json().await.unwrap();
    let ids: Vec<String> = b["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(b["pagination"]["total"], ids.len() as i64, "q={q}");
    ids
}

#[sqlx::test(migrations = "../migrations")]
async fn search_finds_events_in_either_language_despite_typos_and_spacing(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let admin = app.admin_token("boss@example.com").await;
    // The catalogue: (Korean title, artist), (English title, artist).
    let catalogue = [
        (
            ("노바 월드투어 서울", "노바"),
            ("NOVA World Tour Seoul", "NOVA"),
        ),
        (("노박 콰르텟", "노박"), ("Novak Quartet", "Novak")),
        (
            ("봄날의 재즈 나이트", "김하늘 트리오"),
            ("Spring Jazz Night", "Kim Haneul Trio"),
        ),
        (
            ("재즈 페스티벌", "여러 아티스트"),
            ("Jazz Festival", "Various Artists"),
        ),
        (
            ("클래식 갈라 콘서트", "서울시립교향악단"),
            ("Classical Gala Concert", "Seoul Philharmonic Orchestra"),
        ),
    ];
    let mut ids = Vec::new();
    for (ko, en) in catalogue {
        ids.push(bilingual(&app, &admin, ko, en).await);
    }
    let [nova, novak, night, festival, gala]: [String; 5] = ids.try_into().unwrap();

    // Either language finds the same event, first.
    assert_eq!(search(&app, "노바").await, vec![nova.clone()]);
    assert_eq!(search(&app, "NOVA").await.first(), Some(&nova));
    assert_eq!(search(&app, "nova").await.first(), Some(&nova));
    // The exact word ranks above a longer name that merely contains it.
    assert_eq!(
        search(&app, "Nova").await,
        vec![nova.clone(), novak.clone()]
    );
    let mut jazz = search(&app, "jazz").await;
    let mut jazz_ko = search(&app, "재즈").await;
    jazz.sort();
    jazz_ko.sort();
    let mut both = vec![night.clone(), festival.clone()];
    both.sort();
    assert_eq!(jazz, both);
    assert_eq!(jazz_ko, both);
    // Korean written without its space, and a one-letter typo in either language.
    assert_eq!(search(&app, "재즈페스티벌").await.first(), Some(&festival));
    assert_eq!(search(&app, "재즈 페스티벌").await.first(), Some(&festival));
    assert_eq!(search(&app, "페스티발").await.first(), Some(&festival));
    assert_eq!(search(&app, "Jazz Festivel").await.first(), Some(&festival));
    assert_eq!(search(&app, "orchestre").await, vec![gala.clone()]);
    // Case, width and extra spaces do not matter; nonsense finds nothing.
    assert_eq!(
        search(&app, "  ＮＯＶＡ   world ").await.first(),
        Some(&nova)
    );
    assert!(search(&app, "qwxzv").await.is_empty());
    assert!(search(&app, "zzzzzz").await.is_empty());

    // Search pages expire on their own and never join the invalidation index, which would
    // otherwise grow with every text anyone types.
    assert_eq!(app.get("/api/events").await.status(), 200);
    assert_eq!(search(&app, "gala").await, vec![gala.clone()]);
    let (keys, mut redis) = app.redis().await;
    let indexed: Vec<String> = redis::cmd("SMEMBERS")
        .arg(keys.event_list_index())
        .query_async(&mut redis)
        .await
        .unwrap();
    assert!(
        !indexed.is_empty() && indexed.iter().all(|k| k.contains("&q=&")),
        "{indexed:?}"
    );
    let ttl: i64 = redis::cmd("TTL")
        .arg(keys.event_list("s=&q=gala&p=1&l=20"))
        .query_async(&mut redis)
        .await
        .unwrap();
    assert!((1..=5).contains(&ttl), "search page ttl {ttl}");
}
