-- Issue 21 (M10): digital assistive devices report measurements. Which
-- articles are digital is catalog data, set per product area: its agreement
-- area is 'digital' (0026; seed 003's "digitala hjälpmedel"). The demo's
-- area "digital" holds blood-pressure monitors, scales, medication
-- dispensers and pulse oximeters.

-- A device's secret for reporting (HTTP Bearer, MQTT password). Only its
-- SHA-256 is stored, as for API tokens; a device has at most one live
-- credential (issuing a new one revokes the old in the same transaction).
CREATE TABLE device_credentials (
    id INTEGER PRIMARY KEY,
    device_id BIGINT NOT NULL REFERENCES devices (id),
    secret_hash TEXT NOT NULL CONSTRAINT device_credentials_secret_hash_key UNIQUE,
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    revoked_at TEXT
);
CREATE UNIQUE INDEX device_credentials_one_live ON device_credentials (device_id) WHERE revoked_at IS NULL;

-- The unit responsible for a lent device is the ordering unit of its last
-- delivery: looked up by device.
CREATE INDEX order_lines_device_idx ON order_lines (device_id);
