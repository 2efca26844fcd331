-- Expired reservations, found cheaply (issue 4). Kept in step with the
-- other engine's migration of the same name.
--
-- The device pick's second walk reads the reserved devices of one article
-- whose reservation has run out, by article and end of reservation. With
-- `devices_reserved_until_idx` alone (every article's expired reservations)
-- PostgreSQL's generic plan for the pick read all of an article's devices,
-- so it planned the pick anew on every order: 1.1-1.4 ms of planning per
-- order under `ramp bench orders`.
--
-- Devices reserved until delivery (no end) are in neither index: an order
-- placed directly writes no entry to them, and the planner, knowing most
-- reservations have no end, expects few expired rows.

CREATE INDEX devices_expired_pick_idx ON devices (article_id, reserved_until)
    WHERE state = 'reserved' AND reserved_until IS NOT NULL;

DROP INDEX devices_reserved_until_idx;
CREATE INDEX devices_reserved_until_idx ON devices (reserved_until)
    WHERE state = 'reserved' AND reserved_until IS NOT NULL;
