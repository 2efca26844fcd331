-- The foundation schema: organisations, people, catalog, devices with their
-- append-only history, and the audit log. Kept in step with the other
-- engine's migration of the same name (CI compares the trees).

CREATE TABLE principals (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL CONSTRAINT principals_code_key UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT principals_kind_check CHECK (kind IN ('region', 'municipality')),
    municipality_code TEXT
);

CREATE TABLE customer_numbers (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL CONSTRAINT customer_numbers_number_key UNIQUE,
    principal_id BIGINT NOT NULL REFERENCES principals (id),
    name TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    principal_id BIGINT NOT NULL REFERENCES principals (id),
    hsa_id TEXT NOT NULL CONSTRAINT units_hsa_id_key UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    customer_number_id BIGINT NOT NULL REFERENCES customer_numbers (id)
);
CREATE INDEX units_principal_idx ON units (principal_id);

CREATE TABLE warehouses (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL CONSTRAINT warehouses_code_key UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT warehouses_kind_check CHECK (kind IN ('central', 'buffer')),
    unit_id BIGINT REFERENCES units (id),
    CONSTRAINT warehouses_buffer_has_unit CHECK ((kind = 'buffer') = (unit_id IS NOT NULL))
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL CONSTRAINT users_username_key UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    principal_id BIGINT NOT NULL REFERENCES principals (id),
    unit_id BIGINT REFERENCES units (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    last_login_at TEXT
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CONSTRAINT user_roles_role_check CHECK (role IN (
        'prescriber', 'unit_orderer', 'personal_orderer_health', 'personal_orderer_social',
        'customer_service', 'warehouse', 'technician', 'consultant', 'finance', 'admin')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE product_areas (
    code TEXT NOT NULL PRIMARY KEY,
    name_sv TEXT NOT NULL,
    name_en TEXT NOT NULL,
    required_competence TEXT
);

CREATE TABLE user_competences (
    user_id BIGINT NOT NULL REFERENCES users (id),
    competence TEXT NOT NULL,
    PRIMARY KEY (user_id, competence)
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE sessions (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    personal_id TEXT NOT NULL CONSTRAINT patients_personal_id_key UNIQUE,
    id_kind TEXT NOT NULL CONSTRAINT patients_id_kind_check CHECK (id_kind IN ('personnummer', 'samordningsnummer')),
    birth_date TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    municipality_id BIGINT NOT NULL REFERENCES principals (id),
    created_at TEXT NOT NULL
);

CREATE TABLE patient_settings (
    id INTEGER PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    setting TEXT NOT NULL CONSTRAINT patient_settings_setting_check CHECK (setting IN (
        'ordinary', 'saebo', 'lss_housing', 'socialpsychiatry_housing',
        'short_term_stay', 'day_care', 'daily_activity')),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    CONSTRAINT patient_settings_period_check CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX patient_settings_patient_idx ON patient_settings (patient_id, valid_from);

CREATE TABLE care_relationships (
    id INTEGER PRIMARY KEY,
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    CONSTRAINT care_relationships_period_check CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX care_relationships_patient_idx ON care_relationships (patient_id, unit_id);

CREATE TABLE emergency_accesses (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    patient_id BIGINT NOT NULL REFERENCES patients (id),
    reason TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX emergency_accesses_lookup_idx ON emergency_accesses (user_id, patient_id, expires_at);

CREATE TABLE suppliers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CONSTRAINT suppliers_name_key UNIQUE
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    article_number TEXT NOT NULL CONSTRAINT articles_article_number_key UNIQUE,
    iso_code TEXT NOT NULL,
    gtin TEXT,
    name TEXT NOT NULL,
    search_text TEXT NOT NULL,
    supplier_id BIGINT NOT NULL REFERENCES suppliers (id),
    purchase_price_ore BIGINT NOT NULL CONSTRAINT articles_price_check CHECK (purchase_price_ore >= 0),
    monthly_rent_ore BIGINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL CONSTRAINT articles_kind_check CHECK (kind IN (
        'main_device', 'accessory', 'spare_part', 'consumable', 'medtech_product', 'nutrition')),
    billing TEXT NOT NULL CONSTRAINT articles_billing_check CHECK (billing IN ('rental', 'sale')),
    lead_time_class TEXT NOT NULL CONSTRAINT articles_lead_time_check CHECK (lead_time_class IN ('stock_7', 'order_17', 'acute')),
    service_life_months INTEGER NOT NULL,
    reconditionable BOOLEAN NOT NULL,
    product_area TEXT NOT NULL REFERENCES product_areas (code),
    valid_from TEXT NOT NULL,
    valid_to TEXT
);
CREATE INDEX articles_iso_code_idx ON articles (iso_code);

CREATE TABLE replacement_groups (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL CONSTRAINT replacement_groups_code_key UNIQUE,
    name TEXT NOT NULL,
    fixed BOOLEAN NOT NULL
);

CREATE TABLE replacement_group_members (
    group_id BIGINT NOT NULL REFERENCES replacement_groups (id),
    article_id BIGINT NOT NULL CONSTRAINT replacement_group_members_article_key UNIQUE REFERENCES articles (id),
    age_rank INTEGER NOT NULL,
    PRIMARY KEY (group_id, article_id),
    CONSTRAINT replacement_group_members_rank_key UNIQUE (group_id, age_rank)
);

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    device_number TEXT NOT NULL CONSTRAINT devices_device_number_key UNIQUE,
    article_id BIGINT NOT NULL REFERENCES articles (id),
    serial TEXT,
    purchase_date TEXT NOT NULL,
    purchase_price_ore BIGINT NOT NULL,
    state TEXT NOT NULL CONSTRAINT devices_state_check CHECK (state IN (
        'in_stock', 'reserved', 'with_patient', 'with_unit', 'in_workshop', 'scrapped', 'lost')),
    warehouse_id BIGINT REFERENCES warehouses (id),
    patient_id BIGINT REFERENCES patients (id),
    unit_id BIGINT REFERENCES units (id),
    state_since TEXT NOT NULL,
    CONSTRAINT devices_stock_has_warehouse CHECK ((state IN ('in_stock', 'reserved', 'in_workshop')) = (warehouse_id IS NOT NULL)),
    CONSTRAINT devices_patient_iff_lent CHECK ((state = 'with_patient') = (patient_id IS NOT NULL)),
    CONSTRAINT devices_unit_iff_placed CHECK ((state = 'with_unit') = (unit_id IS NOT NULL))
);
CREATE INDEX devices_patient_idx ON devices (patient_id);
CREATE INDEX devices_article_state_idx ON devices (article_id, state);
CREATE INDEX devices_warehouse_state_idx ON devices (warehouse_id, state);

-- One open loan per device: the database, not only the code, refuses to lend twice.
CREATE TABLE loans (
    id INTEGER PRIMARY KEY,
    device_id BIGINT NOT NULL REFERENCES devices (id),
    patient_id BIGINT REFERENCES patients (id),
    unit_id BIGINT REFERENCES units (id),
    customer_number_id BIGINT NOT NULL REFERENCES customer_numbers (id),
    payer TEXT NOT NULL CONSTRAINT loans_payer_check CHECK (payer IN ('region', 'municipality', 'patient')),
    rule_id TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    CONSTRAINT loans_holder_check CHECK ((patient_id IS NULL) <> (unit_id IS NULL))
);
CREATE UNIQUE INDEX loans_one_open_per_device ON loans (device_id) WHERE end_date IS NULL;
CREATE INDEX loans_patient_idx ON loans (patient_id);

CREATE TABLE device_events (
    id INTEGER PRIMARY KEY,
    device_id BIGINT NOT NULL REFERENCES devices (id),
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    patient_id BIGINT REFERENCES patients (id),
    warehouse_id BIGINT REFERENCES warehouses (id),
    note TEXT
);
CREATE INDEX device_events_device_idx ON device_events (device_id, occurred_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    patient_id BIGINT REFERENCES patients (id),
    action TEXT NOT NULL,
    reason TEXT NOT NULL CONSTRAINT audit_log_reason_check CHECK (reason IN ('care_relationship', 'emergency_access', 'hmc_role', 'none')),
    detail TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_patient_idx ON audit_log (patient_id, occurred_at);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, occurred_at);
