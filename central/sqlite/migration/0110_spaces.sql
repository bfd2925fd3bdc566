-- A network of spaces (issue 14, central space.go). A database made before
-- spaces gets one space, the main one (id 1), named after the setting
-- space.name; its kiosks and visits keep their space column ('' or the
-- free text they had), all of the main space. visit_key is what the
-- space's kiosks and visits carry in their space column: '' for the main
-- space, the name given when the space was added for the others; it never
-- changes.
--
-- A product is sold by a space (space_id) and valid at valid_spaces: ''
-- its selling space only, 'all' every space, or space ids ('1,3').
CREATE TABLE spaces (
	id        INTEGER PRIMARY KEY,
	visit_key TEXT NOT NULL UNIQUE,
	name      TEXT NOT NULL UNIQUE,
	timezone  TEXT NOT NULL DEFAULT '',
	address   TEXT NOT NULL DEFAULT '',
	hours     TEXT NOT NULL DEFAULT '',
	created   TEXT NOT NULL
) STRICT;
INSERT INTO spaces (visit_key, name, created)
	VALUES ('', COALESCE((SELECT value FROM settings WHERE key = 'space.name'), 'Badgeuse'), '');

ALTER TABLE products ADD COLUMN space_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN valid_spaces TEXT NOT NULL DEFAULT '';
