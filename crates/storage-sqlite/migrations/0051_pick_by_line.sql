-- Issue 19: picking line by line (a scanner reads each device or article)
-- and deliveries to addresses.
--
-- `picked_at`/`picked_by`: when and by whom an order line was picked. A
-- line is delivered only once it is picked: moving an order to "picked"
-- marks every open line, a scan marks one. Lines of orders already picked
-- or out for delivery are marked with the order's last change.
ALTER TABLE order_lines ADD COLUMN picked_at TEXT;
ALTER TABLE order_lines ADD COLUMN picked_by BIGINT REFERENCES users (id);
UPDATE order_lines SET picked_at = (SELECT o.updated_at FROM orders o WHERE o.id = order_lines.order_id)
WHERE state = 'open' AND order_id IN (SELECT id FROM orders WHERE status IN ('picked', 'out_for_delivery'));

CREATE TRIGGER order_lines_deliver_only_picked BEFORE UPDATE OF state ON order_lines
WHEN NEW.state = 'delivered' AND OLD.state <> 'delivered' AND OLD.picked_at IS NULL
BEGIN
    SELECT RAISE(ABORT, 'line_not_picked: an order line is delivered only after it is picked');
END;

-- Where a unit takes its deliveries: the pick list, the delivery note and
-- the pending pickups print it beside the unit's route.
CREATE TABLE unit_addresses (
    unit_id BIGINT PRIMARY KEY REFERENCES units (id),
    street TEXT NOT NULL CONSTRAINT unit_addresses_street_check CHECK (length(street) BETWEEN 1 AND 200),
    postal_code TEXT NOT NULL CONSTRAINT unit_addresses_postal_code_check CHECK (length(postal_code) BETWEEN 5 AND 6),
    city TEXT NOT NULL CONSTRAINT unit_addresses_city_check CHECK (length(city) BETWEEN 1 AND 100)
);
