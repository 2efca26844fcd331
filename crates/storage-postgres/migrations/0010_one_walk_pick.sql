-- The device pick in one walk (issue 4). Kept in step with the other
-- engine's migration of the same name.
--
-- An order takes the oldest device of its article that is on the shelf or
-- whose cart reservation has run out. Two indexes served two walks (the
-- shelf by state and purchase date; expired reservations by end of
-- reservation), and the pick merged their first rows. This index holds
-- both kinds in purchase order, so the pick is one index walk that passes
-- over the cart reservations still running (a few per article: a cart
-- holds a device for 30 minutes). Devices reserved until delivery
-- (`reserved_until` NULL: ordered, waiting to be picked up) and every
-- other state are not in it, so placing an order removes the device from
-- it instead of adding an entry. Measured under `ramp bench orders` on
-- PostgreSQL: starting the pick's plan was 7 % of the server's time and
-- half of it went to the second walk (docs/BENCHMARKS.md, fifth round).
--
-- `devices_article_state_idx` (article, state) still serves the counts.

CREATE INDEX devices_pickable_idx ON devices (article_id, purchase_date, id)
    WHERE state = 'in_stock' OR (state = 'reserved' AND reserved_until IS NOT NULL);

DROP INDEX devices_pick_idx;
DROP INDEX devices_expired_pick_idx;
