-- Patient fees ("egenavgifter") and budgets per principal (issue 6). Kept in
-- step with the other engine's migration of the same name.
--
-- A fee charge is recorded once: its source key names the order line, the
-- fee and the due date (`fee:line:12:korttid-manad:2026-03-15`), and a unique
-- constraint refuses a second row for it, so recording a statement again
-- creates nothing twice. Charges are only ever inserted.

CREATE TABLE patient_fee_charges (
    id INTEGER PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    source_key TEXT NOT NULL CONSTRAINT patient_fee_charges_source_key UNIQUE,
    order_line_id BIGINT NOT NULL REFERENCES order_lines (id),
    fee_id TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT patient_fee_charges_kind_check CHECK (kind IN ('short_term', 'yearly', 'one_off')),
    due_on TEXT NOT NULL,
    fee_table TEXT NOT NULL,
    description TEXT NOT NULL,
    list_amount_ore BIGINT NOT NULL CONSTRAINT patient_fee_charges_list_check CHECK (list_amount_ore >= 0),
    amount_ore BIGINT NOT NULL,
    outcome TEXT NOT NULL CONSTRAINT patient_fee_charges_outcome_check CHECK (outcome IN ('charged', 'cap_reached', 'free_card', 'exempt_age')),
    recorded_at TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    CONSTRAINT patient_fee_charges_amount_check CHECK (amount_ore >= 0 AND amount_ore <= list_amount_ore)
);
CREATE INDEX patient_fee_charges_patient_idx ON patient_fee_charges (patient_id, due_on);

-- A principal's budget for a year ("budget per huvudman"), and its history.
CREATE TABLE principal_budgets (
    principal_id BIGINT NOT NULL REFERENCES principals (id),
    year INTEGER NOT NULL CONSTRAINT principal_budgets_year_check CHECK (year BETWEEN 2000 AND 2100),
    amount_ore BIGINT NOT NULL CONSTRAINT principal_budgets_amount_check CHECK (amount_ore >= 0),
    updated_at TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (principal_id, year)
);

CREATE TABLE principal_budget_events (
    id INTEGER PRIMARY KEY,
    principal_id BIGINT NOT NULL REFERENCES principals (id),
    year INTEGER NOT NULL,
    amount_ore BIGINT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_user_id BIGINT NOT NULL REFERENCES users (id)
);
