-- Readiness (`/readyz`) writes one row here: a database that answers but
-- cannot commit (a full disk, a read-only standby) is not ready.
CREATE TABLE readiness_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TIMESTAMPTZ NOT NULL
);
