-- Billing (issue 6): who a principal is on an invoice, the centre's price
-- list, invoice runs, invoices and credit notes with their lines. Kept in
-- step with the other engine's migration of the same name.
--
-- An invoice, once created, is never updated: a correction is a credit note
-- referencing it, after which the next run may invoice the customer number's
-- month again under the next revision. The database, not only the code,
-- refuses to invoice twice: one current invoice per customer number, month
-- and revision, and each billable event (source_key) once per revision.

ALTER TABLE principals ADD COLUMN organisation_number TEXT;
ALTER TABLE principals ADD COLUMN vat_number TEXT;
ALTER TABLE principals ADD COLUMN street TEXT;
ALTER TABLE principals ADD COLUMN postal_code TEXT;
ALTER TABLE principals ADD COLUMN city TEXT;
ALTER TABLE principals ADD COLUMN peppol_id TEXT;
ALTER TABLE principals ADD COLUMN invoice_email TEXT;

-- What the centre charges for a service ('acute_delivery_fee', 'work_order.repair', ...).
-- A service without a row here is not billed.
CREATE TABLE billing_prices (
    code TEXT NOT NULL PRIMARY KEY,
    amount_ore BIGINT NOT NULL CONSTRAINT billing_prices_amount_check CHECK (amount_ore >= 0),
    unit TEXT NOT NULL CONSTRAINT billing_prices_unit_check CHECK (unit IN ('each', 'hour')),
    description TEXT NOT NULL
);

-- Sequential invoice numbers per year, without gaps: taken in the invoice's own transaction.
CREATE TABLE invoice_counters (
    year INTEGER NOT NULL PRIMARY KEY,
    last_number BIGINT NOT NULL
);

CREATE TABLE invoice_runs (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL,
    started_by BIGINT NOT NULL REFERENCES users (id),
    started_at TEXT NOT NULL
);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL CONSTRAINT invoices_number_key UNIQUE,
    kind TEXT NOT NULL CONSTRAINT invoices_kind_check CHECK (kind IN ('invoice', 'credit_note')),
    month TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    customer_number_id BIGINT NOT NULL REFERENCES customer_numbers (id),
    principal_id BIGINT NOT NULL REFERENCES principals (id),
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    total_ore BIGINT NOT NULL,
    credited_invoice_id BIGINT REFERENCES invoices (id),
    reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    run_id BIGINT REFERENCES invoice_runs (id),
    CONSTRAINT invoices_credit_check CHECK ((kind = 'credit_note') = (credited_invoice_id IS NOT NULL))
);
CREATE UNIQUE INDEX invoices_one_per_customer_month ON invoices (customer_number_id, month, revision) WHERE kind = 'invoice';
CREATE UNIQUE INDEX invoices_one_credit_note_per_invoice ON invoices (credited_invoice_id) WHERE kind = 'credit_note';
CREATE INDEX invoices_month_idx ON invoices (month, customer_number_id);

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    -- The invoice's kind and revision, repeated so one index can bill each event once.
    invoice_kind TEXT NOT NULL CONSTRAINT invoice_lines_invoice_kind_check CHECK (invoice_kind IN ('invoice', 'credit_note')),
    revision INTEGER NOT NULL DEFAULT 0,
    line_no INTEGER NOT NULL,
    kind TEXT NOT NULL CONSTRAINT invoice_lines_kind_check CHECK (kind IN (
        'rent', 'sale', 'service', 'acute_fee', 'lost_device', 'reinvoice')),
    source_key TEXT NOT NULL,
    device_id BIGINT REFERENCES devices (id),
    article_id BIGINT REFERENCES articles (id),
    patient_id BIGINT REFERENCES patients (id),
    description TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price_ore BIGINT NOT NULL,
    amount_ore BIGINT NOT NULL,
    period_from TEXT,
    period_to TEXT,
    computation TEXT NOT NULL,
    credited_line_id BIGINT REFERENCES invoice_lines (id),
    CONSTRAINT invoice_lines_line_key UNIQUE (invoice_id, line_no)
);
CREATE UNIQUE INDEX invoice_lines_billed_once ON invoice_lines (source_key, revision) WHERE invoice_kind = 'invoice';

-- An invoice's history: created, credited. Appended, never rewritten.
CREATE TABLE invoice_events (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices (id),
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT invoice_events_kind_check CHECK (kind IN ('created', 'credited')),
    actor_user_id BIGINT NOT NULL REFERENCES users (id),
    note TEXT
);
CREATE INDEX invoice_events_invoice_idx ON invoice_events (invoice_id, id);

-- A month's sales and acute deliveries: delivered lines by instant.
CREATE INDEX order_lines_delivered_at_idx ON order_lines (delivered_at) WHERE state = 'delivered';
