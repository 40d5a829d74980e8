//! Development seed data: four layouts (265, 1,250, 4,900 and 60,000 seats, each drawn as
//! blocks on a venue overview), about 25 events across
//! every status, the test accounts and a few hundred load-test fans. Idempotent: fixed ids,
//! `ON CONFLICT DO NOTHING`; times of seed events nobody has reserved yet are moved relative
//! to now, so a fresh `make run` always has events on sale and one opening in minutes.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    event::time::EventZone,
    event::{EventStatus, NewEvent, NewSeating, NewTicketType},
    layout::{
        geometry::{bowl_block, rectangle, BlockKind, Point, SectionGeometry},
        Section, ValidSections,
    },
    user::auth::hash_password,
};

pub const ADMIN_EMAIL: &str = "admin@tiketi.gg";
pub const ADMIN_PASSWORD: &str = "admin123";
pub const FAN_EMAIL: &str = "test@tiketi.gg";
pub const FAN_PASSWORD: &str = "test1234";
/// Load-test fans are `fan0001@tiketi.gg` … with this password.
pub const LOADTEST_PASSWORD: &str = "fan12345";
pub const LOADTEST_FANS: i32 = 20_000;

pub const SMALL_THEATER: Uuid = Uuid::from_u128(0x5eed0000_0000_4000_8000_00000000a001);
pub const LARGE_THEATER: Uuid = Uuid::from_u128(0x5eed0000_0000_4000_8000_00000000a002);
pub const STADIUM: Uuid = Uuid::from_u128(0x5eed0000_0000_4000_8000_00000000a003);
pub const BIG_STADIUM: Uuid = Uuid::from_u128(0x5eed0000_0000_4000_8000_00000000a004);
/// The seed event on the 60,000-seat stadium.
pub const BIG_STADIUM_EVENT: u128 = 27;

/// The seed event with number `n`: `5eed0000-0000-4000-8000-0000000000nn`.
pub const fn event_id(n: u128) -> Uuid {
    Uuid::from_u128(0x5eed0000_0000_4000_8000_000000000000 + n)
}

fn s(name: &str, rows: i32, per_row: i32, price: i64, color: &str) -> Section {
    Section {
        name: name.into(),
        rows,
        seats_per_row: per_row,
        price,
        color: Some(color.into()),
        geometry: None,
    }
}

/// `section` drawn as a `kind` block with this outline and aisles.
fn at(section: Section, kind: BlockKind, polygon: Vec<Point>, aisles_after: &[i32]) -> Section {
    Section {
        geometry: Some(SectionGeometry {
            kind,
            label: None,
            polygon,
            aisles_after: aisles_after.to_vec(),
        }),
        ..section
    }
}

/// Ellipse radii of the stadium tiers around the field.
const LOWER: ((f32, f32), (f32, f32)) = ((250.0, 215.0), (360.0, 320.0));
const UPPER: ((f32, f32), (f32, f32)) = ((375.0, 335.0), (490.0, 470.0));

/// The 60,000-seat stadium: six floor blocks on the field, 24 lower (101–124) and 24 upper
/// (201–224) stand blocks all around it.
fn big_stadium() -> Vec<Section> {
    use BlockKind::*;
    let mut out = Vec::new();
    for i in 0..6 {
        let (col, row) = (i % 3, i / 3);
        let (x0, y0) = (345.0 + col as f32 * 105.0, 400.0 + row as f32 * 115.0);
        let mut b = at(
            s(&format!("VIP F{}", i + 1), 20, 50, 198_000, "#8b5cf6"),
            Floor,
            rectangle(x0, y0, x0 + 95.0, y0 + 105.0),
            &[25],
        );
        b.geometry.as_mut().unwrap().label = Some(format!("F{}", i + 1));
        out.push(b);
    }
    for (tier, (inner, outer), grade, rows, per_row, price, color) in [
        (1, LOWER, "R", 25, 40, 154_000, "#3b82f6"),
        (2, UPPER, "S", 25, 50, 121_000, "#10b981"),
    ] {
        for k in 0..24 {
            let from = k as f32 * 15.0 + 0.75;
            let label = format!("{}{:02}", tier, k + 1);
            let mut b = at(
                s(&format!("{grade} {label}"), rows, per_row, price, color),
                Bowl,
                bowl_block(inner, outer, from, from + 13.5, 4),
                &[per_row / 2],
            );
            b.geometry.as_mut().unwrap().label = Some(label);
            out.push(b);
        }
    }
    out
}

