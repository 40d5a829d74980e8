-- The price of each grade (a layout section) of a reserved-seating event. The layout gives
-- the defaults when the event is made; the organizer may set other prices per event. Each
-- seat keeps the price it sells at, written in the same transaction as its grade's, so
-- holds and payments read one number; this table is what lists and forms show per grade.
CREATE TABLE event_grade_prices (
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    grade    text NOT NULL,
    price    bigint NOT NULL,
    PRIMARY KEY (event_id, grade),
    CONSTRAINT event_grade_prices_price_check CHECK (price > 0)
);

-- Events made before take their seats' prices.
INSERT INTO event_grade_prices (event_id, grade, price)
SELECT event_id, section, MIN(price) FROM seats GROUP BY event_id, section;
