-- Issue 21: a digital device that stops reporting for longer than its
-- expected interval raises a "silent device" alarm (reason 'silent', no
-- measurement). Kept in step with the other engine's migration of the
-- same name.
ALTER TABLE alarms DROP CONSTRAINT alarms_reason_check;
ALTER TABLE alarms ADD CONSTRAINT alarms_reason_check CHECK (reason IN ('threshold', 'missed_dose', 'silent'));
ALTER TABLE alarms ADD CONSTRAINT alarms_silent_check CHECK ((reason = 'silent') = (measurement_id IS NULL));

-- At most one silent-device alarm per device that is not closed: the sweep
-- may run twice (or in two processes) and still raise it once.
CREATE UNIQUE INDEX alarms_one_silent ON alarms (device_id) WHERE reason = 'silent' AND state <> 'closed';

-- The sweep looks up each device's latest report.
CREATE INDEX measurements_device_received_idx ON measurements (device_id, received_at);
