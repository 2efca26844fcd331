-- The product page (issue 18 point 3) and the replacement decline reason
-- (point 4). Kept in step with the other engine's migration of the same name.
--
-- An article's technical data is a JSON array of {key, value} under the
-- fixed keys of `ramp_domain::product::TechKey` (checked by the use-case);
-- the handbook text is the handbook's words about the article.
CREATE TABLE article_details (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id),
    technical_data TEXT NOT NULL DEFAULT '[]',
    handbook_text TEXT CONSTRAINT article_details_handbook_check CHECK (length(handbook_text) <= 4000)
);

-- One picture per product type (six-digit ISO 9999 code), as SVG text that
-- Ramp serves itself, with its alternative text in Swedish and English.
CREATE TABLE product_images (
    iso_code TEXT PRIMARY KEY,
    svg TEXT NOT NULL CONSTRAINT product_images_svg_check CHECK (length(svg) <= 65536),
    alt_sv TEXT NOT NULL,
    alt_en TEXT NOT NULL
);

-- Why a prescriber declined a replacement proposal (a fixed list) and an
-- optional note; the row already says who and when. Rows written before
-- this migration have neither.
ALTER TABLE replacement_answers ADD COLUMN decline_reason TEXT
    CONSTRAINT replacement_answers_decline_reason_check CHECK (decline_reason IN
    ('patient_needs', 'does_not_fit', 'accessories_do_not_fit', 'tried_out', 'environment', 'other'));
ALTER TABLE replacement_answers ADD COLUMN decline_note TEXT
    CONSTRAINT replacement_answers_decline_note_check CHECK (length(decline_note) <= 500);
