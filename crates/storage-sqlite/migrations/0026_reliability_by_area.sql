-- Issue 22: delivery reliability per agreement area, per principal, and the
-- 4-lead-day assortment. Kept in step with the other engine's migration of
-- the same name.
--
-- Seed 003: "Hjälpmiddelscentralens rapport är uppdelad på information
-- kopplat till Samarbetsavtal för försörjning av personliga hjälpmedel,
-- Överenskommelse för hjälpmedel vid medicinsk behandling och digitala
-- hjälpmedel." Which of the three a product area belongs to is catalog
-- data; an area that is drug-adjacent belongs to medical treatment unless
-- an administrator says otherwise.
ALTER TABLE product_areas ADD COLUMN agreement_area TEXT NOT NULL DEFAULT 'cooperation'
    CONSTRAINT product_areas_agreement_area_check CHECK (agreement_area IN ('cooperation', 'overenskommelsen', 'digital'));
UPDATE product_areas SET agreement_area = 'overenskommelsen' WHERE drug_adjacent;

-- Seed 003: "Leveranssäkerhet på 4 ledtidsdagar, överstiger målet på 98 %"
-- (the drug-adjacent products). A fourth lead-time class, 'stock_4'.
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt under its
-- own name with the same rows and ids (the trigram index keeps its rowids).
-- Foreign keys are deferred to the commit: dropping "articles" counts every
-- row that refers to it as a violation, and putting each article back under
-- the same name counts its referrers off again.
PRAGMA defer_foreign_keys = ON;
DROP TRIGGER order_lines_count_delivered_insert;
DROP TRIGGER order_lines_count_delivered_update;

CREATE TABLE articles_copy AS SELECT * FROM articles;
DROP TABLE articles;
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
    lead_time_class TEXT NOT NULL CONSTRAINT articles_lead_time_check
        CHECK (lead_time_class IN ('stock_4', 'stock_7', 'order_17', 'acute')),
    service_life_months INTEGER NOT NULL,
    reconditionable BOOLEAN NOT NULL,
    product_area TEXT NOT NULL REFERENCES product_areas (code),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    spare_parts_until TEXT
);
INSERT INTO articles (id, article_number, iso_code, gtin, name, search_text, supplier_id, purchase_price_ore,
    monthly_rent_ore, kind, billing, lead_time_class, service_life_months, reconditionable, product_area, valid_from,
    valid_to, spare_parts_until)
SELECT id, article_number, iso_code, gtin, name, search_text, supplier_id, purchase_price_ore, monthly_rent_ore, kind,
    billing, lead_time_class, service_life_months, reconditionable, product_area, valid_from, valid_to, spare_parts_until
FROM articles_copy;
DROP TABLE articles_copy;
CREATE INDEX articles_iso_code_idx ON articles (iso_code);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF search_text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO articles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- delivery_slots gains the agreement area of the line's article (at
-- delivery) and the principal of the ordering unit, so that reliability
-- and reuse split by area and narrow to one municipality. Derived data:
-- rebuilt from order_lines as in migration 0006.
DROP TABLE delivery_slots;
CREATE TABLE delivery_slots (
    utc_day TEXT NOT NULL,
    utc_hour TEXT NOT NULL,
    payer TEXT NOT NULL,
    lead_time_class TEXT NOT NULL,
    area TEXT NOT NULL,
    principal_id BIGINT NOT NULL,
    -- Lines delivered in the slot.
    lines BIGINT NOT NULL,
    -- Of those, promised on or after the slot's UTC day, and after it.
    from_day BIGINT NOT NULL,
    after_day BIGINT NOT NULL,
    -- Lines that delivered a device, and of those, devices reconditioned before.
    device_lines BIGINT NOT NULL,
    reconditioned BIGINT NOT NULL,
    PRIMARY KEY (utc_day, utc_hour, payer, lead_time_class, area, principal_id)
);

INSERT INTO delivery_slots (utc_day, utc_hour, payer, lead_time_class, area, principal_id, lines, from_day, after_day,
    device_lines, reconditioned)
