-- Administration (issue 17): units that can be deactivated, competences
-- valid for a period, and admin_audit — every administrative change (and
-- every refused attempt), who made it, when, and the row before and after
-- as JSON. Append-only, like audit_log. A NULL actor is the system: the
-- bootstrap command or the inactivity job. API tokens are revoked through
-- api_tokens.revoked_at (0001). Kept in step with the other engine's
-- migration of the same name (CI compares the trees).

ALTER TABLE units ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;

ALTER TABLE user_competences ADD COLUMN valid_from TEXT;
ALTER TABLE user_competences ADD COLUMN valid_to TEXT
    CONSTRAINT user_competences_period_check CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from);

CREATE TABLE admin_audit (
    id INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    entity TEXT NOT NULL CONSTRAINT admin_audit_entity_check CHECK (entity IN (
        'principal', 'customer_number', 'unit', 'user', 'api_token', 'article', 'product_area')),
    entity_id BIGINT,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL CONSTRAINT admin_audit_outcome_check CHECK (outcome IN ('done', 'refused')),
    before_json TEXT,
    after_json TEXT,
    request_id TEXT
);
CREATE INDEX admin_audit_entity_idx ON admin_audit (entity, entity_id, id);
CREATE INDEX admin_audit_actor_idx ON admin_audit (actor_user_id, id);
CREATE INDEX admin_audit_occurred_idx ON admin_audit (occurred_at);

-- The inactivity job's walk: active accounts by when they were last used.
CREATE INDEX users_active_last_used_idx ON users (active, last_login_at, created_at);
