-- The ordering portal: carts with expiring reservations, orders with their
-- lines and events, replacement-chain answers, pickup orders, fault and
-- lost reports. Kept in step with the other engine's migration of the same
-- name. Double lending is refused here, not only in code: a device sits in
-- at most one cart item and one open order line (unique indexes), and in at
-- most one open loan (0001).

ALTER TABLE devices ADD COLUMN reserved_until TEXT;
ALTER TABLE devices ADD COLUMN reserved_by BIGINT REFERENCES users (id);
CREATE INDEX devices_reserved_until_idx ON devices (reserved_until) WHERE state = 'reserved';
-- The replacement chain hands out the oldest device first.
CREATE INDEX devices_pick_idx ON devices (article_id, state, purchase_date, id);

-- Which main devices an accessory belongs to (flagged when the main device is substituted).
CREATE TABLE accessory_fits (
    accessory_article_id BIGINT NOT NULL REFERENCES articles (id),
    main_article_id BIGINT NOT NULL REFERENCES articles (id),
    PRIMARY KEY (accessory_article_id, main_article_id)
);
CREATE INDEX accessory_fits_main_idx ON accessory_fits (main_article_id);

CREATE TABLE cart_items (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    target TEXT NOT NULL CONSTRAINT cart_items_target_check CHECK (target IN ('patient', 'unit', 'buffer')),
    patient_id BIGINT REFERENCES patients (id),
    unit_id BIGINT REFERENCES units (id),
    article_id BIGINT NOT NULL REFERENCES articles (id),
    requested_article_id BIGINT NOT NULL REFERENCES articles (id),
    substitution TEXT NOT NULL CONSTRAINT cart_items_substitution_check CHECK (substitution IN ('none', 'automatic', 'accepted', 'declined')),
    device_id BIGINT REFERENCES devices (id),
    quantity INTEGER NOT NULL CONSTRAINT cart_items_quantity_check CHECK (quantity > 0),
    need TEXT,
    facts TEXT NOT NULL,
    created_at TEXT NOT NULL,
    reserved_until TEXT NOT NULL,
    CONSTRAINT cart_items_holder_check CHECK ((target = 'patient') = (patient_id IS NOT NULL) AND (target = 'patient') <> (unit_id IS NOT NULL))
);
CREATE UNIQUE INDEX cart_items_device_key ON cart_items (device_id);
CREATE INDEX cart_items_user_idx ON cart_items (user_id, id);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL CONSTRAINT orders_target_check CHECK (target IN ('patient', 'unit', 'buffer')),
    patient_id BIGINT REFERENCES patients (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CONSTRAINT orders_status_check CHECK (status IN ('registered', 'picked', 'out_for_delivery', 'delivered', 'cancelled')),
    goal TEXT,
    evaluation_date TEXT,
    end_date TEXT,
    idempotency_key TEXT,
    request_hash TEXT,
    received_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT orders_idempotency_key UNIQUE (created_by, idempotency_key),
    CONSTRAINT orders_patient_check CHECK ((target = 'patient') = (patient_id IS NOT NULL))
);
CREATE INDEX orders_patient_idx ON orders (patient_id, id);
CREATE INDEX orders_created_by_idx ON orders (created_by, id);
CREATE INDEX orders_status_idx ON orders (status, id);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    line_no INTEGER NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id),
    requested_article_id BIGINT NOT NULL REFERENCES articles (id),
    substitution TEXT NOT NULL CONSTRAINT order_lines_substitution_check CHECK (substitution IN ('none', 'automatic', 'accepted', 'declined')),
    device_id BIGINT REFERENCES devices (id),
    quantity INTEGER NOT NULL CONSTRAINT order_lines_quantity_check CHECK (quantity > 0),
    need TEXT,
    payer TEXT NOT NULL CONSTRAINT order_lines_payer_check CHECK (payer IN ('region', 'municipality', 'patient')),
    customer_number_id BIGINT NOT NULL REFERENCES customer_numbers (id),
    rule_id TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    explanation_sv TEXT NOT NULL,
    explanation_en TEXT NOT NULL,
    trust_prescription BOOLEAN NOT NULL,
    lead_time_class TEXT NOT NULL,
    promised_date TEXT NOT NULL,
    state TEXT NOT NULL CONSTRAINT order_lines_state_check CHECK (state IN ('open', 'delivered', 'cancelled')),
    delivered_at TEXT,
    CONSTRAINT order_lines_line_key UNIQUE (order_id, line_no)
);
CREATE UNIQUE INDEX order_lines_one_open_per_device ON order_lines (device_id) WHERE state = 'open';

CREATE TABLE order_events (
    id INTEGER PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    occurred_at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_user_id BIGINT NOT NULL REFERENCES users (id),
    note TEXT
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

-- Every replacement-chain proposal and its answer: the acceptance follow-up figure.
CREATE TABLE replacement_answers (
    id INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    group_id BIGINT NOT NULL REFERENCES replacement_groups (id),
    requested_article_id BIGINT NOT NULL REFERENCES articles (id),
    proposed_article_id BIGINT NOT NULL REFERENCES articles (id),
    answer TEXT NOT NULL CONSTRAINT replacement_answers_answer_check CHECK (answer IN ('automatic', 'accepted', 'declined'))
);
CREATE INDEX replacement_answers_time_idx ON replacement_answers (occurred_at);

CREATE TABLE pickup_orders (
    id INTEGER PRIMARY KEY,
    device_id BIGINT NOT NULL REFERENCES devices (id),
    patient_id BIGINT REFERENCES patients (id),
    unit_id BIGINT REFERENCES units (id),
    registered_by BIGINT NOT NULL REFERENCES users (id),
    registered_at TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    rent_end_date TEXT NOT NULL,
    deregistration_due TEXT NOT NULL,
    status TEXT NOT NULL CONSTRAINT pickup_orders_status_check CHECK (status IN ('open', 'collected', 'cancelled')),
    note TEXT
);
CREATE UNIQUE INDEX pickup_orders_one_open_per_device ON pickup_orders (device_id) WHERE status = 'open';

CREATE TABLE work_orders (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CONSTRAINT work_orders_kind_check CHECK (kind IN (
        'repair', 'maintenance', 'reconditioning', 'special_adaptation', 'recall', 'consultation')),
    device_id BIGINT REFERENCES devices (id),
    patient_id BIGINT REFERENCES patients (id),
    status TEXT NOT NULL CONSTRAINT work_orders_status_check CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
    description TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX work_orders_status_idx ON work_orders (status, kind, id);
CREATE INDEX work_orders_device_idx ON work_orders (device_id);

CREATE TABLE lost_reports (
    id INTEGER PRIMARY KEY,
    device_id BIGINT NOT NULL CONSTRAINT lost_reports_device_key UNIQUE REFERENCES devices (id),
    patient_id BIGINT REFERENCES patients (id),
    unit_id BIGINT REFERENCES units (id),
    customer_number_id BIGINT NOT NULL REFERENCES customer_numbers (id),
    reported_by BIGINT NOT NULL REFERENCES users (id),
    reported_at TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    circumstances TEXT NOT NULL
);
