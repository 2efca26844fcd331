-- Issue 21: measurements reported by digital devices (HTTP or MQTT). The
-- device chooses the id (a UUID); the same id from the same device is
-- stored once, whichever channel or retry brings it again.
CREATE TABLE measurements (
    id INTEGER PRIMARY KEY,
    device_id BIGINT NOT NULL REFERENCES devices (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT measurements_kind_check CHECK (kind IN (
        'blood_pressure', 'weight', 'spo2', 'glucose', 'temperature', 'dose')),
    measured_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    channel TEXT NOT NULL CONSTRAINT measurements_channel_check CHECK (channel IN ('http', 'mqtt')),
    -- The validated values as a JSON object of numbers, e.g. {"systolic":128,"diastolic":82}.
    values_json TEXT NOT NULL,
    CONSTRAINT measurements_device_client_key UNIQUE (device_id, client_id)
);
CREATE INDEX measurements_patient_idx ON measurements (patient_id, measured_at);
