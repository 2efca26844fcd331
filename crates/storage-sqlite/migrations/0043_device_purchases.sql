-- Issue 20: follow-up reports at national scale. "Purchased vs prescribed"
-- counted the devices bought per fixed replacement group and month by
-- joining every device of the groups' articles (223 ms at region scale on
-- PostgreSQL; ~2.7 s at national scale). Devices are counted per article
-- and month of purchase as they are registered (a device's article and
-- purchase date never change); the groups, whose members an administrator
-- may change, are joined when the figure is read. Derived data, filled
-- from devices here. Kept in step with the other engine's migration of the
-- same name.
CREATE TABLE device_purchases (
    article_id INTEGER NOT NULL,
    month TEXT NOT NULL,
    devices INTEGER NOT NULL,
    PRIMARY KEY (article_id, month)
);

INSERT INTO device_purchases (article_id, month, devices)
SELECT article_id, SUBSTR(purchase_date, 1, 7), COUNT(*) FROM devices GROUP BY 1, 2;

CREATE TRIGGER devices_count_purchase AFTER INSERT ON devices
BEGIN
    INSERT INTO device_purchases (article_id, month, devices)
    VALUES (NEW.article_id, SUBSTR(NEW.purchase_date, 1, 7), 1)
    ON CONFLICT (article_id, month) DO UPDATE SET devices = devices + excluded.devices;
END;
