-- Issue 20: follow-up reports at national scale. The share of orders per
-- channel grouped a year of orders by UTC day and hour slot on every
-- request (1.1 s at region scale on PostgreSQL, most of it sorting 195,000
-- rows; ~13 s at national scale). Orders are only ever inserted, and their
-- channel, unit and creation time never change, so the counts are kept as
-- orders are placed, per UTC day and hour slot (as delivery_slots), channel
-- and the ordering unit's principal. Derived data: filled from orders here.
-- Kept in step with the other engine's migration of the same name.
CREATE TABLE order_channel_slots (
    utc_day TEXT NOT NULL,
    utc_hour TEXT NOT NULL,
    channel TEXT NOT NULL,
    principal_id INTEGER NOT NULL,
    orders INTEGER NOT NULL,
    PRIMARY KEY (utc_day, utc_hour, channel, principal_id)
);

INSERT INTO order_channel_slots (utc_day, utc_hour, channel, principal_id, orders)
SELECT SUBSTR(o.created_at, 1, 10),
       CASE WHEN SUBSTR(o.created_at, 12, 2) >= '22' THEN SUBSTR(o.created_at, 12, 2) ELSE '00' END,
       o.channel, u.principal_id, COUNT(*)
FROM orders o JOIN units u ON u.id = o.unit_id
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER orders_count_channel AFTER INSERT ON orders
BEGIN
    INSERT INTO order_channel_slots (utc_day, utc_hour, channel, principal_id, orders)
    VALUES (
        SUBSTR(NEW.created_at, 1, 10),
        CASE WHEN SUBSTR(NEW.created_at, 12, 2) >= '22' THEN SUBSTR(NEW.created_at, 12, 2) ELSE '00' END,
        NEW.channel,
        (SELECT u.principal_id FROM units u WHERE u.id = NEW.unit_id),
        1)
    ON CONFLICT (utc_day, utc_hour, channel, principal_id) DO UPDATE SET orders = orders + excluded.orders;
END;
