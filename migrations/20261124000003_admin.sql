-- What organizers need: an audit log written in the same transaction as every admin change,
-- the reason an event was cancelled, a venue on layouts, and the indexes the admin lists
-- and the dashboard read by.

-- One row per admin write. `changes` maps each changed field to {"before", "after"} as the
-- API shows them (instants in the entity's zone), so an entry reads like the request did.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    actor_id    uuid NOT NULL REFERENCES users (id),
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   uuid NOT NULL,
    changes     jsonb NOT NULL DEFAULT '{}'::jsonb,
    at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_action_check CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    CONSTRAINT audit_log_entity_type_check CHECK (entity_type IN ('event', 'layout')),
    CONSTRAINT audit_log_changes_check CHECK (jsonb_typeof(changes) = 'object')
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);

ALTER TABLE events ADD COLUMN cancel_reason text;
ALTER TABLE events ADD CONSTRAINT events_cancel_reason_check
    CHECK (cancel_reason IS NULL OR char_length(cancel_reason) <= 500);

ALTER TABLE seat_layouts ADD COLUMN venue text NOT NULL DEFAULT '';
ALTER TABLE seat_layouts ADD CONSTRAINT seat_layouts_name_check CHECK (char_length(btrim(name)) BETWEEN 1 AND 100);

-- The admin reservation list pages by creation time, newest first.
CREATE INDEX reservations_created_idx ON reservations (created_at DESC, id DESC);
-- Revenue today reads completed payments by time.
CREATE INDEX payments_completed_created_idx ON payments (created_at) WHERE status = 'completed';
