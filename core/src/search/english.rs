//! The development seed's English titles and artists, so that the seed can be searched in
//! either language (and the web app shows English titles in English).

use sqlx::PgConnection;
use uuid::Uuid;

/// (seed event number, English title, English artist), by the seed's numbering.
const SEED_ENGLISH: [(u128, &str, &str); 27] = [
    (1, "Spring Jazz Night", "Kim Haneul Trio"),
    (
        2,
        "Musical 'The Child Who Chases Stars'",
        "Seoul Musical Company",
    ),
    (3, "NOVA World Tour Seoul", "NOVA"),
    (4, "Classical Gala Concert", "Seoul Philharmonic Orchestra"),
    (5, "Indie Rock Festival Night", "The Moonlight"),
    (6, "Big Comedy Show", "Gag Crew"),
    (7, "K League All-Star Game", "K League"),
    (8, "Ballet 'The Nutcracker'", "Korean National Ballet"),
    (9, "Acoustic Live Session", "Lee Sora"),
    (10, "HYPER Fan Meeting", "HYPER"),
    (
        11,
        "Opening Soon! Musical 'The Door of Time'",
        "The Door of Time Musical",
    ),
    (12, "Autumn Concert", "KBS Symphony Orchestra"),
    (13, "STELLAR Concert 'ORBIT'", "STELLAR"),
    (14, "Play 'A Small Room'", "Theatre Company Baram"),
    (15, "Esports Finals", "LCK"),
    (16, "Christmas Carol Concert", "Seoul Choir"),
    (17, "Summer Night Rock Concert", "Blackhole"),
    (18, "Musical 'Rebecca'", "EMK"),
    (
        19,
        "World Cup Qualifier Friendly",
        "Korea Football Association",
    ),
    (20, "Jazz Festival 2025", "Various Artists"),
    (21, "Cancelled: Outdoor Concert", "Han River Orchestra"),
    (22, "Standing Party 'NEON'", "DJ Neon"),
    (23, "Magic Show 'Fantasy'", "Magic Company"),
    (24, "GALAXY Solo Concert (Waiting Room)", "GALAXY"),
    (25, "Opera 'La Bohème'", "Korean National Opera"),
    (26, "Sold Out! House Concert 'A Small Night'", "Yoon Haneul"),
    (27, "Dream Festival 2027", "Dream All-Stars"),
];

/// Writes the English names of the seed events (`id_of` maps a seed number to its id);
/// idempotent, so an existing development database gets them on its next start.
pub async fn seed_english(
    conn: &mut PgConnection,
    id_of: impl Fn(u128) -> Uuid,
) -> Result<(), sqlx::Error> {
    for (n, title, artist) in SEED_ENGLISH {
        super::set_english(conn, id_of(n), title, artist).await?;
    }
    Ok(())
}
