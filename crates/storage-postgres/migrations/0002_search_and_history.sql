-- Catalog search by substring uses the pg_trgm index of 0001 (SQLite adds
-- an FTS5 trigram index in its migration of this name). And an index for
-- replaying lending history by date.

CREATE INDEX loans_start_date_idx ON loans (start_date);
