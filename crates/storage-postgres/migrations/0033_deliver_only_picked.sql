-- Issue 19: an order is delivered only after it is picked (or is out for
-- delivery), and an order line only as part of its order's delivery. The
-- application checks this first; the database refuses it whatever path a
-- write takes. Rows loaded in bulk (the demo's history) are inserts, not
-- moves, and are not affected.
CREATE FUNCTION orders_deliver_only_picked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'delivered' AND OLD.status NOT IN ('picked', 'out_for_delivery') THEN
        RAISE EXCEPTION 'order_not_picked: an order is delivered only after it is picked' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER orders_deliver_only_picked BEFORE UPDATE OF status ON orders
FOR EACH ROW EXECUTE FUNCTION orders_deliver_only_picked();

CREATE FUNCTION order_lines_deliver_with_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = 'delivered' AND OLD.state <> 'delivered'
        AND (SELECT o.status FROM orders o WHERE o.id = NEW.order_id) <> 'delivered' THEN
        RAISE EXCEPTION 'order_not_picked: a line is delivered only with its picked order' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER order_lines_deliver_with_order BEFORE UPDATE OF state ON order_lines
FOR EACH ROW EXECUTE FUNCTION order_lines_deliver_with_order();
