-- Issue 22: a surplus sale's complaint window runs from delivery, not from
-- the sale (seed 003: "Hjälpmedlen ska vara fullt funktionella vid leverans
-- ... reklamation ska kunna göras inom 30 dagar"). Until `delivered_on` is
-- set the stored complaint_deadline is provisional and no complaint is
-- taken; delivery sets both.
ALTER TABLE surplus_sales ADD COLUMN delivered_on TEXT;
ALTER TABLE surplus_sales ADD COLUMN delivered_by BIGINT REFERENCES users (id);
-- Sales made before this migration counted from the sale day: kept as delivered then.
UPDATE surplus_sales SET delivered_on = sold_on, delivered_by = sold_by;

-- Issue 22: surplus basic equipment is sold only to municipalities with an
-- agreement on basic equipment (seed 003: "kommer gälla alla kommuner som har
-- avtal om grundutrustning"): the day it began, NULL when there is none.
-- Recorded by an administrator; none is assumed for existing municipalities.
ALTER TABLE principals ADD COLUMN basic_equipment_since TEXT;
