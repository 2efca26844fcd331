-- Audit-log review (issue 17, point 3). Kept in step with the other
-- engine's migration of the same name.
--
-- The reviewer ("logggranskare") is a role of its own.
-- SQLite cannot change a CHECK constraint, so user_roles is rebuilt (nothing
-- refers to it).
CREATE TABLE user_roles_new (
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CONSTRAINT user_roles_role_check CHECK (role IN (
        'prescriber', 'unit_orderer', 'personal_orderer_health', 'personal_orderer_social',
        'customer_service', 'warehouse', 'technician', 'consultant', 'finance', 'admin', 'audit_reviewer')),
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_new (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;

-- Each row names the unit its user acted for, written with the row (the
-- user's unit at the time), so a review by unit is one index walk. Rows
-- written before this migration get the user's unit of today.
ALTER TABLE audit_log ADD COLUMN unit_id BIGINT REFERENCES units (id);
UPDATE audit_log SET unit_id = (SELECT u.unit_id FROM users u WHERE u.id = audit_log.user_id);

-- The review pages newest first with keyset paging on (occurred_at, id):
-- one index per filter that narrows most (patient, user, unit, legal
-- ground, refusals), each ending in (occurred_at, id), and one on the
-- time alone for a review by period. A query repeats the refusal index's
-- condition word for word (`action LIKE '%.refused'`), which SQLite needs
-- to use a partial index.
DROP INDEX audit_log_patient_idx;
DROP INDEX audit_log_user_idx;
CREATE INDEX audit_log_patient_idx ON audit_log (patient_id, occurred_at, id);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, occurred_at, id);
CREATE INDEX audit_log_unit_idx ON audit_log (unit_id, occurred_at, id);
CREATE INDEX audit_log_reason_idx ON audit_log (reason, occurred_at, id);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at, id);
CREATE INDEX audit_log_refused_idx ON audit_log (occurred_at, id) WHERE action LIKE '%.refused';

-- Every emergency access is reviewed and signed off once, by a reviewer
-- who is not the one who declared it.
-- 0013 made an index on granted_at alone; the review pages by (granted_at, id).
DROP INDEX emergency_accesses_granted_idx;
CREATE INDEX emergency_accesses_granted_idx ON emergency_accesses (granted_at, id);
CREATE TABLE emergency_access_reviews (
    emergency_access_id BIGINT NOT NULL PRIMARY KEY REFERENCES emergency_accesses (id),
    reviewed_by BIGINT NOT NULL REFERENCES users (id),
    reviewed_at TEXT NOT NULL,
    verdict TEXT NOT NULL CONSTRAINT emergency_access_reviews_verdict_check CHECK (verdict IN ('justified', 'unjustified')),
    comment TEXT NOT NULL
);
