-- Issue 22: the costly-treatment application ("särskild ansökan för kostsamma
-- behandlingshjälpmedel") counts only treatment devices close to
-- pharmaceuticals. Seed 000: "Behandlingshjälpmedel/läkemedelsnära produkter
-- som berörs är t ex sårvårdsmaterial, VAC-terapi." Which product areas those
-- are is catalog data: set per area (the demo's medical-treatment area).
ALTER TABLE product_areas ADD COLUMN drug_adjacent BOOLEAN NOT NULL DEFAULT FALSE;
