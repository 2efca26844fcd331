-- Issue 20: follow-up reports at national scale. Replacement acceptance
-- grouped a year of replacement answers by UTC day slot on every request
-- (109 ms at region scale on PostgreSQL; ~1.3 s at national scale).
-- Answers are only ever inserted, so they are counted as they are given,
-- per UTC day and hour slot (as delivery_slots), answer and the answering
-- user's principal at the time. Derived data, filled from the answers here.
-- Kept in step with the other engine's migration of the same name.
CREATE TABLE answer_slots (
    utc_day TEXT NOT NULL,
    utc_hour TEXT NOT NULL,
    answer TEXT NOT NULL,
    principal_id BIGINT NOT NULL,
    answers BIGINT NOT NULL,
    PRIMARY KEY (utc_day, utc_hour, answer, principal_id)
);

INSERT INTO answer_slots (utc_day, utc_hour, answer, principal_id, answers)
SELECT to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
       CASE WHEN to_char(a.occurred_at AT TIME ZONE 'UTC', 'HH24') >= '22' THEN to_char(a.occurred_at AT TIME ZONE 'UTC', 'HH24') ELSE '00' END,
       a.answer, u.principal_id, COUNT(*)
FROM replacement_answers a JOIN users u ON u.id = a.user_id
GROUP BY 1, 2, 3, 4;

CREATE FUNCTION replacement_answers_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    utc TIMESTAMP := NEW.occurred_at AT TIME ZONE 'UTC';
    hour TEXT := to_char(utc, 'HH24');
BEGIN
    INSERT INTO answer_slots AS s (utc_day, utc_hour, answer, principal_id, answers)
    VALUES (
        to_char(utc, 'YYYY-MM-DD'),
        CASE WHEN hour >= '22' THEN hour ELSE '00' END,
        NEW.answer,
        (SELECT u.principal_id FROM users u WHERE u.id = NEW.user_id),
        1)
    ON CONFLICT (utc_day, utc_hour, answer, principal_id) DO UPDATE SET answers = s.answers + EXCLUDED.answers;
    RETURN NULL;
END
$$;

CREATE TRIGGER replacement_answers_count AFTER INSERT ON replacement_answers FOR EACH ROW
    EXECUTE FUNCTION replacement_answers_count();
