//! Data a test starts from, made directly in the database: fans and admins with minted
//! tokens (argon2 for hundreds of sign-ups would dominate a test's time and test nothing
//! the auth tests do not) and on-sale events, seated or general admission.

use sqlx::PgPool;
use tiketi_api::ApiConfig;
use tiketi_core::{
    event::time::EventZone,
    event::{EventStatus, NewEvent, NewSeating, NewTicketType},
    infra::redis::Keys,
    layout::{Section, ValidSections},
    user::auth::{Role, Tokens},
};
use uuid::Uuid;

/// A signed-up fan and a token for them.
pub struct Fan {
    pub id: Uuid,
    pub token: String,
}

/// The token issuer of the api configured by `config`.
fn tokens(config: &ApiConfig) -> Tokens {
    Tokens::new(
        &config.jwt_secret,
        config.jwt_ttl,
        Keys::new(config.infra.redis_prefix.clone()),
    )
}

/// `n` fans with distinct e-mail addresses and the password `secret123`, with tokens the
/// api configured by `config` accepts.
pub async fn fans(pool: &PgPool, config: &ApiConfig, n: usize) -> Vec<Fan> {
    let hash = tiketi_core::user::auth::hash_password("secret123").unwrap();
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash)
         SELECT format('fan-%s-%s@example.com', i, $2::text), 'Fan', $1 FROM generate_series(1, $3) i
         RETURNING id",
    )
    .bind(&hash)
    .bind(Uuid::new_v4().simple().to_string())
    .bind(n as i32)
    .fetch_all(pool)
    .await
    .unwrap();
    let tokens = tokens(config);
    ids.into_iter()
        .map(|id| Fan {
            id,
            token: tokens.issue(id, Role::Fan).unwrap().0,
        })
        .collect()
}

/// An admin account at `email` and a token for it.
pub async fn admin_token(pool: &PgPool, config: &ApiConfig, email: &str) -> String {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Boss', 'unused', 'admin')
         RETURNING id",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap();
    tokens(config).issue(id, Role::Admin).unwrap().0
}

/// Sections from `(name, rows, seats per row, price)`.
pub fn sections(spec: &[(&str, i32, i32, i64)]) -> Vec<Section> {
    spec.iter()
        .map(|(name, rows, per_row, price)| Section {
            name: name.to_string(),
            rows: *rows,
            seats_per_row: *per_row,
            price: *price,
            color: None,
            geometry: None,
        })
        .collect()
}

/// An on-sale reserved-seating event on a fresh layout; returns it and its seat ids in
/// layout order.
pub async fn seated_event(pool: &PgPool, sections: Vec<Section>) -> (Uuid, Vec<Uuid>) {
    let valid = ValidSections::parse(sections).unwrap();
    let layout = tiketi_core::layout::create(
        pool,
        None,
        &format!("layout-{}", Uuid::new_v4()),
        "",
        &valid,
    )
    .await
    .unwrap();
    let id = create_event(pool, NewSeating::Layout(layout)).await;
    let seats = sqlx::query_scalar(
        "SELECT id FROM seats WHERE event_id = $1 ORDER BY section_index, row_index, number",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap();
    (id, seats)
}

/// An on-sale general-admission event with one ticket type per quantity; returns it and
/// its ticket type ids.
pub async fn ga_event(pool: &PgPool, quantities: &[i32]) -> (Uuid, Vec<Uuid>) {
    let types = quantities
        .iter()
        .enumerate()
        .map(|(i, q)| NewTicketType {
            name: format!("Standing {i}"),
            price: 50_000 + i as i64,
            quantity: *q,
        })
        .collect();
    let id = create_event(pool, NewSeating::TicketTypes(types)).await;
    let types =
        sqlx::query_scalar("SELECT id FROM ticket_types WHERE event_id = $1 ORDER BY sort_order")
            .bind(id)
            .fetch_all(pool)
            .await
            .unwrap();
    (id, types)
}

/// An event on sale since an hour ago, for nine more days, starting in ten.
async fn create_event(pool: &PgPool, seating: NewSeating) -> Uuid {
    let now = chrono::Utc::now();
    let new = NewEvent {
        id: None,
        title: "Test show".into(),
        description: String::new(),
        artist: "Band".into(),
        category: "concert".into(),
        venue: "Hall".into(),
        address: String::new(),
        poster_url: None,
        zone: EventZone::default(),
        starts_at: now + chrono::Duration::days(10),
        sale_start: now - chrono::Duration::hours(1),
        sale_end: now + chrono::Duration::days(9),
        status: EventStatus::OnSale,
        seating,
        queue_enabled: false,
    };
    let mut conn = pool.acquire().await.unwrap();
    tiketi_core::event::create(&mut conn, &new).await.unwrap().0
}
