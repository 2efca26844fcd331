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
    end_date DATE NOT NULL,
    principal_id BIGINT NOT NULL,
    returned BIGINT NOT NULL,
    returned_soon BIGINT NOT NULL,
    PRIMARY KEY (end_date, principal_id)
);

INSERT INTO loan_returns (end_date, principal_id, returned, returned_soon)
SELECT n.end_date, c.principal_id, COUNT(*), SUM(CASE WHEN n.end_date - n.start_date <= 30 THEN 1 ELSE 0 END)
FROM loans n JOIN customer_numbers c ON c.id = n.customer_number_id
WHERE n.patient_id IS NOT NULL AND n.end_date IS NOT NULL
AND NOT EXISTS (SELECT 1 FROM lost_reports r WHERE r.device_id = n.device_id AND r.reported_on = n.end_date)
GROUP BY 1, 2;

-- A patient loan that ends (inserted already ended, or its end set), and
-- one whose end moves or goes: counted, uncounted. Lost ones are not returns.
CREATE FUNCTION loans_count_return() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.end_date IS NOT NULL AND OLD.patient_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM lost_reports r WHERE r.device_id = OLD.device_id AND r.reported_on = OLD.end_date) THEN
        UPDATE loan_returns SET returned = returned - 1,
            returned_soon = returned_soon - (CASE WHEN OLD.end_date - OLD.start_date <= 30 THEN 1 ELSE 0 END)
        WHERE end_date = OLD.end_date
        AND principal_id = (SELECT principal_id FROM customer_numbers WHERE id = OLD.customer_number_id);
    END IF;
    IF NEW.end_date IS NOT NULL AND NEW.patient_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM lost_reports r WHERE r.device_id = NEW.device_id AND r.reported_on = NEW.end_date) THEN
        INSERT INTO loan_returns AS s (end_date, principal_id, returned, returned_soon)
        VALUES (NEW.end_date, (SELECT principal_id FROM customer_numbers WHERE id = NEW.customer_number_id), 1,
            CASE WHEN NEW.end_date - NEW.start_date <= 30 THEN 1 ELSE 0 END)
        ON CONFLICT (end_date, principal_id) DO UPDATE SET
            returned = s.returned + EXCLUDED.returned, returned_soon = s.returned_soon + EXCLUDED.returned_soon;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER loans_count_return_insert AFTER INSERT ON loans FOR EACH ROW
    WHEN (NEW.end_date IS NOT NULL) EXECUTE FUNCTION loans_count_return();
CREATE TRIGGER loans_count_return_update AFTER UPDATE OF end_date ON loans FOR EACH ROW
    WHEN (OLD.end_date IS DISTINCT FROM NEW.end_date) EXECUTE FUNCTION loans_count_return();

-- A device reported lost on a day its loan had already ended: that ending
-- was no return. (Ramp reports a device lost while its loan is open and
-- ends the loan after, which the trigger above sees; this covers the
-- other order.)
CREATE FUNCTION lost_reports_uncount_return() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE loan_returns AS s SET returned = s.returned - x.n, returned_soon = s.returned_soon - x.soon
    FROM (SELECT c.principal_id, COUNT(*) AS n, SUM(CASE WHEN n.end_date - n.start_date <= 30 THEN 1 ELSE 0 END) AS soon
          FROM loans n JOIN customer_numbers c ON c.id = n.customer_number_id
          WHERE n.device_id = NEW.device_id AND n.end_date = NEW.reported_on AND n.patient_id IS NOT NULL
          GROUP BY c.principal_id) x
    WHERE s.end_date = NEW.reported_on AND s.principal_id = x.principal_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER lost_reports_uncount_return AFTER INSERT ON lost_reports FOR EACH ROW
    EXECUTE FUNCTION lost_reports_uncount_return();
