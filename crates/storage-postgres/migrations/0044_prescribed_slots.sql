-- Issue 20: follow-up reports at national scale. "Purchased vs prescribed"
-- counted the lines ordered per fixed replacement group by joining a
-- year's order lines of the groups' articles with their orders (295 ms at
-- region scale on PostgreSQL, which scanned every line; ~3.5 s at national
-- scale). Lines are counted per requested article and the UTC day slot of
-- their order's creation (as delivery_slots) as they are written, and
-- uncounted when cancelled; the groups, whose members an administrator may
-- change, are joined when the figure is read. Derived data, filled from the
-- lines here. Kept in step with the other engine's migration of the same
-- name.
CREATE TABLE prescribed_slots (
    article_id BIGINT NOT NULL,
    utc_day TEXT NOT NULL,
    utc_hour TEXT NOT NULL,
    lines BIGINT NOT NULL,
    PRIMARY KEY (article_id, utc_day, utc_hour)
);

INSERT INTO prescribed_slots (article_id, utc_day, utc_hour, lines)
SELECT l.requested_article_id, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       CASE WHEN to_char(o.created_at AT TIME ZONE 'UTC', 'HH24') >= '22' THEN to_char(o.created_at AT TIME ZONE 'UTC', 'HH24') ELSE '00' END,
       COUNT(*)
FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE l.state <> 'cancelled'
GROUP BY 1, 2, 3;

CREATE FUNCTION order_lines_count_prescribed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    utc TIMESTAMP := (SELECT o.created_at FROM orders o WHERE o.id = NEW.order_id) AT TIME ZONE 'UTC';
    day TEXT := to_char(utc, 'YYYY-MM-DD');
    hour TEXT := CASE WHEN to_char(utc, 'HH24') >= '22' THEN to_char(utc, 'HH24') ELSE '00' END;
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO prescribed_slots AS s (article_id, utc_day, utc_hour, lines)
        VALUES (NEW.requested_article_id, day, hour, 1)
        ON CONFLICT (article_id, utc_day, utc_hour) DO UPDATE SET lines = s.lines + EXCLUDED.lines;
    ELSE
        UPDATE prescribed_slots SET lines = lines - 1
        WHERE article_id = OLD.requested_article_id AND utc_day = day AND utc_hour = hour;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER order_lines_count_prescribed_insert AFTER INSERT ON order_lines FOR EACH ROW
    WHEN (NEW.state <> 'cancelled') EXECUTE FUNCTION order_lines_count_prescribed();
CREATE TRIGGER order_lines_uncount_prescribed_cancel AFTER UPDATE OF state ON order_lines FOR EACH ROW
    WHEN (NEW.state = 'cancelled' AND OLD.state <> 'cancelled') EXECUTE FUNCTION order_lines_count_prescribed();
