-- Catalog search by substring without a full scan: an FTS5 trigram index
-- over articles.search_text (SQLite only; PostgreSQL uses pg_trgm), kept in
-- step by triggers. And an index for replaying lending history by date.

CREATE VIRTUAL TABLE articles_fts USING fts5(search_text, content = 'articles', content_rowid = 'id', tokenize = 'trigram');

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF search_text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO articles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

CREATE INDEX loans_start_date_idx ON loans (start_date);
