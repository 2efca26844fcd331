-- Issue 21: a digital device that stops reporting for longer than its
-- expected interval raises a "silent device" alarm (reason 'silent', no
-- measurement). Kept in step with the other engine's migration of the
-- same name.
--
-- SQLite cannot alter a CHECK constraint, so "alarms" is rebuilt under its
-- own name with the same rows and ids (as 0026 rebuilt "articles"). No
-- table refers to alarms and it has no triggers; its foreign keys are
-- deferred to the commit all the same.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE alarms_copy AS SELECT * FROM alarms;
DROP TABLE alarms;
CREATE TABLE alarms (
    id INTEGER PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    device_id BIGINT NOT NULL REFERENCES devices (id),
    -- One alarm per measurement at most; none for a silent device.
    measurement_id BIGINT CONSTRAINT alarms_measurement_key UNIQUE REFERENCES measurements (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    reason TEXT NOT NULL CONSTRAINT alarms_reason_check CHECK (reason IN ('threshold', 'missed_dose', 'silent')),
    -- What breached, e.g. "systolic 185 >= 180"; for a silent device the
    -- expected interval, e.g. "silent 24 h".
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
    CONSTRAINT alarms_closed_check CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
    CONSTRAINT alarms_silent_check CHECK ((reason = 'silent') = (measurement_id IS NULL))
);
INSERT INTO alarms (id, patient_id, device_id, measurement_id, unit_id, reason, detail, state, raised_at,
    escalated_at, escalated_to_unit_id, acknowledged_at, acknowledged_by, acknowledgement_note, closed_at, closed_by)
SELECT id, patient_id, device_id, measurement_id, unit_id, reason, detail, state, raised_at,
    escalated_at, escalated_to_unit_id, acknowledged_at, acknowledged_by, acknowledgement_note, closed_at, closed_by
FROM alarms_copy;
DROP TABLE alarms_copy;
CREATE INDEX alarms_unit_idx ON alarms (unit_id, state, id);
CREATE INDEX alarms_open_idx ON alarms (state, raised_at);
CREATE INDEX alarms_patient_idx ON alarms (patient_id, id);

-- At most one silent-device alarm per device that is not closed: the sweep
-- may run twice (or in two processes) and still raise it once.
CREATE UNIQUE INDEX alarms_one_silent ON alarms (device_id) WHERE reason = 'silent' AND state <> 'closed';

-- The sweep looks up each device's latest report.
CREATE INDEX measurements_device_received_idx ON measurements (device_id, received_at);
