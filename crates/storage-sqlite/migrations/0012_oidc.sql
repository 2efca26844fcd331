-- Login through the region's identity provider (OIDC): the HSA id the
-- provider vouches for maps to at most one user. Nullable: local accounts
-- (the demo, break-glass administration) need none. A unique index, since
-- SQLite cannot add a column with a UNIQUE constraint; NULLs never clash.
ALTER TABLE users ADD COLUMN hsa_id TEXT;
CREATE UNIQUE INDEX users_hsa_id_key ON users (hsa_id);
