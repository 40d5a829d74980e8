-- Tiketi schema. Every instant is a timestamptz; every event carries the IANA zone its
-- wall-clock times belong to. Constraints make the impossible states of the reservation,
-- seat and event state machines unrepresentable; application code maps violations to client
-- errors by constraint name, so the names here are part of the contract.

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL,
    name          text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'fan',
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_email_normalized CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    CONSTRAINT users_role_check CHECK (role IN ('fan', 'admin')),
    CONSTRAINT users_name_check CHECK (char_length(btrim(name)) BETWEEN 1 AND 50)
);

-- A layout is a template: ordered sections, each a block of rows × seats at one price.
-- Seats are generated from it per event, so editing a layout never moves sold seats.
CREATE TABLE seat_layouts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    sections    jsonb NOT NULL,
    total_seats integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT seat_layouts_name_key UNIQUE (name),
    CONSTRAINT seat_layouts_sections_check CHECK (jsonb_typeof(sections) = 'array' AND jsonb_array_length(sections) > 0),
    CONSTRAINT seat_layouts_total_seats_check CHECK (total_seats > 0)
);

CREATE TABLE events (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title                text NOT NULL,
    description          text NOT NULL DEFAULT '',
    venue                text NOT NULL,
    address              text NOT NULL DEFAULT '',
    poster_url           text,
    artist               text NOT NULL DEFAULT '',
    category             text NOT NULL DEFAULT 'concert',
    timezone             text NOT NULL DEFAULT 'Asia/Seoul',
    starts_at            timestamptz NOT NULL,
    sale_start           timestamptz NOT NULL,
    sale_end             timestamptz NOT NULL,
    status               text NOT NULL DEFAULT 'upcoming',
    seating              text NOT NULL,
    layout_id            uuid REFERENCES seat_layouts (id),
    -- Version of the seat state; bumped in the same transaction as every seat change so a
    -- seat-map snapshot and the WebSocket deltas agree on ordering.
    seat_seq             bigint NOT NULL DEFAULT 0,
    -- Maintained by the seats triggers below, never by hand.
    seats_total          integer NOT NULL DEFAULT 0,
    seats_available      integer NOT NULL DEFAULT 0,
    queue_enabled        boolean NOT NULL DEFAULT false,
    queue_strategy       text NOT NULL DEFAULT 'rate',
    queue_rate_per_minute integer NOT NULL DEFAULT 600,
    queue_max_active     integer NOT NULL DEFAULT 500,
    queue_window_seconds integer NOT NULL DEFAULT 600,
    prequeue_minutes     integer NOT NULL DEFAULT 30,
    prequeue_shuffle     boolean NOT NULL DEFAULT false,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    cancelled_at         timestamptz,
    CONSTRAINT events_status_check CHECK (status IN ('upcoming', 'on_sale', 'sold_out', 'ended', 'cancelled')),
    CONSTRAINT events_seating_check CHECK (seating IN ('reserved', 'general')),
    CONSTRAINT events_layout_check CHECK ((seating = 'reserved') = (layout_id IS NOT NULL)),
    CONSTRAINT events_sale_window_check CHECK (sale_start < sale_end),
    CONSTRAINT events_sale_end_check CHECK (sale_end <= starts_at),
    CONSTRAINT events_title_check CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    CONSTRAINT events_venue_check CHECK (char_length(btrim(venue)) BETWEEN 1 AND 200),
    CONSTRAINT events_cancelled_check CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CONSTRAINT events_seat_counts_check CHECK (seats_available BETWEEN 0 AND seats_total),
    CONSTRAINT events_queue_strategy_check CHECK (queue_strategy IN ('rate', 'max_active')),
    CONSTRAINT events_queue_numbers_check CHECK (
        queue_rate_per_minute > 0 AND queue_max_active > 0 AND queue_window_seconds > 0 AND prequeue_minutes >= 0)
);
CREATE INDEX events_status_starts_idx ON events (status, starts_at);
CREATE INDEX events_sale_start_idx ON events (sale_start) WHERE status = 'upcoming';

