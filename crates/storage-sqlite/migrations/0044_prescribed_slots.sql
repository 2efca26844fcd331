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
    article_id INTEGER NOT NULL,
    utc_day TEXT NOT NULL,
    utc_hour TEXT NOT NULL,
    lines INTEGER NOT NULL,
    PRIMARY KEY (article_id, utc_day, utc_hour)
);

INSERT INTO prescribed_slots (article_id, utc_day, utc_hour, lines)
SELECT l.requested_article_id, SUBSTR(o.created_at, 1, 10),
       CASE WHEN SUBSTR(o.created_at, 12, 2) >= '22' THEN SUBSTR(o.created_at, 12, 2) ELSE '00' END, COUNT(*)
FROM order_lines l JOIN orders o ON o.id = l.order_id
WHERE l.state <> 'cancelled'
GROUP BY 1, 2, 3;

CREATE TRIGGER order_lines_count_prescribed_insert AFTER INSERT ON order_lines
WHEN NEW.state <> 'cancelled'
BEGIN
    INSERT INTO prescribed_slots (article_id, utc_day, utc_hour, lines)
    SELECT NEW.requested_article_id, SUBSTR(o.created_at, 1, 10),
           CASE WHEN SUBSTR(o.created_at, 12, 2) >= '22' THEN SUBSTR(o.created_at, 12, 2) ELSE '00' END, 1
    FROM orders o WHERE o.id = NEW.order_id
    ON CONFLICT (article_id, utc_day, utc_hour) DO UPDATE SET lines = lines + excluded.lines;
END;

CREATE TRIGGER order_lines_uncount_prescribed_cancel AFTER UPDATE OF state ON order_lines
WHEN NEW.state = 'cancelled' AND OLD.state <> 'cancelled'
BEGIN
    UPDATE prescribed_slots SET lines = lines - 1
    WHERE article_id = OLD.requested_article_id
    AND (utc_day, utc_hour) = (SELECT SUBSTR(o.created_at, 1, 10),
        CASE WHEN SUBSTR(o.created_at, 12, 2) >= '22' THEN SUBSTR(o.created_at, 12, 2) ELSE '00' END
        FROM orders o WHERE o.id = OLD.order_id);
END;
