-- Dues (adhésion): products and sales of kind 'membership'. SQLite cannot
-- change a CHECK constraint in place, so products and sales are made again
-- with the same columns and indexes (the migration runs with foreign keys
-- off and checks them before committing). A membership's period is
-- products.days (0: the calendar year, with the setting membership.cutoff)
-- and, once sold, the sale's start_day..end_day.
CREATE TABLE products_new (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL,
	kind    TEXT NOT NULL CHECK (kind IN ('pack', 'subscription', 'unlimited', 'membership')),
	entries INTEGER NOT NULL CHECK (entries >= 0),
	days    INTEGER NOT NULL CHECK (days >= 0),
	price   INTEGER NOT NULL CHECK (price >= 0), -- cents
	active  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created TEXT NOT NULL
) STRICT;
INSERT INTO products_new (id, name, kind, entries, days, price, active, created)
	SELECT id, name, kind, entries, days, price, active, created FROM products;
DROP TABLE products;
ALTER TABLE products_new RENAME TO products;

CREATE TABLE sales_new (
	id           INTEGER PRIMARY KEY,
	member_id    INTEGER REFERENCES members (id) ON DELETE SET NULL,
	product_id   INTEGER NOT NULL REFERENCES products (id),
	kind         TEXT NOT NULL CHECK (kind IN ('pack', 'subscription', 'unlimited', 'membership')),
	entries      INTEGER NOT NULL CHECK (entries >= 0),
	amount       INTEGER NOT NULL CHECK (amount >= 0), -- cents
	source       TEXT NOT NULL,
	external_ref TEXT NOT NULL DEFAULT '',
	created      TEXT NOT NULL,
	start_day    TEXT NOT NULL,
	end_day      TEXT NOT NULL DEFAULT '', -- inclusive; '' no end
	refunded     TEXT NOT NULL DEFAULT '', -- time, '' when not refunded
	invoice_id   TEXT NOT NULL DEFAULT '',
	entries_left INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO sales_new (id, member_id, product_id, kind, entries, amount, source, external_ref, created,
		start_day, end_day, refunded, invoice_id, entries_left)
	SELECT id, member_id, product_id, kind, entries, amount, source, external_ref, created,
		start_day, end_day, refunded, invoice_id, entries_left FROM sales;
DROP TABLE sales;
ALTER TABLE sales_new RENAME TO sales;
CREATE INDEX sales_member ON sales (member_id);
CREATE UNIQUE INDEX sales_external_ref ON sales (source, external_ref) WHERE external_ref <> '';
CREATE INDEX sales_created ON sales (created);
-- The dues of a member, for "à jour de cotisation" and the register.
CREATE INDEX sales_membership ON sales (member_id, end_day) WHERE kind = 'membership';
