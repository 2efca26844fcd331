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
ALTER TABLE articles DROP CONSTRAINT articles_lead_time_check;
ALTER TABLE articles ADD CONSTRAINT articles_lead_time_check
    CHECK (lead_time_class IN ('stock_4', 'stock_7', 'order_17', 'acute'));

-- delivery_slots gains the agreement area of the line's article (at
-- delivery) and the principal of the ordering unit, so that reliability
-- and reuse split by area and narrow to one municipality. Derived data:
-- rebuilt from order_lines as in migration 0006.
DROP TRIGGER order_lines_count_delivered_insert ON order_lines;
DROP TRIGGER order_lines_count_delivered_update ON order_lines;
DROP FUNCTION order_lines_count_delivered();
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
SELECT to_char(l.delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       CASE WHEN to_char(l.delivered_at AT TIME ZONE 'UTC', 'HH24') >= '22' THEN to_char(l.delivered_at AT TIME ZONE 'UTC', 'HH24') ELSE '00' END,
       l.payer, l.lead_time_class, pa.agreement_area, u.principal_id, COUNT(*),
       SUM(CASE WHEN l.promised_date >= (l.delivered_at AT TIME ZONE 'UTC')::date THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.promised_date > (l.delivered_at AT TIME ZONE 'UTC')::date THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.device_id IS NULL THEN 0 ELSE 1 END),
       SUM(CASE WHEN l.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = l.device_id
           AND e.kind = 'reconditioned' AND e.occurred_at < l.delivered_at) THEN 1 ELSE 0 END)
FROM order_lines l JOIN articles a ON a.id = l.article_id JOIN product_areas pa ON pa.code = a.product_area
JOIN orders o ON o.id = l.order_id JOIN units u ON u.id = o.unit_id
WHERE l.state = 'delivered' AND l.delivered_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE FUNCTION order_lines_count_delivered() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    utc TIMESTAMP := NEW.delivered_at AT TIME ZONE 'UTC';
    hour TEXT := to_char(utc, 'HH24');
BEGIN
    INSERT INTO delivery_slots AS s (utc_day, utc_hour, payer, lead_time_class, area, principal_id, lines, from_day,
        after_day, device_lines, reconditioned)
    VALUES (
        to_char(utc, 'YYYY-MM-DD'),
        CASE WHEN hour >= '22' THEN hour ELSE '00' END,
        NEW.payer, NEW.lead_time_class,
        (SELECT pa.agreement_area FROM articles a JOIN product_areas pa ON pa.code = a.product_area WHERE a.id = NEW.article_id),
        (SELECT u.principal_id FROM orders o JOIN units u ON u.id = o.unit_id WHERE o.id = NEW.order_id),
        1,
        CASE WHEN NEW.promised_date >= utc::date THEN 1 ELSE 0 END,
        CASE WHEN NEW.promised_date > utc::date THEN 1 ELSE 0 END,
        CASE WHEN NEW.device_id IS NULL THEN 0 ELSE 1 END,
        CASE WHEN NEW.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = NEW.device_id
            AND e.kind = 'reconditioned' AND e.occurred_at < NEW.delivered_at) THEN 1 ELSE 0 END)
    ON CONFLICT (utc_day, utc_hour, payer, lead_time_class, area, principal_id) DO UPDATE SET
        lines = s.lines + EXCLUDED.lines, from_day = s.from_day + EXCLUDED.from_day, after_day = s.after_day + EXCLUDED.after_day,
        device_lines = s.device_lines + EXCLUDED.device_lines, reconditioned = s.reconditioned + EXCLUDED.reconditioned;
    RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_count_delivered_insert AFTER INSERT ON order_lines FOR EACH ROW
    WHEN (NEW.state = 'delivered' AND NEW.delivered_at IS NOT NULL) EXECUTE FUNCTION order_lines_count_delivered();
CREATE TRIGGER order_lines_count_delivered_update AFTER UPDATE OF state ON order_lines FOR EACH ROW
    WHEN (NEW.state = 'delivered' AND OLD.state <> 'delivered' AND NEW.delivered_at IS NOT NULL)
    EXECUTE FUNCTION order_lines_count_delivered();
