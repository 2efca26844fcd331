-- Issue 21: the expected reporting interval of a digital device model,
-- set by an administrator. A device is "silent" when its last report is
-- older than its model's interval, or, for a model without a row here,
-- than the default of the kind it reports (ramp_domain::alarm). Kept in
-- step with the other engine's migration of the same name.
CREATE TABLE digital_model_intervals (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id),
    -- One hour to 90 days, whole hours (the application refuses the rest with a 422).
    expected_interval_hours BIGINT NOT NULL
        CONSTRAINT digital_model_intervals_hours_check CHECK (expected_interval_hours BETWEEN 1 AND 2160),
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TEXT NOT NULL
);
