-- What the queue pipeline needs: every request's outcome recorded in the same transaction
-- that decided it (so a redelivered command gets the same answer on any instance), a flag
-- for the one-minute hold warning, and a deferrable seat→reservation key so the worker can
-- take seats before it knows the reservation's total.

CREATE TABLE reservation_requests (
    request_id     uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id),
    event_id       uuid NOT NULL REFERENCES events (id),
    outcome        text NOT NULL,
    code           text,
    details        jsonb,
    reservation_id uuid REFERENCES reservations (id),
    decided_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reservation_requests_outcome_check CHECK (outcome IN ('reserved', 'rejected')),
    CONSTRAINT reservation_requests_reserved_check CHECK ((outcome = 'reserved') = (reservation_id IS NOT NULL)),
    CONSTRAINT reservation_requests_rejected_check CHECK ((outcome = 'rejected') = (code IS NOT NULL))
);
CREATE INDEX reservation_requests_decided_idx ON reservation_requests (decided_at);

ALTER TABLE reservations ADD COLUMN expiry_warned boolean NOT NULL DEFAULT false;

ALTER TABLE seats DROP CONSTRAINT seats_reservation_id_fkey;
ALTER TABLE seats ADD CONSTRAINT seats_reservation_id_fkey FOREIGN KEY (reservation_id)
    REFERENCES reservations (id) DEFERRABLE INITIALLY DEFERRED;

CREATE INDEX payments_reservation_idx ON payments (reservation_id);
CREATE INDEX outbox_created_idx ON outbox (created_at);
