-- Readiness (`/readyz`) writes one row here: a database that answers but
-- cannot commit (a full or read-only disk) is not ready.
CREATE TABLE readiness_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);
