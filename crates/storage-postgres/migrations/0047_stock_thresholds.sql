-- Issue 19: a reorder threshold per article and warehouse; what is on
-- hand below it is listed for the buyer. Kept in step with the other
-- engine's migration of the same name.
CREATE TABLE stock_thresholds (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    article_id BIGINT NOT NULL REFERENCES articles (id),
    threshold INTEGER NOT NULL CONSTRAINT stock_thresholds_threshold_check CHECK (threshold >= 0),
    PRIMARY KEY (warehouse_id, article_id)
);
