-- The assistive-device centre's side: receipts of new devices and
-- consumables, the technicians' work orders with time and parts, special
-- adaptations signed by the prescriber, safety notices with their recall
-- work orders, and what blocks a device from going out. Kept in step with
-- the other engine's migration of the same name.

-- What blocks a device from going out is computed, never stored: an open
-- recall work order or an unsigned adaptation document (see sql_supply.rs).
ALTER TABLE devices ADD COLUMN special_adapted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE devices ADD COLUMN ce_marking_void BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE units ADD COLUMN delivery_route TEXT;

CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    reference TEXT NOT NULL,
    received_by BIGINT NOT NULL REFERENCES users (id),
    received_at TEXT NOT NULL
);

CREATE TABLE receipt_lines (
    id INTEGER PRIMARY KEY,
    receipt_id BIGINT NOT NULL REFERENCES receipts (id),
    article_id BIGINT NOT NULL REFERENCES articles (id),
    device_id BIGINT REFERENCES devices (id),
    quantity INTEGER NOT NULL CONSTRAINT receipt_lines_quantity_check CHECK (quantity > 0),
    unit_price_ore BIGINT NOT NULL CONSTRAINT receipt_lines_price_check CHECK (unit_price_ore >= 0)
);
CREATE INDEX receipt_lines_receipt_idx ON receipt_lines (receipt_id);

-- Consumables are counted, not tracked one by one.
CREATE TABLE consumable_stock (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    article_id BIGINT NOT NULL REFERENCES articles (id),
    quantity INTEGER NOT NULL CONSTRAINT consumable_stock_quantity_check CHECK (quantity >= 0),
    PRIMARY KEY (warehouse_id, article_id)
);

CREATE TABLE safety_notices (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL CONSTRAINT safety_notices_reference_key UNIQUE,
    title TEXT NOT NULL,
    registered_by BIGINT NOT NULL REFERENCES users (id),
    registered_at TEXT NOT NULL
);

CREATE TABLE safety_notice_articles (
    safety_notice_id BIGINT NOT NULL REFERENCES safety_notices (id),
    article_id BIGINT NOT NULL REFERENCES articles (id),
    PRIMARY KEY (safety_notice_id, article_id)
);

ALTER TABLE work_orders ADD COLUMN assigned_to BIGINT REFERENCES users (id);
ALTER TABLE work_orders ADD COLUMN started_at TEXT;
ALTER TABLE work_orders ADD COLUMN finished_at TEXT;
ALTER TABLE work_orders ADD COLUMN outcome TEXT;
ALTER TABLE work_orders ADD COLUMN safety_notice_id BIGINT REFERENCES safety_notices (id);
CREATE INDEX work_orders_notice_idx ON work_orders (safety_notice_id);
-- One recall per device and notice.
CREATE UNIQUE INDEX work_orders_one_recall_per_device ON work_orders (safety_notice_id, device_id) WHERE safety_notice_id IS NOT NULL;

-- Time and parts recorded on a work order.
CREATE TABLE work_order_entries (
    id INTEGER PRIMARY KEY,
    work_order_id BIGINT NOT NULL REFERENCES work_orders (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    occurred_at TEXT NOT NULL,
    minutes INTEGER NOT NULL CONSTRAINT work_order_entries_minutes_check CHECK (minutes >= 0),
    part_article_id BIGINT REFERENCES articles (id),
    part_quantity INTEGER CONSTRAINT work_order_entries_part_check CHECK (part_quantity IS NULL OR part_quantity > 0),
    note TEXT
);
CREATE INDEX work_order_entries_order_idx ON work_order_entries (work_order_id);

-- A special adaptation's document, signed by the prescriber within its validity.
CREATE TABLE adaptation_documents (
    id INTEGER PRIMARY KEY,
    work_order_id BIGINT NOT NULL REFERENCES work_orders (id),
    device_id BIGINT NOT NULL REFERENCES devices (id),
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    signed_by BIGINT REFERENCES users (id),
    signed_at TEXT
);
CREATE INDEX adaptation_documents_device_idx ON adaptation_documents (device_id);
