-- Patient-fee invoices ("patientfakturor", issues 19 and 22). Kept in step
-- with the other engine's migration of the same name.
--
-- A month's run invoices each patient's recorded fee charges
-- (`patient_fee_charges`, migration 0008) once: the database refuses a
-- second invoice for a patient's month and a second line for a charge, so
-- two runs racing for the same month make one invoice per patient. An
-- invoice and its lines are only ever inserted; a charge is billed when a
-- line names it.

CREATE TABLE patient_invoice_counters (
    year INTEGER NOT NULL PRIMARY KEY,
    last_number BIGINT NOT NULL
);

CREATE TABLE patient_invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL CONSTRAINT patient_invoices_number_key UNIQUE,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    month TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    total_ore BIGINT NOT NULL CONSTRAINT patient_invoices_total_check CHECK (total_ore > 0),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    CONSTRAINT patient_invoices_one_per_month UNIQUE (patient_id, month),
    CONSTRAINT patient_invoices_due_check CHECK (due_date >= issue_date)
);
CREATE INDEX patient_invoices_month_idx ON patient_invoices (month, id);

CREATE TABLE patient_invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES patient_invoices (id),
    line_no INTEGER NOT NULL,
    charge_id BIGINT NOT NULL REFERENCES patient_fee_charges (id),
    amount_ore BIGINT NOT NULL CONSTRAINT patient_invoice_lines_amount_check CHECK (amount_ore >= 0),
    CONSTRAINT patient_invoice_lines_line_key UNIQUE (invoice_id, line_no),
    CONSTRAINT patient_invoice_lines_billed_once UNIQUE (charge_id)
);