fn layouts() -> Vec<(Uuid, &'static str, &'static str, Vec<Section>)> {
    vec![
        (
            SMALL_THEATER,
            "소극장 (265석)",
            "Small theater: VIP 3×10, R 5×15, S 8×20",
            vec![
                at(
                    s("VIP", 3, 10, 150_000, "#8b5cf6"),
                    BlockKind::Floor,
                    rectangle(380.0, 100.0, 620.0, 190.0),
                    &[5],
                ),
                at(
                    s("R", 5, 15, 100_000, "#3b82f6"),
                    BlockKind::Floor,
                    rectangle(330.0, 205.0, 670.0, 330.0),
                    &[4, 11],
                ),
                at(
                    s("S", 8, 20, 70_000, "#10b981"),
                    BlockKind::Balcony,
                    rectangle(280.0, 420.0, 720.0, 600.0),
                    &[5, 15],
                ),
            ],
        ),
        (
            LARGE_THEATER,
            "대극장 (1,250석)",
            "Large theater: VIP 5×20, R 10×25, S 15×30, A 15×30",
            vec![
                at(
                    s("VIP", 5, 20, 180_000, "#8b5cf6"),
                    BlockKind::Floor,
                    rectangle(350.0, 100.0, 650.0, 180.0),
                    &[5, 15],
                ),
                at(
                    s("R", 10, 25, 140_000, "#3b82f6"),
                    BlockKind::Floor,
                    rectangle(300.0, 195.0, 700.0, 330.0),
                    &[6, 19],
                ),
                at(
                    s("S", 15, 30, 110_000, "#10b981"),
                    BlockKind::Floor,
                    rectangle(250.0, 345.0, 750.0, 520.0),
                    &[8, 22],
                ),
                at(
                    s("A", 15, 30, 80_000, "#f59e0b"),
                    BlockKind::Balcony,
                    rectangle(250.0, 600.0, 750.0, 800.0),
                    &[8, 22],
                ),
            ],
        ),
        (
            STADIUM,
            "스타디움 (4,900석)",
            "Stadium: floor, lower and upper tiers",
            vec![
                at(
                    s("Floor VIP", 10, 40, 220_000, "#8b5cf6"),
                    BlockKind::Floor,
                    rectangle(350.0, 380.0, 650.0, 480.0),
                    &[10, 30],
                ),
                at(
                    s("Floor R", 10, 50, 176_000, "#3b82f6"),
                    BlockKind::Floor,
                    rectangle(345.0, 495.0, 655.0, 625.0),
                    &[12, 37],
                ),
                at(
                    s("Lower S", 20, 50, 143_000, "#10b981"),
                    BlockKind::Bowl,
                    bowl_block(LOWER.0, LOWER.1, 60.0, 300.0, 15),
                    &[25],
                ),
                at(
                    s("Upper A", 30, 50, 99_000, "#f59e0b"),
                    BlockKind::Bowl,
                    bowl_block(UPPER.0, UPPER.1, 60.0, 178.0, 15),
                    &[25],
                ),
                at(
                    s("Upper B", 30, 50, 77_000, "#ef4444"),
                    BlockKind::Bowl,
                    bowl_block(UPPER.0, UPPER.1, 182.0, 300.0, 15),
                    &[25],
                ),
            ],
        ),
        (
            BIG_STADIUM,
            "메가 스타디움 (60,000석)",
            "Big stadium: 6 floor blocks, 24 lower and 24 upper stand blocks",
            big_stadium(),
        ),
    ]
}

#[derive(Clone, Copy)]
enum When {
    /// On sale since a day ago; the show is `days` ahead.
    OnSale(i64),
    /// Sale opens `minutes` after seeding.
    OpensIn(i64),
    /// Sale opens in `days`.
    Upcoming(i64),
    /// The show was `days` ago.
    Ended(i64),
    Cancelled(i64),
}

