-- Saved order lists ("beställningslistor", issue 18 point 5). Kept in step
-- with the other engine's migration of the same name.
--
-- A list belongs to a unit, not to the orderer who made it: every orderer
-- of the unit sees and edits the unit's lists, nobody else does. A name is
-- used once per unit; a list names an article once, 1 to 99 of it.
CREATE TABLE order_lists (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units (id),
    name TEXT NOT NULL CONSTRAINT order_lists_name_check CHECK (length(name) BETWEEN 1 AND 80),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    CONSTRAINT order_lists_unit_name_key UNIQUE (unit_id, name)
);

CREATE TABLE order_list_lines (
    list_id BIGINT NOT NULL REFERENCES order_lists (id),
    line_no INTEGER NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id),
    quantity INTEGER NOT NULL CONSTRAINT order_list_lines_quantity_check CHECK (quantity BETWEEN 1 AND 99),
    PRIMARY KEY (list_id, line_no),
    CONSTRAINT order_list_lines_article_key UNIQUE (list_id, article_id)
);
