-- Confirmation e-mails through an outbox (issue 17, item 4).

-- The language a fan's e-mails are written in: chosen at sign-up (explicitly or from the
-- browser's Accept-Language) and changeable; Korean unless said otherwise.
CREATE TYPE user_locale AS ENUM ('ko', 'en');
ALTER TABLE users ADD COLUMN locale user_locale NOT NULL DEFAULT 'ko';

CREATE TYPE mail_kind AS ENUM ('booking_confirmed', 'hold_expiring', 'reservation_cancelled', 'event_cancelled');
-- pending → sending (claimed under a lease) → sent | failed; skipped when the mail no longer
-- applies at send time (a hold reminder for a hold that was paid or ended meanwhile).
CREATE TYPE mail_status AS ENUM ('pending', 'sending', 'sent', 'failed', 'skipped');

-- One row per e-mail, inserted in the same transaction as the change it announces. What it
-- says is read when it is sent (the reservation, its event and the fan's language), so the
-- row carries only what the mail is about.
CREATE TABLE mail_outbox (
    -- Also the e-mail's Message-ID, so a resend after a crash is recognisably the same mail.
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            mail_kind NOT NULL,
    reservation_id  uuid NOT NULL REFERENCES reservations (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    status          mail_status NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- The sender that claimed the row and until when; another sender takes it over only
    -- after the lease ran out, and the first one's late outcome is then ignored.
    claim_id        uuid,
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    -- Every kind of mail goes once per reservation, whatever retried the change.
    CONSTRAINT mail_outbox_once_key UNIQUE (reservation_id, kind),
    CONSTRAINT mail_outbox_lease_check CHECK ((status = 'sending') = (claim_id IS NOT NULL AND lease_until IS NOT NULL)),
    CONSTRAINT mail_outbox_sent_check CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CONSTRAINT mail_outbox_attempts_check CHECK (attempts >= 0),
    CONSTRAINT mail_outbox_error_check CHECK (last_error IS NULL OR char_length(last_error) <= 1000)
);
-- What the senders claim: due pending rows and sending rows whose lease ran out.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX mail_outbox_user_idx ON mail_outbox (user_id);
