-- Issue 20: follow-up reports at national scale. Cost-effective
-- prescribing counted a year of ended loans on every request, grouped by
-- start and end date (837 ms at region scale on PostgreSQL, 128,199 rows
-- out; ~10 s at national scale). The figure needs, per day a loan ended and
-- the principal of its customer number, how many patient loans ended and
-- how many of those ended at most 30 days after they began
-- (ramp_domain::figures::prescribing::SOON_DAYS, mirrored here); a loan
-- ended by a lost report is not a return. Kept as loans end and devices are
-- reported lost; derived data, filled from loans here. Kept in step with
-- the other engine's migration of the same name.
CREATE TABLE loan_returns (
    end_date TEXT NOT NULL,
    principal_id INTEGER NOT NULL,
    returned INTEGER NOT NULL,
    returned_soon INTEGER NOT NULL,
    PRIMARY KEY (end_date, principal_id)
);

INSERT INTO loan_returns (end_date, principal_id, returned, returned_soon)
SELECT n.end_date, c.principal_id, COUNT(*),
       SUM(CASE WHEN julianday(n.end_date) - julianday(n.start_date) <= 30 THEN 1 ELSE 0 END)
FROM loans n JOIN customer_numbers c ON c.id = n.customer_number_id
WHERE n.patient_id IS NOT NULL AND n.end_date IS NOT NULL
AND NOT EXISTS (SELECT 1 FROM lost_reports r WHERE r.device_id = n.device_id AND r.reported_on = n.end_date)
GROUP BY 1, 2;

-- A loan inserted already ended (a bulk load) or ended later.
CREATE TRIGGER loans_count_return_insert AFTER INSERT ON loans
WHEN NEW.end_date IS NOT NULL AND NEW.patient_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM lost_reports r WHERE r.device_id = NEW.device_id AND r.reported_on = NEW.end_date)
BEGIN
    INSERT INTO loan_returns (end_date, principal_id, returned, returned_soon)
    VALUES (NEW.end_date, (SELECT principal_id FROM customer_numbers WHERE id = NEW.customer_number_id), 1,
        CASE WHEN julianday(NEW.end_date) - julianday(NEW.start_date) <= 30 THEN 1 ELSE 0 END)
    ON CONFLICT (end_date, principal_id) DO UPDATE SET
        returned = returned + excluded.returned, returned_soon = returned_soon + excluded.returned_soon;
END;

CREATE TRIGGER loans_uncount_return_update AFTER UPDATE OF end_date ON loans
WHEN OLD.end_date IS NOT NULL AND OLD.patient_id IS NOT NULL AND OLD.end_date IS NOT NEW.end_date
    AND NOT EXISTS (SELECT 1 FROM lost_reports r WHERE r.device_id = OLD.device_id AND r.reported_on = OLD.end_date)
BEGIN
    UPDATE loan_returns SET returned = returned - 1,
        returned_soon = returned_soon - (CASE WHEN julianday(OLD.end_date) - julianday(OLD.start_date) <= 30 THEN 1 ELSE 0 END)
    WHERE end_date = OLD.end_date AND principal_id = (SELECT principal_id FROM customer_numbers WHERE id = OLD.customer_number_id);
END;

CREATE TRIGGER loans_count_return_update AFTER UPDATE OF end_date ON loans
WHEN NEW.end_date IS NOT NULL AND NEW.patient_id IS NOT NULL AND OLD.end_date IS NOT NEW.end_date
    AND NOT EXISTS (SELECT 1 FROM lost_reports r WHERE r.device_id = NEW.device_id AND r.reported_on = NEW.end_date)
BEGIN
    INSERT INTO loan_returns (end_date, principal_id, returned, returned_soon)
    VALUES (NEW.end_date, (SELECT principal_id FROM customer_numbers WHERE id = NEW.customer_number_id), 1,
        CASE WHEN julianday(NEW.end_date) - julianday(NEW.start_date) <= 30 THEN 1 ELSE 0 END)
    ON CONFLICT (end_date, principal_id) DO UPDATE SET
        returned = returned + excluded.returned, returned_soon = returned_soon + excluded.returned_soon;
END;

-- A device reported lost on a day its loan had already ended: that ending
-- was no return. (Ramp reports a device lost while its loan is open and
-- ends the loan after, which the triggers above see; this covers the
-- other order.)
CREATE TRIGGER lost_reports_uncount_return AFTER INSERT ON lost_reports
BEGIN
    UPDATE loan_returns SET
        returned = returned - (SELECT COUNT(*) FROM loans n JOIN customer_numbers c ON c.id = n.customer_number_id
            WHERE n.device_id = NEW.device_id AND n.end_date = NEW.reported_on AND n.patient_id IS NOT NULL
            AND c.principal_id = loan_returns.principal_id),
        returned_soon = returned_soon - (SELECT COUNT(*) FROM loans n JOIN customer_numbers c ON c.id = n.customer_number_id
            WHERE n.device_id = NEW.device_id AND n.end_date = NEW.reported_on AND n.patient_id IS NOT NULL
            AND c.principal_id = loan_returns.principal_id
            AND julianday(n.end_date) - julianday(n.start_date) <= 30)
    WHERE end_date = NEW.reported_on;
END;
