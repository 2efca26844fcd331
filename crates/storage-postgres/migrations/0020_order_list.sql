-- The order list ("Beställningar"): a unit's orders and every order by the
-- date placed, both read a page at a time in a stable order (ending with id).
CREATE INDEX orders_unit_idx ON orders (unit_id, id);
CREATE INDEX orders_created_at_idx ON orders (created_at, id);