-- General-admission stock. `remaining` is decremented conditionally by the worker and
-- restored by cancel/expiry; the checks make overselling unrepresentable.
CREATE TABLE ticket_types (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id       uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name           text NOT NULL,
    price          bigint NOT NULL,
    total_quantity integer NOT NULL,
    remaining      integer NOT NULL,
    sort_order     integer NOT NULL DEFAULT 0,
    CONSTRAINT ticket_types_event_name_key UNIQUE (event_id, name),
    CONSTRAINT ticket_types_price_check CHECK (price > 0),
    CONSTRAINT ticket_types_quantity_check CHECK (total_quantity > 0),
    CONSTRAINT ticket_types_remaining_check CHECK (remaining >= 0 AND remaining <= total_quantity)
);
CREATE INDEX ticket_types_event_idx ON ticket_types (event_id, sort_order);

CREATE TABLE reservations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code          text NOT NULL,
    request_id    uuid NOT NULL,
    user_id       uuid NOT NULL REFERENCES users (id),
    event_id      uuid NOT NULL REFERENCES events (id),
    status        text NOT NULL DEFAULT 'pending',
    total_amount  bigint NOT NULL,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    confirmed_at  timestamptz,
    cancelled_at  timestamptz,
    expired_at    timestamptz,
    cancel_reason text,
    CONSTRAINT reservations_request_id_key UNIQUE (request_id),
    CONSTRAINT reservations_code_key UNIQUE (code),
    CONSTRAINT reservations_status_check CHECK (status IN ('pending', 'confirmed', 'cancelled', 'expired')),
    CONSTRAINT reservations_amount_check CHECK (total_amount >= 0),
    CONSTRAINT reservations_confirmed_check CHECK (status <> 'confirmed' OR confirmed_at IS NOT NULL),
    CONSTRAINT reservations_cancelled_check CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CONSTRAINT reservations_expired_check CHECK ((status = 'expired') = (expired_at IS NOT NULL))
);
-- One live hold per fan per event: a second reserve must wait for the first to end.
CREATE UNIQUE INDEX reservations_one_pending_per_user_event ON reservations (user_id, event_id) WHERE status = 'pending';
CREATE INDEX reservations_user_idx ON reservations (user_id, created_at DESC);
CREATE INDEX reservations_event_idx ON reservations (event_id, status);
CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE status = 'pending';

CREATE TABLE seats (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id       uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    section        text NOT NULL,
    section_index  integer NOT NULL,
    row_label      text NOT NULL,
    row_index      integer NOT NULL,
    number         integer NOT NULL,
    price          bigint NOT NULL,
    status         text NOT NULL DEFAULT 'available',
    -- The reservation that holds or bought this seat; a seat has at most one.
    reservation_id uuid REFERENCES reservations (id),
    CONSTRAINT seats_position_key UNIQUE (event_id, section, row_label, number),
    CONSTRAINT seats_status_check CHECK (status IN ('available', 'held', 'sold')),
    CONSTRAINT seats_holder_check CHECK ((status = 'available') = (reservation_id IS NULL)),
    CONSTRAINT seats_price_check CHECK (price > 0)
);
CREATE INDEX seats_layout_order_idx ON seats (event_id, section_index, row_index, number);
CREATE INDEX seats_reservation_idx ON seats (reservation_id) WHERE reservation_id IS NOT NULL;

-- Every statement that changes seats bumps its events' seq and available count in the same
-- transaction, whatever code path ran it. Writers lock the event row first (see
-- core::seats) so that seat-changing transactions of one event never deadlock.
CREATE FUNCTION seats_track_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE events e
    SET seat_seq = e.seat_seq + 1, seats_available = e.seats_available + d.delta
    FROM (
        SELECT n.event_id,
               SUM((n.status = 'available')::int - (o.status = 'available')::int)::int AS delta
        FROM new_seats n JOIN old_seats o ON o.id = n.id
        WHERE n.status IS DISTINCT FROM o.status OR n.reservation_id IS DISTINCT FROM o.reservation_id
        GROUP BY n.event_id
    ) d
    WHERE e.id = d.event_id;
    RETURN NULL;