struct SeedEvent {
    n: u128,
    title: &'static str,
    artist: &'static str,
    category: &'static str,
    venue: &'static str,
    seating: Seating,
    when: When,
    queue: bool,
}

#[derive(Clone, Copy)]
enum Seating {
    Small,
    Large,
    Stadium,
    BigStadium,
    Standing(i32),
    /// A tiny standing event whose every ticket was bought by seeded fans.
    SoldOut,
}

fn seed_events() -> Vec<SeedEvent> {
    use Seating::*;
    use When::*;
    let e = |n, title, artist, category, venue, seating, when, queue| SeedEvent {
        n,
        title,
        artist,
        category,
        venue,
        seating,
        when,
        queue,
    };
    vec![
        e(
            1,
            "봄날의 재즈 나이트",
            "김하늘 트리오",
            "concert",
            "블루스퀘어 소극장",
            Small,
            OnSale(20),
            false,
        ),
        e(
            2,
            "뮤지컬 〈별을 쫓는 아이〉",
            "서울뮤지컬컴퍼니",
            "musical",
            "세종문화회관 대극장",
            Large,
            OnSale(35),
            false,
        ),
        e(
            3,
            "NOVA 월드투어 서울",
            "노바",
            "concert",
            "서울월드컵경기장",
            Stadium,
            OnSale(45),
            false,
        ),
        e(
            4,
            "클래식 갈라 콘서트",
            "서울시립교향악단",
            "classical",
            "예술의전당 콘서트홀",
            Large,
            OnSale(14),
            false,
        ),
        e(
            5,
            "인디 록 페스티벌 나이트",
            "더 문라이트",
            "concert",
            "홍대 롤링홀",
            Small,
            OnSale(9),
            false,
        ),
        e(
            6,
            "코미디 빅 쇼",
            "개그 크루",
            "show",
            "KBS 아레나",
            Large,
            OnSale(21),
            false,
        ),
        e(
            7,
            "K-리그 올스타전",
            "K리그",
            "sports",
            "서울월드컵경기장",
            Stadium,
            OnSale(30),
            false,
        ),
        e(
            8,
            "발레 〈호두까기 인형〉",
            "국립발레단",
            "ballet",
            "예술의전당 오페라극장",
            Large,
            OnSale(28),
            false,
        ),
        e(
            9,
            "어쿠스틱 라이브 세션",
            "이소라",
            "concert",
            "노들섬 라이브하우스",
            Small,
            OnSale(12),
            false,
        ),
        e(
            10,
            "HYPER 팬미팅",
            "HYPER",
            "fanmeeting",
            "올림픽공원 핸드볼경기장",
            Standing(2_000),
            OnSale(18),
            false,
        ),
        e(
            11,
            "오픈 임박! 뮤지컬 〈시간의 문〉",
            "뮤지컬 시간의 문",
            "musical",
            "샤롯데씨어터",
            Large,
            OpensIn(3),
            false,
        ),
        e(
            12,
            "가을 음악회",
            "KBS 교향악단",
            "classical",
            "롯데콘서트홀",
            Large,
            Upcoming(7),
            false,
        ),
        e(
            13,
            "STELLAR 콘서트 〈ORBIT〉",
            "STELLAR",
            "concert",
            "고척스카이돔",
            Stadium,
            Upcoming(10),
            false,
        ),
        e(
            14,
            "연극 〈작은 방〉",
            "극단 바람",
            "theater",
            "대학로 자유극장",
            Small,
            Upcoming(5),
            false,
        ),
        e(
            15,
            "e스포츠 결승전",
            "LCK",
            "sports",
            "잠실실내체육관",
            Standing(3_000),
            Upcoming(12),
            false,
        ),
        e(
            16,
            "크리스마스 캐럴 콘서트",
            "서울 합창단",
            "concert",
            "세종문화회관 대극장",
            Large,
            Upcoming(20),
            false,
        ),
        e(
            17,
            "여름밤 록 콘서트",
            "블랙홀",
            "concert",
            "올림픽홀",
            Small,
            Ended(30),
            false,
        ),
        e(
            18,
            "뮤지컬 〈레베카〉",
            "EMK",
            "musical",
            "블루스퀘어 신한카드홀",
            Large,
            Ended(20),
            false,
        ),
        e(
            19,
            "월드컵 예선 평가전",
            "대한축구협회",
            "sports",
            "서울월드컵경기장",
            Stadium,
            Ended(60),
            false,
        ),
        e(
            20,
            "재즈 페스티벌 2025",
            "여러 아티스트",
            "concert",
            "자라섬",
            Standing(5_000),
            Ended(90),
            false,
        ),
        e(
            21,
            "취소된 공연: 야외 음악회",
            "한강 오케스트라",
            "concert",
            "여의도 한강공원",
            Small,
            Cancelled(15),
            false,
        ),
        e(
            22,
            "스탠딩 파티 〈NEON〉",
            "DJ 네온",
            "concert",
            "예스24 라이브홀",
            Standing(800),
            OnSale(25),
            false,
        ),
        e(
            23,
            "마술쇼 〈환상〉",
            "매직 컴퍼니",
            "show",
            "충무아트센터",
            Small,
            OnSale(16),
            false,
        ),
        e(
            24,
            "GALAXY 단독 콘서트 (대기열)",
            "GALAXY",
            "concert",
            "잠실종합운동장 주경기장",
            Stadium,
            OnSale(40),
            true,
        ),
        e(
            25,
            "오페라 〈라 보엠〉",
            "국립오페라단",
            "opera",
            "예술의전당 오페라극장",
            Large,
            OnSale(50),
            false,
        ),
        e(
            26,
            "매진! 하우스 콘서트 〈작은 밤〉",
            "윤하늘",
            "concert",
            "성수 살롱",
            SoldOut,
            OnSale(8),
            false,
        ),
        e(
            BIG_STADIUM_EVENT,
            "드림 페스티벌 2027",
            "드림 올스타즈",
            "concert",
            "잠실종합운동장 주경기장",
            BigStadium,
            OnSale(60),
            false,
        ),
    ]
}

