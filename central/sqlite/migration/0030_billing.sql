-- Billing: payments received from HelloAsso, the mapping of its form items
-- to products, the invoices made in Pennylane and its customers.

-- payments are the items of the orders a provider reported, read back from
-- its API: one row per item, ever (source, external_ref), whatever the
-- number of notifications. state is the provider's ('pending', 'paid',
-- 'refunded'); status what Badgeuse did ('waiting', 'unmatched', 'credited',
-- 'refunded', 'ignored'); reason why it is unmatched. Payer and beneficiary
-- data is kept to match and assign payments, and cleared when the member
-- is erased (trigger below).
CREATE TABLE payments (
	id                INTEGER PRIMARY KEY,
	source            TEXT NOT NULL,
	external_ref      TEXT NOT NULL,
	order_ref         TEXT NOT NULL,
	form              TEXT NOT NULL DEFAULT '',
	form_type         TEXT NOT NULL DEFAULT '',
	item_name         TEXT NOT NULL DEFAULT '',
	item_type         TEXT NOT NULL DEFAULT '',
	amount            INTEGER NOT NULL CHECK (amount >= 0), -- cents
	date              TEXT NOT NULL DEFAULT '',
	payer_email       TEXT NOT NULL DEFAULT '',
	payer_name        TEXT NOT NULL DEFAULT '',
	payer_address     TEXT NOT NULL DEFAULT '', -- JSON {address, zip, city, country (alpha-2), company}
	beneficiary_name  TEXT NOT NULL DEFAULT '',
	beneficiary_email TEXT NOT NULL DEFAULT '',
	state             TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'refunded')),
	status            TEXT NOT NULL CHECK (status IN ('waiting', 'unmatched', 'credited', 'refunded', 'ignored')),
	reason            TEXT NOT NULL DEFAULT '',
	member_id         INTEGER REFERENCES members (id) ON DELETE SET NULL,
	product_id        INTEGER REFERENCES products (id),
	sale_id           INTEGER REFERENCES sales (id),
	new_member        INTEGER NOT NULL DEFAULT 0 CHECK (new_member IN (0, 1)),
	created           TEXT NOT NULL,
	updated           TEXT NOT NULL,
	UNIQUE (source, external_ref)
) STRICT;
CREATE INDEX payments_status ON payments (status);
CREATE INDEX payments_order ON payments (source, order_ref);
CREATE INDEX payments_member ON payments (member_id);

-- Erasing a member (GDPR) erases what her payments say of her; the
-- payments stay, like her sales, for the accounts.
CREATE TRIGGER payments_erase BEFORE DELETE ON members
BEGIN
	UPDATE payments SET payer_email = '', payer_name = '', payer_address = '', beneficiary_name = '',
		beneficiary_email = ''
	WHERE member_id = OLD.id;
END;

-- payment_mappings say which product a form item sells; item '' maps every
-- item of the form.
CREATE TABLE payment_mappings (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL,
	form       TEXT NOT NULL COLLATE NOCASE,
	item       TEXT NOT NULL COLLATE NOCASE,
	product_id INTEGER NOT NULL REFERENCES products (id),
	created    TEXT NOT NULL,
	UNIQUE (source, form, item)
) STRICT;

-- invoices are the invoices made for sales at the accounting tool; the
-- sale's invoice_id is the invoice's id there.
CREATE TABLE invoices (
	sale_id    INTEGER PRIMARY KEY REFERENCES sales (id),
	provider   TEXT NOT NULL,
	invoice_id TEXT NOT NULL,
	number     TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL DEFAULT '',
	created    TEXT NOT NULL,
	updated    TEXT NOT NULL,
	UNIQUE (provider, invoice_id)
) STRICT;

-- billing_customers remember the customer made at the accounting tool for
-- a key (the member's e-mail or id).
CREATE TABLE billing_customers (
	provider    TEXT NOT NULL,
	key         TEXT NOT NULL,
	customer_id TEXT NOT NULL,
	created     TEXT NOT NULL,
	PRIMARY KEY (provider, key)
) STRICT;