SELECT SUBSTR(l.delivered_at, 1, 10),
       CASE WHEN SUBSTR(l.delivered_at, 12, 2) >= '22' THEN SUBSTR(l.delivered_at, 12, 2) ELSE '00' END,
       l.payer, l.lead_time_class, pa.agreement_area, u.principal_id, COUNT(*),
       SUM(CASE WHEN l.promised_date >= SUBSTR(l.delivered_at, 1, 10) THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.promised_date > SUBSTR(l.delivered_at, 1, 10) THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.device_id IS NULL THEN 0 ELSE 1 END),
       SUM(CASE WHEN l.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = l.device_id
           AND e.kind = 'reconditioned' AND e.occurred_at < l.delivered_at) THEN 1 ELSE 0 END)
FROM order_lines l JOIN articles a ON a.id = l.article_id JOIN product_areas pa ON pa.code = a.product_area
JOIN orders o ON o.id = l.order_id JOIN units u ON u.id = o.unit_id
WHERE l.state = 'delivered' AND l.delivered_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER order_lines_count_delivered_insert AFTER INSERT ON order_lines
WHEN NEW.state = 'delivered' AND NEW.delivered_at IS NOT NULL
BEGIN
    INSERT INTO delivery_slots (utc_day, utc_hour, payer, lead_time_class, area, principal_id, lines, from_day, after_day,
        device_lines, reconditioned)
    VALUES (
        SUBSTR(NEW.delivered_at, 1, 10),
        CASE WHEN SUBSTR(NEW.delivered_at, 12, 2) >= '22' THEN SUBSTR(NEW.delivered_at, 12, 2) ELSE '00' END,
        NEW.payer, NEW.lead_time_class,
        (SELECT pa.agreement_area FROM articles a JOIN product_areas pa ON pa.code = a.product_area WHERE a.id = NEW.article_id),
        (SELECT u.principal_id FROM orders o JOIN units u ON u.id = o.unit_id WHERE o.id = NEW.order_id),
        1,
        CASE WHEN NEW.promised_date >= SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.promised_date > SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.device_id IS NULL THEN 0 ELSE 1 END,
        CASE WHEN NEW.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = NEW.device_id
            AND e.kind = 'reconditioned' AND e.occurred_at < NEW.delivered_at) THEN 1 ELSE 0 END)
    ON CONFLICT (utc_day, utc_hour, payer, lead_time_class, area, principal_id) DO UPDATE SET
        lines = lines + excluded.lines, from_day = from_day + excluded.from_day, after_day = after_day + excluded.after_day,
        device_lines = device_lines + excluded.device_lines, reconditioned = reconditioned + excluded.reconditioned;
END;

CREATE TRIGGER order_lines_count_delivered_update AFTER UPDATE OF state ON order_lines
WHEN NEW.state = 'delivered' AND OLD.state <> 'delivered' AND NEW.delivered_at IS NOT NULL
BEGIN
    INSERT INTO delivery_slots (utc_day, utc_hour, payer, lead_time_class, area, principal_id, lines, from_day, after_day,
        device_lines, reconditioned)
    VALUES (
        SUBSTR(NEW.delivered_at, 1, 10),
        CASE WHEN SUBSTR(NEW.delivered_at, 12, 2) >= '22' THEN SUBSTR(NEW.delivered_at, 12, 2) ELSE '00' END,
        NEW.payer, NEW.lead_time_class,
        (SELECT pa.agreement_area FROM articles a JOIN product_areas pa ON pa.code = a.product_area WHERE a.id = NEW.article_id),
        (SELECT u.principal_id FROM orders o JOIN units u ON u.id = o.unit_id WHERE o.id = NEW.order_id),
        1,
        CASE WHEN NEW.promised_date >= SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.promised_date > SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.device_id IS NULL THEN 0 ELSE 1 END,
        CASE WHEN NEW.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = NEW.device_id
            AND e.kind = 'reconditioned' AND e.occurred_at < NEW.delivered_at) THEN 1 ELSE 0 END)
    ON CONFLICT (utc_day, utc_hour, payer, lead_time_class, area, principal_id) DO UPDATE SET
        lines = lines + excluded.lines, from_day = from_day + excluded.from_day, after_day = after_day + excluded.after_day,
        device_lines = device_lines + excluded.device_lines, reconditioned = reconditioned + excluded.reconditioned;
END;
