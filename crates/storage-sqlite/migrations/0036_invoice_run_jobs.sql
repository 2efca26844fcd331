-- Invoice runs as background jobs (issue 19): a run has a state, and the
-- database lets only one final run of a month be running at a time, so two
-- finance officers starting the same month at once cannot both invoice it
-- (each invoice is also guarded by invoices_one_per_customer_month).
-- A run that stops without finishing (the process killed) keeps state
-- 'running' until its heartbeat is older than the lease; the next run of
-- the month then marks it 'interrupted' and takes over. Runs recorded
-- before this migration finished.
-- Kept in step with the other engine's migration of the same name.

ALTER TABLE invoice_runs ADD COLUMN state TEXT NOT NULL DEFAULT 'finished'
    CONSTRAINT invoice_runs_state_check CHECK (state IN ('running', 'finished', 'cancelled', 'failed', 'interrupted'));
ALTER TABLE invoice_runs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE invoice_runs ADD COLUMN finished_at TEXT;
CREATE UNIQUE INDEX invoice_runs_one_running_per_month ON invoice_runs (month) WHERE state = 'running';
