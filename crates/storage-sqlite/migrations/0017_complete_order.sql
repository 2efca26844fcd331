-- A complete order (issue 18, point 4): where it goes and how, the place
-- of use its cost decision was made for, and the prescriber's inbox.
-- Kept in step with the other engine's migration of the same name.

-- The place of use the cost decision was made for (a setting of the
-- agreement); NULL for unit and buffer orders and for orders placed
-- before this migration, which were decided on the patient's setting.
ALTER TABLE orders ADD COLUMN place_of_use TEXT CONSTRAINT orders_place_of_use_check CHECK (place_of_use IS NULL OR place_of_use IN (
    'ordinary', 'saebo', 'lss_housing', 'socialpsychiatry_housing', 'short_term_stay', 'day_care', 'daily_activity'));
ALTER TABLE orders ADD COLUMN delivery_contact_name TEXT;
ALTER TABLE orders ADD COLUMN delivery_contact_phone TEXT;
ALTER TABLE orders ADD COLUMN delivery_method TEXT NOT NULL DEFAULT 'centre_transport'
    CONSTRAINT orders_delivery_method_check CHECK (delivery_method IN ('centre_transport', 'pickup_at_centre', 'pickup_point', 'carrier'));
ALTER TABLE orders ADD COLUMN urgency TEXT NOT NULL DEFAULT 'normal'
    CONSTRAINT orders_urgency_check CHECK (urgency IN ('normal', 'urgent'));
ALTER TABLE orders ADD COLUMN delivery_note TEXT;
-- NULL: the patient's registered address (looked up by the centre) or the unit's.
-- An order collected at the centre has no address.
ALTER TABLE orders ADD COLUMN delivery_address TEXT CONSTRAINT orders_delivery_address_check CHECK (
    delivery_address IS NULL OR delivery_method <> 'pickup_at_centre');

-- The prescriber's inbox: one row per status change of an order they
-- placed, written in the status change's transaction.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    order_id BIGINT NOT NULL REFERENCES orders (id),
    to_status TEXT NOT NULL CONSTRAINT notifications_to_status_check CHECK (to_status IN (
        'picked', 'out_for_delivery', 'delivered', 'cancelled')),
    occurred_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
