-- Signed tickets and gate check-in (issue 17).

-- Gate accounts scan tickets at one gate of one event and can do nothing else.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('fan', 'admin', 'gate'));

-- One row per admittable ticket: a confirmed seat, or one of the N tickets of a
-- general-admission item. The id is what a ticket code signs, so it must never change;
-- rows stay when the reservation is cancelled (that is what revokes them).
CREATE TABLE tickets (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id       uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    reservation_id uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    item_id        uuid NOT NULL REFERENCES reservation_items (id) ON DELETE CASCADE,
    ordinal        integer NOT NULL,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tickets_item_ordinal_key UNIQUE (item_id, ordinal),
    CONSTRAINT tickets_ordinal_check CHECK (ordinal >= 1)
);
CREATE INDEX tickets_reservation_idx ON tickets (reservation_id);
CREATE INDEX tickets_event_idx ON tickets (event_id);

-- Issued when a reservation becomes confirmed, whatever code path confirmed it. Deferred
-- to commit so that a statement inserting a confirmed reservation and its items together
-- (the seed) sees the items; idempotent, so a repeated confirmation issues nothing new.
CREATE FUNCTION tickets_issue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tickets (event_id, reservation_id, item_id, ordinal)
    SELECT r.event_id, r.id, i.id, n
    FROM reservations r
    JOIN reservation_items i ON i.reservation_id = r.id
    CROSS JOIN LATERAL generate_series(1, i.quantity) AS n
    WHERE r.id = NEW.id AND r.confirmed_at IS NOT NULL
    ON CONFLICT (item_id, ordinal) DO NOTHING;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER tickets_issue AFTER INSERT OR UPDATE OF status ON reservations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status = 'confirmed') EXECUTE FUNCTION tickets_issue();

-- Reservations confirmed before this migration get their tickets now.
INSERT INTO tickets (event_id, reservation_id, item_id, ordinal, issued_at)
SELECT r.event_id, r.id, i.id, n, r.confirmed_at
FROM reservations r
JOIN reservation_items i ON i.reservation_id = r.id
CROSS JOIN LATERAL generate_series(1, i.quantity) AS n
WHERE r.confirmed_at IS NOT NULL;

CREATE TABLE gate_accounts (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    event_id   uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    gate       text NOT NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gate_accounts_gate_check CHECK (char_length(btrim(gate)) BETWEEN 1 AND 40)
);
CREATE INDEX gate_accounts_event_idx ON gate_accounts (event_id);

CREATE TYPE checkin_source AS ENUM ('online', 'offline');

-- A ticket is admitted at most once: the primary key is the arbiter between gates.
CREATE TABLE checkins (
    ticket_id   uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    gate        text NOT NULL,
    scanned_by  uuid NOT NULL REFERENCES users (id),
    admitted_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    source      checkin_source NOT NULL
);
CREATE INDEX checkins_event_time_idx ON checkins (event_id, admitted_at);

CREATE TYPE checkin_conflict_kind AS ENUM ('duplicate', 'revoked');

-- What offline gates did that the database could not accept: a ticket another gate had
-- already admitted, or one that was revoked. Kept for the organizer, never dropped.
CREATE TABLE checkin_conflicts (
    id          bigserial PRIMARY KEY,
    ticket_id   uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind        checkin_conflict_kind NOT NULL,
    gate        text NOT NULL,
    scanned_by  uuid NOT NULL REFERENCES users (id),
    admitted_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    -- A gate syncing the same admission twice records it once.
    CONSTRAINT checkin_conflicts_once UNIQUE (ticket_id, gate, admitted_at)
);
CREATE INDEX checkin_conflicts_event_idx ON checkin_conflicts (event_id, recorded_at DESC);
