-- Login through the region's identity provider (OIDC): the HSA id the
-- provider vouches for maps to at most one user. Nullable: local accounts
-- (the demo, break-glass administration) need none; NULLs never clash.
ALTER TABLE users ADD COLUMN hsa_id TEXT;
ALTER TABLE users ADD CONSTRAINT users_hsa_id_key UNIQUE (hsa_id);