END $$;
CREATE TRIGGER seats_track_update AFTER UPDATE ON seats
    REFERENCING OLD TABLE AS old_seats NEW TABLE AS new_seats
    FOR EACH STATEMENT EXECUTE FUNCTION seats_track_update();

CREATE FUNCTION seats_track_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE events e
    SET seats_total = e.seats_total + d.n,
        seats_available = e.seats_available + d.available
    FROM (
        SELECT event_id, COUNT(*)::int AS n, COUNT(*) FILTER (WHERE status = 'available')::int AS available
        FROM new_seats GROUP BY event_id
    ) d
    WHERE e.id = d.event_id;
    RETURN NULL;
END $$;
CREATE TRIGGER seats_track_insert AFTER INSERT ON seats
    REFERENCING NEW TABLE AS new_seats
    FOR EACH STATEMENT EXECUTE FUNCTION seats_track_insert();

CREATE TABLE reservation_items (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reservation_id uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    seat_id        uuid REFERENCES seats (id),
    ticket_type_id uuid REFERENCES ticket_types (id),
    quantity       integer NOT NULL,
    unit_price     bigint NOT NULL,
    -- Mirrors "the reservation is pending or confirmed"; kept by the trigger below so the
    -- unique index can say "at most one live reservation per seat".
    live           boolean NOT NULL DEFAULT true,
    CONSTRAINT reservation_items_kind_check CHECK ((seat_id IS NULL) <> (ticket_type_id IS NULL)),
    CONSTRAINT reservation_items_quantity_check CHECK (quantity > 0 AND (seat_id IS NULL OR quantity = 1)),
    CONSTRAINT reservation_items_price_check CHECK (unit_price > 0)
);
CREATE UNIQUE INDEX reservation_items_one_live_per_seat ON reservation_items (seat_id) WHERE live AND seat_id IS NOT NULL;
CREATE INDEX reservation_items_reservation_idx ON reservation_items (reservation_id);

-- Terminal states are terminal, and a reservation leaving the live states takes its items
-- with it, whatever code path made the change.
CREATE FUNCTION reservations_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('cancelled', 'expired') AND NEW.status <> OLD.status THEN
        RAISE EXCEPTION 'reservation % is %', OLD.id, OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'reservations_terminal_check';
    END IF;
    IF OLD.status = 'confirmed' AND NEW.status IN ('pending', 'expired') THEN
        RAISE EXCEPTION 'reservation % is confirmed', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'reservations_transition_check';
    END IF;
    IF NEW.status IN ('cancelled', 'expired') AND OLD.status IN ('pending', 'confirmed') THEN
        UPDATE reservation_items SET live = false WHERE reservation_id = NEW.id AND live;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER reservations_guard_transition BEFORE UPDATE OF status ON reservations
    FOR EACH ROW EXECUTE FUNCTION reservations_guard_transition();

CREATE TABLE payments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reservation_id  uuid NOT NULL REFERENCES reservations (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    idempotency_key text NOT NULL,
    request_hash    text NOT NULL,
    method          text NOT NULL,
    amount          bigint NOT NULL,
    status          text NOT NULL,
    provider_ref    text,
    failure_reason  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    refunded_at     timestamptz,
    CONSTRAINT payments_idempotency_key UNIQUE (user_id, idempotency_key),
    CONSTRAINT payments_method_check CHECK (method IN ('naver_pay', 'kakao_pay', 'bank_transfer')),
    CONSTRAINT payments_status_check CHECK (status IN ('completed', 'declined', 'refunded')),
    CONSTRAINT payments_amount_check CHECK (amount >= 0),
    CONSTRAINT payments_refunded_check CHECK ((status = 'refunded') = (refunded_at IS NOT NULL))
);
-- A reservation is paid at most once; declined attempts do not count.
CREATE UNIQUE INDEX payments_one_success_per_reservation ON payments (reservation_id) WHERE status <> 'declined';

-- Seat and stock changes to announce, written in the same transaction as the change.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    event_id     uuid NOT NULL,
    topic        text NOT NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
