-- Bilingual, typo-tolerant event search (issue 16).
--
-- Events carry an English title and artist beside the Korean ones (`title`, `artist`), and
-- `q` matches either by trigram similarity (pg_trgm: a trusted extension, so the database
-- owner may create it; RDS and Cloud SQL ship it).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE events
    ADD COLUMN title_en text NOT NULL DEFAULT ''
        CONSTRAINT events_title_en_check CHECK (char_length(title_en) <= 200),
    ADD COLUMN artist_en text NOT NULL DEFAULT ''
        CONSTRAINT events_artist_en_check CHECK (char_length(artist_en) <= 200);

-- What search compares: NFKC (full-width Latin and compatibility jamo folded, a decomposed
-- Hangul syllable composed), lower case, punctuation as spaces, whitespace collapsed. The
-- query goes through the same function, so both sides agree.
CREATE FUNCTION event_search_normalize(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(lower(normalize(t, NFKC)), '[^[:alnum:]]+', ' ', 'g'));

-- Every searchable name twice: as written (words for word similarity) and without spaces,
-- because Korean spacing varies ("재즈페스티벌" is "재즈 페스티벌"). Generated, so every
-- writer of events keeps it current without knowing about it.
ALTER TABLE events ADD COLUMN search_text text GENERATED ALWAYS AS (
    event_search_normalize(
        title || ' ' || title_en || ' ' || artist || ' ' || artist_en || ' ' || venue
    ) || ' ' ||
    replace(event_search_normalize(title), ' ', '') || ' ' ||
    replace(event_search_normalize(title_en), ' ', '') || ' ' ||
    replace(event_search_normalize(artist), ' ', '') || ' ' ||
    replace(event_search_normalize(artist_en), ' ', '')
) STORED;

-- Trigram index for the word-similarity operator (`q <% search_text`).
CREATE INDEX events_search_trgm_idx ON events USING gin (search_text gin_trgm_ops);
