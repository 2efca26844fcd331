-- Issue 19: a goods receipt names its supplier (already stored) and the
-- supplier's delivery note number; a consumable line may carry a batch
-- number and an expiry date, kept on the line and as stock per batch so
-- the warehouse sees what expires first. Kept in step with the other
-- engine's migration of the same name.
ALTER TABLE receipts ADD COLUMN delivery_note TEXT;
ALTER TABLE receipt_lines ADD COLUMN batch TEXT;
ALTER TABLE receipt_lines ADD COLUMN expiry_date DATE;

-- Counted consumables per batch; the total stays in consumable_stock.
CREATE TABLE consumable_batches (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    article_id BIGINT NOT NULL REFERENCES articles (id),
    batch TEXT NOT NULL,
    expiry_date DATE,
    quantity INTEGER NOT NULL CONSTRAINT consumable_batches_quantity_check CHECK (quantity >= 0),
    PRIMARY KEY (warehouse_id, article_id, batch)
);
