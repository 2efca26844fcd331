-- Issue 19: purchase orders to suppliers. A receipt may be registered
-- against one; its lines count what is received so far, which never
-- passes what was ordered (the check refuses it whatever the caller), and
-- the order is closed once every line is received in full. Kept in step
-- with the other engine's migration of the same name.
CREATE TABLE purchase_orders (
    id INTEGER PRIMARY KEY,
    supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    expected_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CONSTRAINT purchase_orders_status_check CHECK (status IN ('open', 'closed')),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX purchase_orders_open_idx ON purchase_orders (status, expected_on);

CREATE TABLE purchase_order_lines (
    purchase_order_id BIGINT NOT NULL REFERENCES purchase_orders (id),
    line_no INTEGER NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id),
    ordered INTEGER NOT NULL CONSTRAINT purchase_order_lines_ordered_check CHECK (ordered > 0),
    received INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT purchase_order_lines_received_check CHECK (received >= 0 AND received <= ordered),
    CONSTRAINT purchase_order_lines_article_key UNIQUE (purchase_order_id, article_id),
    PRIMARY KEY (purchase_order_id, line_no)
);

ALTER TABLE receipts ADD COLUMN purchase_order_id BIGINT REFERENCES purchase_orders (id);
