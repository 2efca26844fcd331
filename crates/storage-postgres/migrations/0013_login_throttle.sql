-- Issue 17, the findings: login throttling, emergency access with a
-- category, unguessable adaptation-document ids, the order creator's legal
-- ground in the audit log, API tokens listed per user. Kept in step with
-- the other engine's migration of the same name (CI compares the trees).

-- Failed logins per subject: `account:<username>` or `address:<client ip>`.
-- The wait before the next try is computed from `failures` and
-- `last_failure_at` (ramp_domain::throttle); a quiet day starts afresh.
CREATE TABLE login_throttle (
    subject TEXT NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL CONSTRAINT login_throttle_failures_check CHECK (failures > 0),
    last_failure_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at);

-- Why emergency access was declared, from a fixed list (rows before this
-- migration are `other`); the review lists them by when they were granted.
ALTER TABLE emergency_accesses ADD COLUMN category TEXT NOT NULL DEFAULT 'other'
    CONSTRAINT emergency_accesses_category_check CHECK (category IN (
        'urgent_care', 'unregistered_care_relationship', 'device_safety', 'other'));
CREATE INDEX emergency_accesses_granted_idx ON emergency_accesses (granted_at);

-- An adaptation document is addressed by a random public id, never by its
-- sequential row id.
ALTER TABLE adaptation_documents ADD COLUMN public_id TEXT;
UPDATE adaptation_documents SET public_id = replace(gen_random_uuid()::text, '-', '');
ALTER TABLE adaptation_documents ALTER COLUMN public_id SET NOT NULL;
CREATE UNIQUE INDEX adaptation_documents_public_id_key ON adaptation_documents (public_id);

CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- A new legal ground in the audit log: `order_creator` (the user placed
-- the order they read).
ALTER TABLE audit_log DROP CONSTRAINT audit_log_reason_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_reason_check CHECK (reason IN (
    'care_relationship', 'emergency_access', 'hmc_role', 'order_creator', 'none'));
