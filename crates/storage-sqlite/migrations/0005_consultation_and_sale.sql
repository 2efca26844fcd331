-- Consultation booking and the sale of surplus used basic equipment
-- (issue 5). Kept in step with the other engine's migration of the same
-- name; the one difference is how the devices' state list learns 'sold'.
--
-- A slot is booked at most once and a consultation has at most one booking
-- in force: partial unique indexes, not only code. A cancelled booking
-- stays as history (cancelled_at set), so the slot can be booked again.
-- Confirmation messages are written to the outbox in the booking's own
-- transaction; a dispatcher sends them and sets sent_at.

-- A sold device leaves the fleet in its own end state, 'sold' (not
-- 'scrapped': scrapping figures must not count sales). SQLite cannot alter
-- a CHECK constraint, and rebuilding `devices` would have to repeat every
-- column other migrations add and re-point the foreign keys of every table
-- that references it. Widening an IN list loosens the constraint, which
-- SQLite documents as safe to do by editing the stored schema text
-- (lang_altertable.html, "other kinds of table schema changes"); RESET
-- makes this connection re-read the schema, and the CREATE TABLEs below
-- change the schema cookie so every other connection re-reads it too.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''scrapped'', ''lost'')', '''scrapped'', ''lost'', ''sold'')')
 WHERE type = 'table' AND name = 'devices';
PRAGMA writable_schema = RESET;
-- Fails the migration if the state list did not read as expected.
CREATE TABLE consult_migration_guard (ok INTEGER NOT NULL CHECK (ok = 1));
INSERT INTO consult_migration_guard SELECT instr(sql, '''sold''') > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'devices';
DROP TABLE consult_migration_guard;

-- Until when the supplier keeps spare parts: a surplus device is sold only while they last.
ALTER TABLE articles ADD COLUMN spare_parts_until TEXT;

-- The service products a consultant offers ("tjänsteprodukt").
CREATE TABLE consultation_services (
    code TEXT NOT NULL PRIMARY KEY,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL
);
INSERT INTO consultation_services (code, name_sv, name_en) VALUES
    ('expectation_call', 'Förväntningssamtal', 'Expectation call'),
    ('consultation', 'Konsultation', 'Consultation');

-- Where a consultation takes place (a room at the centre, a video meeting).
CREATE TABLE consultation_locations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CONSTRAINT consultation_locations_name_key UNIQUE
);

CREATE TABLE consultation_slots (
    id INTEGER PRIMARY KEY,
    consultant_id BIGINT NOT NULL REFERENCES users (id),
    location_id BIGINT NOT NULL REFERENCES consultation_locations (id),
    service_code TEXT NOT NULL REFERENCES consultation_services (code),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    withdrawn_at TEXT,
    CONSTRAINT consultation_slots_period_check CHECK (ends_at > starts_at),
    CONSTRAINT consultation_slots_consultant_start_key UNIQUE (consultant_id, starts_at)
);
CREATE INDEX consultation_slots_service_idx ON consultation_slots (service_code, starts_at);

-- A prescriber's consultation activity for a patient. While `open` it must
-- get a booking before booking_deadline, or it closes by itself.
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    prescriber_id BIGINT NOT NULL REFERENCES users (id),
    unit_id BIGINT REFERENCES units (id),
    service_code TEXT NOT NULL REFERENCES consultation_services (code),
    question TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT consultations_status_check CHECK (status IN ('open', 'booked', 'closed_unbooked')),
    created_at TEXT NOT NULL,
    booking_deadline TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX consultations_open_idx ON consultations (status, booking_deadline);
CREATE INDEX consultations_prescriber_idx ON consultations (prescriber_id, id);

CREATE TABLE consultation_bookings (
    id INTEGER PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    slot_id BIGINT NOT NULL REFERENCES consultation_slots (id),
    booked_by BIGINT NOT NULL REFERENCES users (id),
    booked_at TEXT NOT NULL,
    cancelled_by BIGINT REFERENCES users (id),
    cancelled_at TEXT,
    CONSTRAINT consultation_bookings_cancel_check CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL))
);
CREATE UNIQUE INDEX consultation_bookings_one_per_slot ON consultation_bookings (slot_id) WHERE cancelled_at IS NULL;
CREATE UNIQUE INDEX consultation_bookings_one_per_consultation ON consultation_bookings (consultation_id) WHERE cancelled_at IS NULL;

CREATE TABLE consultation_events (
    id INTEGER PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT consultation_events_kind_check CHECK (kind IN (
        'created', 'booked', 'cancelled', 'rebooked', 'closed_unbooked')),
    booking_id BIGINT REFERENCES consultation_bookings (id),
    actor_user_id BIGINT REFERENCES users (id)
);
CREATE INDEX consultation_events_consultation_idx ON consultation_events (consultation_id, id);

-- Messages waiting to be sent. `recipient` is a Ramp username; the
-- dispatcher maps it to an address and sets sent_at.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    consultation_id BIGINT REFERENCES consultations (id)
);
CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_consultation_idx ON outbox (consultation_id);

-- A surplus device of earlier assortment sold to a municipality as basic
-- equipment at 30 % of its purchase price. One sale per device.
CREATE TABLE surplus_sales (
    id INTEGER PRIMARY KEY,
    device_id BIGINT NOT NULL CONSTRAINT surplus_sales_device_key UNIQUE REFERENCES devices (id),
    buyer_principal_id BIGINT NOT NULL REFERENCES principals (id),
    customer_number_id BIGINT NOT NULL REFERENCES customer_numbers (id),
    purchase_price_ore BIGINT NOT NULL,
    price_ore BIGINT NOT NULL CONSTRAINT surplus_sales_price_check CHECK (price_ore >= 0),
    sold_by BIGINT NOT NULL REFERENCES users (id),
    sold_at TEXT NOT NULL,
    sold_on TEXT NOT NULL,
    complaint_deadline TEXT NOT NULL,
    spare_parts_until TEXT NOT NULL
);
CREATE INDEX surplus_sales_buyer_idx ON surplus_sales (buyer_principal_id, id);

-- A complaint ("reklamation"), accepted only on or before the sale's complaint deadline.
CREATE TABLE surplus_complaints (
    id INTEGER PRIMARY KEY,
    sale_id BIGINT NOT NULL REFERENCES surplus_sales (id),
    registered_by BIGINT NOT NULL REFERENCES users (id),
    registered_at TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    description TEXT NOT NULL
);
CREATE INDEX surplus_complaints_sale_idx ON surplus_complaints (sale_id);
