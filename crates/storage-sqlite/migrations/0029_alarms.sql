-- Issue 21: a patient's own limits per measured value, set by a prescriber
-- (without one, the clinical defaults of ramp_domain::measurement apply),
-- and the alarms raised when a measurement breaches them or a dose is
-- missed. An alarm is routed to the unit responsible for the device's
-- patient and escalated when nobody acknowledges it in time.
CREATE TABLE measurement_thresholds (
    id INTEGER PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    kind TEXT NOT NULL,
    value_name TEXT NOT NULL,
    low REAL,
    high REAL,
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TEXT NOT NULL,
    CONSTRAINT measurement_thresholds_key UNIQUE (patient_id, kind, value_name),
    CONSTRAINT measurement_thresholds_order_check CHECK (low IS NULL OR high IS NULL OR low < high)
);

CREATE TABLE alarms (
    id INTEGER PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    device_id BIGINT NOT NULL REFERENCES devices (id),
    -- One alarm per measurement at most.
    measurement_id BIGINT CONSTRAINT alarms_measurement_key UNIQUE REFERENCES measurements (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    reason TEXT NOT NULL CONSTRAINT alarms_reason_check CHECK (reason IN ('threshold', 'missed_dose')),
    -- What breached, e.g. "systolic 185 >= 180".
    detail TEXT NOT NULL,
    state TEXT NOT NULL CONSTRAINT alarms_state_check CHECK (state IN ('open', 'acknowledged', 'closed')),
    raised_at TEXT NOT NULL,
    escalated_at TEXT,
    escalated_to_unit_id BIGINT REFERENCES units (id),
    acknowledged_at TEXT,
    acknowledged_by BIGINT REFERENCES users (id),
    acknowledgement_note TEXT,
    closed_at TEXT,
    closed_by BIGINT REFERENCES users (id),
    CONSTRAINT alarms_acknowledged_check CHECK ((state = 'open') = (acknowledged_at IS NULL)),
    CONSTRAINT alarms_closed_check CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX alarms_unit_idx ON alarms (unit_id, state, id);
CREATE INDEX alarms_open_idx ON alarms (state, raised_at);
CREATE INDEX alarms_patient_idx ON alarms (patient_id, id);
