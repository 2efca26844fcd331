-- Indexes for the figures the council follows (issue 5). Kept in step
-- with the other engine's migration of the same name.

-- Delivery reliability and reuse scan the lines delivered in a period;
-- the columns the count needs are in the index (SQLite reads only it).
CREATE INDEX order_lines_delivered_idx ON order_lines (delivered_at, payer, lead_time_class, promised_date, device_id)
    WHERE state = 'delivered';
-- Reuse: was the device reconditioned before this delivery? One probe.
CREATE INDEX device_events_reconditioned_idx ON device_events (device_id, occurred_at) WHERE kind = 'reconditioned';
-- Prescribed per fixed replacement group: from the group's articles to their lines.
CREATE INDEX order_lines_requested_article_idx ON order_lines (requested_article_id);
-- Prescribed per quarter and the order history by date.
CREATE INDEX orders_created_at_idx ON orders (created_at);
