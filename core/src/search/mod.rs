//! Finding events by name in Korean or English. Events carry an English title and artist
//! beside the Korean ones; the database keeps a normalised `search_text` of all names
//! (generated column, see the `event_search` migration) with a trigram index, and a query
//! matches by pg_trgm word similarity: tolerant of small typos, of Korean spacing (every
//! name is also indexed without spaces) and of case, width and Unicode form. A query found
//! verbatim inside a longer word also matches (Korean compounds: "월드컵" in
//! "서울월드컵경기장" has a word similarity of only 0.25); the same trigram index serves it.

mod english;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::event::{self, EventList, ListQuery, Pagination};

pub use english::seed_english;

/// Lowest word similarity (0 to 1) that counts as a match. At 0.5 a one-letter typo in a
/// word of four or more letters still matches ("festivl", "페스티발"), a prefix of three
/// letters matches ("jaz"), and unrelated text does not.
pub const MATCH_THRESHOLD: f32 = 0.5;

/// Events whose names match `q`, best match first (then the exact wording, then the
/// soonest), paged like every list.
pub async fn list(pool: &PgPool, query: &ListQuery, q: &str) -> Result<EventList, sqlx::Error> {
    let status = query.status.map(|s| s.as_str());
    let limit = i64::from(query.limit);
    let offset = i64::from(query.page - 1) * limit;
    let mut tx = pool.begin().await?;
    // The operator `<%` uses the trigram index; its threshold is a setting, set for this
    // transaction only.
    sqlx::query_scalar!(
        "SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)",
        MATCH_THRESHOLD.to_string()
    )
    .fetch_one(&mut *tx)
    .await?;
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "total!" FROM events e,
                  LATERAL (SELECT event_search_normalize($2) AS words) n
           WHERE ($1::text IS NULL OR e.status = $1)
             AND (n.words <% e.search_text OR replace(n.words, ' ', '') <% e.search_text
                  OR (char_length(replace(n.words, ' ', '')) >= 2
                      AND e.search_text LIKE '%' || replace(n.words, ' ', '') || '%'))"#,
        status,
        q,
    )
    .fetch_one(&mut *tx)
    .await?;
    let ids = ranked(&mut tx, status, q, limit, offset).await?;
    tx.commit().await?;
    Ok(EventList {
        events: event::find_many(pool, &ids).await?,
        pagination: Pagination {
            page: query.page,
            limit: query.limit,
            total,
            total_pages: (total + limit - 1) / limit,
        },
    })
}

/// One page of matching event ids in rank order.
async fn ranked(
    conn: &mut PgConnection,
    status: Option<&str>,
    q: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT e.id FROM events e,
                  LATERAL (SELECT event_search_normalize($2) AS words) n,
                  LATERAL (SELECT replace(n.words, ' ', '') AS joined) j
           WHERE ($1::text IS NULL OR e.status = $1)
             AND (n.words <% e.search_text OR j.joined <% e.search_text
                  OR (char_length(j.joined) >= 2 AND e.search_text LIKE '%' || j.joined || '%'))
           ORDER BY greatest(word_similarity(n.words, e.search_text),
                             word_similarity(j.joined, e.search_text)) DESC,
                    strict_word_similarity(n.words, e.search_text) DESC,
                    greatest(similarity(n.words, event_search_normalize(e.title)),
                             similarity(n.words, event_search_normalize(e.title_en))) DESC,
                    e.starts_at, e.id
           LIMIT $3 OFFSET $4"#,
        status,
        q,
        limit,
        offset,
    )
    .fetch_all(conn)
    .await
}

/// Sets an event's English title and artist (empty for none).
pub async fn set_english(
    conn: &mut PgConnection,
    id: Uuid,
    title_en: &str,
    artist_en: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE events SET title_en = $2, artist_en = $3 WHERE id = $1",
        id,
        title_en,
        artist_en
    )
    .execute(conn)
    .await?;
    Ok(())
}
