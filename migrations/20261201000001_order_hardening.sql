-- Hardening the order path (issue 12).

-- What a request asked for, so a reused Idempotency-Key with another body is refused
-- instead of replaying the first answer.
ALTER TABLE reservation_requests ADD COLUMN fingerprint text;

-- Per-fan purchase cap per event: seats and tickets across every live (pending or
-- confirmed) reservation of the fan. NULL = no cap beyond MAX_SEATS_PER_ORDER per order.
ALTER TABLE events ADD COLUMN max_tickets_per_fan integer
    CONSTRAINT events_max_tickets_per_fan_check CHECK (max_tickets_per_fan IS NULL OR max_tickets_per_fan BETWEEN 1 AND 1000);

-- Proof-of-work before joining the waiting room: the ALTCHA `maxnumber` (the solver's
-- expected work is half of it). NULL = no challenge.
ALTER TABLE events ADD COLUMN pow_difficulty integer
    CONSTRAINT events_pow_difficulty_check CHECK (pow_difficulty IS NULL OR pow_difficulty BETWEEN 1000 AND 10000000);
