-- The figures the council follows (issue 5). Kept in step with the other
-- engine's migration of the same name.
--
-- Delivered order lines are counted into delivery_slots as they are
-- delivered, so delivery reliability and reuse read a few thousand rows a
-- year instead of every line. A slot is a UTC day and hour slot ('00' for
-- any hour before 22, '22', '23'); every instant of a slot has the same
-- Stockholm date, so the domain folds slots into Stockholm months exactly
-- (ramp_domain::figures). Derived data: rebuilt from order_lines by the
-- INSERT ... SELECT below; a delivered line never leaves 'delivered'.

CREATE TABLE delivery_slots (
    utc_day TEXT NOT NULL,
    utc_hour TEXT NOT NULL,
    payer TEXT NOT NULL,
    lead_time_class TEXT NOT NULL,
    -- Lines delivered in the slot.
    lines BIGINT NOT NULL,
    -- Of those, promised on or after the slot's UTC day, and after it.
    from_day BIGINT NOT NULL,
    after_day BIGINT NOT NULL,
    -- Lines that delivered a device, and of those, devices reconditioned before.
    device_lines BIGINT NOT NULL,
    reconditioned BIGINT NOT NULL,
    PRIMARY KEY (utc_day, utc_hour, payer, lead_time_class)
);

-- Reuse: was the device reconditioned before this delivery? One probe.
CREATE INDEX device_events_reconditioned_idx ON device_events (device_id, occurred_at) WHERE kind = 'reconditioned';
-- Prescribed per fixed replacement group: from the group's articles to their lines.
CREATE INDEX order_lines_requested_article_idx ON order_lines (requested_article_id);

INSERT INTO delivery_slots (utc_day, utc_hour, payer, lead_time_class, lines, from_day, after_day, device_lines, reconditioned)
SELECT SUBSTR(l.delivered_at, 1, 10),
       CASE WHEN SUBSTR(l.delivered_at, 12, 2) >= '22' THEN SUBSTR(l.delivered_at, 12, 2) ELSE '00' END,
       l.payer, l.lead_time_class, COUNT(*),
       SUM(CASE WHEN l.promised_date >= SUBSTR(l.delivered_at, 1, 10) THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.promised_date > SUBSTR(l.delivered_at, 1, 10) THEN 1 ELSE 0 END),
       SUM(CASE WHEN l.device_id IS NULL THEN 0 ELSE 1 END),
       SUM(CASE WHEN l.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = l.device_id
           AND e.kind = 'reconditioned' AND e.occurred_at < l.delivered_at) THEN 1 ELSE 0 END)
FROM order_lines l WHERE l.state = 'delivered' AND l.delivered_at IS NOT NULL
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER order_lines_count_delivered_insert AFTER INSERT ON order_lines
WHEN NEW.state = 'delivered' AND NEW.delivered_at IS NOT NULL
BEGIN
    INSERT INTO delivery_slots (utc_day, utc_hour, payer, lead_time_class, lines, from_day, after_day, device_lines, reconditioned)
    VALUES (
        SUBSTR(NEW.delivered_at, 1, 10),
        CASE WHEN SUBSTR(NEW.delivered_at, 12, 2) >= '22' THEN SUBSTR(NEW.delivered_at, 12, 2) ELSE '00' END,
        NEW.payer, NEW.lead_time_class, 1,
        CASE WHEN NEW.promised_date >= SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.promised_date > SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.device_id IS NULL THEN 0 ELSE 1 END,
        CASE WHEN NEW.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = NEW.device_id
            AND e.kind = 'reconditioned' AND e.occurred_at < NEW.delivered_at) THEN 1 ELSE 0 END)
    ON CONFLICT (utc_day, utc_hour, payer, lead_time_class) DO UPDATE SET
        lines = lines + excluded.lines, from_day = from_day + excluded.from_day, after_day = after_day + excluded.after_day,
        device_lines = device_lines + excluded.device_lines, reconditioned = reconditioned + excluded.reconditioned;
END;

CREATE TRIGGER order_lines_count_delivered_update AFTER UPDATE OF state ON order_lines
WHEN NEW.state = 'delivered' AND OLD.state <> 'delivered' AND NEW.delivered_at IS NOT NULL
BEGIN
    INSERT INTO delivery_slots (utc_day, utc_hour, payer, lead_time_class, lines, from_day, after_day, device_lines, reconditioned)
    VALUES (
        SUBSTR(NEW.delivered_at, 1, 10),
        CASE WHEN SUBSTR(NEW.delivered_at, 12, 2) >= '22' THEN SUBSTR(NEW.delivered_at, 12, 2) ELSE '00' END,
        NEW.payer, NEW.lead_time_class, 1,
        CASE WHEN NEW.promised_date >= SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.promised_date > SUBSTR(NEW.delivered_at, 1, 10) THEN 1 ELSE 0 END,
        CASE WHEN NEW.device_id IS NULL THEN 0 ELSE 1 END,
        CASE WHEN NEW.device_id IS NOT NULL AND EXISTS (SELECT 1 FROM device_events e WHERE e.device_id = NEW.device_id
            AND e.kind = 'reconditioned' AND e.occurred_at < NEW.delivered_at) THEN 1 ELSE 0 END)
    ON CONFLICT (utc_day, utc_hour, payer, lead_time_class) DO UPDATE SET
        lines = lines + excluded.lines, from_day = from_day + excluded.from_day, after_day = after_day + excluded.after_day,
        device_lines = device_lines + excluded.device_lines, reconditioned = reconditioned + excluded.reconditioned;
END;
