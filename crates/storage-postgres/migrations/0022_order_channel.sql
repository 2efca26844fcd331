-- Issue 22: how an order reached the centre, for the share of digital
-- orders (seed 003: "När det gäller andelen digitala beställningar via 1177
-- ses en ökning på totalen från 20 % till 25 %"). 'portal': a prescriber or
-- orderer in Ramp's UI; 'api': another system; 'patient_1177': the patient
-- through the 1177 e-service, relayed through the API; 'hmc_staff': the
-- centre's own staff in the UI. Orders placed before this migration came
-- through the portal or the API, which Ramp did not record: they are kept
-- as 'portal', the common case, and never as digital.
-- Kept in step with the other engine's migration of the same name.
ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'portal'
    CONSTRAINT orders_channel_check CHECK (channel IN ('portal', 'api', 'patient_1177', 'hmc_staff'));
-- The figure counts orders per channel and Stockholm month: by creation
-- time, without reading the order rows.
CREATE INDEX orders_created_at_channel_idx ON orders (created_at, channel);
