-- Issue 22: when a patient moves during a loan (into special housing, back
-- home), the device's payer follows the setting history from that day. The
-- loan row keeps the payer decided at delivery (the first period); each later
-- period with another payer or rule is a row here, valid from its day until
-- the next period of the same loan. Kept in step with the PostgreSQL migration.
CREATE TABLE loan_payer_periods (
    id INTEGER PRIMARY KEY,
    loan_id BIGINT NOT NULL REFERENCES loans (id),
    valid_from TEXT NOT NULL,
    setting TEXT NOT NULL,
    payer TEXT NOT NULL CONSTRAINT loan_payer_periods_payer_check CHECK (payer IN ('region', 'municipality', 'patient')),
    customer_number_id BIGINT NOT NULL REFERENCES customer_numbers (id),
    rule_id TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    CONSTRAINT loan_payer_periods_day_key UNIQUE (loan_id, valid_from)
);