const SOLD_OUT_PRICE: i64 = 88_000;
const SOLD_OUT_BUYERS: i32 = 3;

/// Buys every ticket of the sold-out seed event the way fans would have: confirmed
/// reservations of two tickets each, paid, with their recorded requests.
async fn sell_out(conn: &mut sqlx::PgConnection, event: Uuid) -> Result<(), sqlx::Error> {
    for i in 1..=SOLD_OUT_BUYERS {
        let reservation = Uuid::from_u128(event.as_u128() ^ (0xb000 + i as u128));
        let request = Uuid::from_u128(event.as_u128() ^ (0xc000 + i as u128));
        sqlx::query!(
            "WITH fan AS (SELECT id FROM users WHERE email = format('fan%s@tiketi.gg', lpad($3::int::text, 4, '0'))),
                  tt AS (UPDATE ticket_types SET remaining = remaining - 2 WHERE event_id = $1 RETURNING id),
                  r AS (INSERT INTO reservations (id, code, request_id, user_id, event_id, status, total_amount,
                                                  expires_at, confirmed_at)
                        SELECT $2, $5, $4, fan.id, $1, 'confirmed', 2 * $6::bigint, now(), now() FROM fan RETURNING id, user_id),
                  i AS (INSERT INTO reservation_items (reservation_id, ticket_type_id, quantity, unit_price)
                        SELECT r.id, tt.id, 2, $6::bigint FROM r, tt RETURNING 1),
                  q AS (INSERT INTO reservation_requests (request_id, user_id, event_id, outcome, reservation_id)
                        SELECT $4, r.user_id, $1, 'reserved', r.id FROM r RETURNING 1)
             INSERT INTO payments (reservation_id, user_id, idempotency_key, request_hash, method, amount, status, provider_ref)
             SELECT r.id, r.user_id, format('seed-%s', $3::int), 'seed', 'kakao_pay', 2 * $6::bigint, 'completed', 'seed' FROM r",
            event,
            reservation,
            i,
            request,
            crate::reservation::reservation_code(),
            SOLD_OUT_PRICE,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Instants for a seed event relative to `now`: (starts_at, sale_start, sale_end, status).
fn times(
    when: When,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>, EventStatus) {
    // Shows start at 19:00 Seoul time on their day.
    let at_seven = |days: i64| {
        let seoul = EventZone::default();
        let day = (now + Duration::days(days))
            .with_timezone(&seoul.tz())
            .date_naive();
        seoul
            .parse_instant(&format!("{day}T19:00"))
            .expect("19:00 exists in Asia/Seoul")
    };
    match when {
        When::OnSale(d) => (
            at_seven(d),
            now - Duration::days(1),
            at_seven(d) - Duration::hours(2),
            EventStatus::OnSale,
        ),
        When::OpensIn(m) => {
            let open = now + Duration::minutes(m);
            (
                at_seven(30),
                open,
                at_seven(30) - Duration::hours(2),
                EventStatus::Upcoming,
            )
        }
        When::Upcoming(d) => (
            at_seven(d + 30),
            now + Duration::days(d),
            at_seven(d + 30) - Duration::hours(2),
            EventStatus::Upcoming,
        ),
        When::Ended(d) => (
            at_seven(-d),
            now - Duration::days(d + 30),
            at_seven(-d) - Duration::hours(2),
            EventStatus::Ended,
        ),
        When::Cancelled(d) => (
            at_seven(d),
            now - Duration::days(2),
            at_seven(d) - Duration::hours(2),
            EventStatus::Cancelled,
        ),
    }
}

#[derive(Debug, Default)]
pub struct SeedReport {
    pub events_created: usize,
    pub events_refreshed: u64,
    pub users: i64,
}

/// Loads (or refreshes) the development seed.
pub async fn load(pool: &PgPool) -> anyhow::Result<SeedReport> {
    let mut report = SeedReport::default();
    let mut tx = pool.begin().await?;
    // Two seeders at once (make up while make run) take turns.
    sqlx::query!("SELECT pg_advisory_xact_lock(5335001)")
        .execute(&mut *tx)
        .await?;

    for (id, name, description, sections) in layouts() {
        let valid = ValidSections::parse(sections)
            .map_err(|e| anyhow::anyhow!("seed layout {name}: {e:?}"))?;
        crate::layout::create(&mut *tx, Some(id), name, description, &valid).await?;
    }

    let (admin_hash, fan_hash, loadtest_hash) = tokio::task::spawn_blocking(|| {
        Ok::<_, anyhow::Error>((
            hash_password(ADMIN_PASSWORD)?,
            hash_password(FAN_PASSWORD)?,
            hash_password(LOADTEST_PASSWORD)?,
        ))
    })
    .await??;
    sqlx::query!(
        "INSERT INTO users (email, name, password_hash, role) VALUES
            ($1, '관리자', $2, 'admin'), ($3, '테스트 사용자', $4, 'fan')
         ON CONFLICT (email) DO NOTHING",
        ADMIN_EMAIL,
        &admin_hash,
        FAN_EMAIL,
        &fan_hash,
    )
    .execute(&mut *tx)
    .await?;
    // One hash for every load-test fan: they share a password, and hashing thousands of times with
    // argon2 would make start-up slow for no benefit in development.
    sqlx::query!(
        "INSERT INTO users (email, name, password_hash, role)
         SELECT format('fan%s@tiketi.gg', lpad(i::text, greatest(4, length(i::text)), '0')),
                format('팬 %s', i), $1, 'fan'
         FROM generate_series(1, $2) AS i
         ON CONFLICT (email) DO NOTHING",
        &loadtest_hash,
        LOADTEST_FANS,
    )
    .execute(&mut *tx)
    .await?;

    let now = Utc::now();
    for e in seed_events() {
        let (starts_at, sale_start, sale_end, status) = times(e.when, now);
        let seating = match e.seating {
            Seating::Small => NewSeating::Layout(SMALL_THEATER),
            Seating::Large => NewSeating::Layout(LARGE_THEATER),
            Seating::Stadium => NewSeating::Layout(STADIUM),
            Seating::BigStadium => NewSeating::Layout(BIG_STADIUM),
            Seating::Standing(n) => NewSeating::TicketTypes(vec![
                NewTicketType {
                    name: "스탠딩 P".into(),
                    price: 132_000,
                    quantity: n / 4,
                },
                NewTicketType {
                    name: "스탠딩 R".into(),
                    price: 110_000,
                    quantity: n - n / 4,
                },
            ]),
            Seating::SoldOut => NewSeating::TicketTypes(vec![NewTicketType {
                name: "스탠딩".into(),
                price: SOLD_OUT_PRICE,
                quantity: SOLD_OUT_BUYERS * 2,
            }]),
        };
        let status = if matches!(e.seating, Seating::SoldOut) {
            EventStatus::SoldOut
        } else {
            status
        };
        let new = NewEvent {
            id: Some(event_id(e.n)),
            title: e.title.into(),
            description: format!(
                "{} — {}의 무대. Tiketi 개발용 샘플 이벤트입니다.",
                e.title, e.artist
            ),
            artist: e.artist.into(),
            category: e.category.into(),
            venue: e.venue.into(),
            address: "서울특별시".into(),
            poster_url: None,
            zone: EventZone::default(),
            starts_at,
            sale_start,
            sale_end,
            status,
            seating,
            queue_enabled: e.queue,
        };
        let (_, created) = crate::event::create(&mut tx, &new).await?;
        if created && e.queue {
            // A high-demand on-sale: 100 fans a second into a ten-minute shopping window,
            // the pre-queue opening half an hour ahead and shuffled at sale start.
            sqlx::query!(
                "UPDATE events SET queue_strategy = 'rate', queue_rate_per_minute = 6000,
                        queue_window_seconds = 600, prequeue_minutes = 30, prequeue_shuffle = true
                 WHERE id = $1",
                event_id(e.n),
            )
            .execute(&mut *tx)
            .await?;
        }
        if created && matches!(e.seating, Seating::SoldOut) {
            sell_out(&mut tx, event_id(e.n)).await?;
        }
        if created {
            report.events_created += 1;
        } else {
            // Keep the dev stack's timeline fresh, but never move an event fans used.
            report.events_refreshed += sqlx::query!(
                "UPDATE events SET starts_at = $2, sale_start = $3, sale_end = $4, status = $5,
                        cancelled_at = CASE WHEN $5 = 'cancelled' THEN COALESCE(cancelled_at, now()) END,
                        updated_at = now()
                 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.event_id = events.id)",
                new.id,
                starts_at,
                sale_start,
                sale_end,
                status as EventStatus,
            )
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
    }
    crate::search::seed_english(&mut tx, event_id).await?;
    report.users = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "count!" FROM users"#)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    // Fresh statistics for the tens of thousands of rows just written.
    sqlx::query!("ANALYZE").execute(pool).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_layouts_have_the_promised_seat_counts() {
        let totals: Vec<i32> = layouts()
            .into_iter()
            .map(|(_, _, _, s)| ValidSections::parse(s).unwrap().total_seats())
            .collect();
        assert_eq!(totals, [265, 1_250, 4_900, 60_000]);
    }

    #[test]
    fn the_big_stadium_has_numbered_blocks_all_around_the_field() {
        let blocks = big_stadium();
        assert_eq!(blocks.len(), 54);
        let labels: std::collections::HashSet<_> = blocks
            .iter()
            .map(|b| b.geometry.as_ref().unwrap().label.clone().unwrap())
            .collect();
        assert!(labels.contains("101") && labels.contains("124") && labels.contains("224"));
        assert_eq!(labels.len(), 54);
    }

    #[test]
    fn seed_covers_every_status_and_the_benchmark_events() {
        let now = Utc::now();
        let statuses: std::collections::HashSet<_> = seed_events()
            .iter()
            .map(|e| times(e.when, now).3.as_str())
            .collect();
        for s in ["upcoming", "on_sale", "ended", "cancelled"] {
            assert!(statuses.contains(s), "{s}");
        }
        for e in seed_events() {
            let (starts, open, close, _) = times(e.when, now);
            assert!(open < close && close <= starts, "event {}", e.n);
        }
    }
}
