-- Issue 19, workshop: spare parts per device model, checklists per
-- work-order kind (data, seeded defaults) checked off with who and when,
-- attachments stored in the database, structured adaptation documents
-- that cannot change once signed, how a signature was re-authenticated,
-- and the workshop's notifications in the inbox. Kept in step with the
-- other engine's migration of the same name.

-- The spare parts (articles) that fit a device model (an article).
CREATE TABLE model_spare_parts (
    model_article_id INTEGER NOT NULL REFERENCES articles (id),
    part_article_id INTEGER NOT NULL REFERENCES articles (id),
    PRIMARY KEY (model_article_id, part_article_id)
);
CREATE INDEX model_spare_parts_part_idx ON model_spare_parts (part_article_id);

-- A part recorded although none was in stock: confirmed by the technician.
ALTER TABLE work_order_entries ADD COLUMN without_stock BOOLEAN NOT NULL DEFAULT FALSE;

-- A work-order kind's checklist; `mandatory` items block finishing.
CREATE TABLE checklist_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CONSTRAINT checklist_items_kind_check CHECK (kind IN (
        'repair', 'maintenance', 'reconditioning', 'special_adaptation', 'recall', 'consultation')),
    position INTEGER NOT NULL,
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL,
    mandatory BOOLEAN NOT NULL,
    CONSTRAINT checklist_items_position_key UNIQUE (kind, position)
);

INSERT INTO checklist_items (kind, position, label_sv, label_en, mandatory) VALUES
    ('reconditioning', 1, 'Rengjord och desinficerad', 'Cleaned and disinfected', TRUE),
    ('reconditioning', 2, 'Slitdelar kontrollerade och vid behov bytta', 'Wear parts checked and replaced where needed', TRUE),
    ('reconditioning', 3, 'Funktionskontroll utförd', 'Function check done', TRUE),
    ('reconditioning', 4, 'Märkning och bruksanvisning kontrollerade', 'Labels and instructions checked', FALSE),
    ('maintenance', 1, 'Periodisk besiktning: lyftband, upphängning och bygel kontrollerade', 'Periodic inspection: slings, suspension and spreader bar checked', TRUE),
    ('maintenance', 2, 'Nödsänkning och nödstopp provade', 'Emergency lowering and stop tested', TRUE),
    ('maintenance', 3, 'Batteri och laddare kontrollerade', 'Battery and charger checked', FALSE),
    ('repair', 1, 'Felet åtgärdat och funktionstestat', 'Fault fixed and function tested', TRUE),
    ('recall', 1, 'Åtgärd enligt säkerhetsmeddelandet utförd', 'Action of the safety notice done', TRUE),
    ('special_adaptation', 1, 'Anpassningen kontrollerad mot dokumentet', 'Adaptation checked against the document', TRUE),
    ('special_adaptation', 2, 'Märkt "Specialanpassad produkt"', 'Labelled "Specialanpassad produkt"', TRUE);

-- An item checked off on a work order.
CREATE TABLE work_order_checks (
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    item_id INTEGER NOT NULL REFERENCES checklist_items (id),
    checked_by INTEGER NOT NULL REFERENCES users (id),
    checked_at TEXT NOT NULL,
    PRIMARY KEY (work_order_id, item_id)
);

-- Photos and PDFs of a work order; type checked by content, size limited.
CREATE TABLE work_order_attachments (
    id INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL CONSTRAINT work_order_attachments_type_check CHECK (content_type IN (
        'image/jpeg', 'image/png', 'application/pdf')),
    size_bytes INTEGER NOT NULL CONSTRAINT work_order_attachments_size_check CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    content BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL
);
CREATE INDEX work_order_attachments_order_idx ON work_order_attachments (work_order_id);

-- The structured fields (JSON) the text and its hash were made from; how
-- the signer proved who they were again.
ALTER TABLE adaptation_documents ADD COLUMN fields TEXT;
ALTER TABLE adaptation_documents ADD COLUMN signed_via TEXT;

-- A signed document is archived as it was signed: nothing of it changes.
CREATE TRIGGER adaptation_documents_signed_frozen BEFORE UPDATE ON adaptation_documents
WHEN OLD.signed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'adaptation_document_signed');
END;

-- The workshop's notifications (a signed adaptation) in the inbox.
CREATE TABLE workshop_notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CONSTRAINT workshop_notifications_kind_check CHECK (kind IN ('adaptation_signed')),
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    device_number TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX workshop_notifications_user_idx ON workshop_notifications (user_id, id);
