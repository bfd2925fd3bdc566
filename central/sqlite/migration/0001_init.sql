-- Central's initial schema. Times are TEXT in UTC, fixed width
-- ("2006-01-02T15:04:05.000000Z") so they sort as text; days are TEXT
-- "YYYY-MM-DD" ('' for none). Booleans are INTEGER 0/1.

-- counter holds the global sync version: every change a kiosk needs to know
-- about a member takes the next value and stores it on the member (or its
-- tombstone). One row.
CREATE TABLE counter (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
) STRICT;
INSERT INTO counter (id, version) VALUES (1, 0);

-- meta holds single values of the store: tombstone_horizon is the highest
-- version of the tombstones purged (older cursors need a snapshot).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- settings holds the central settings set by the bureau (validated by
-- central.LookupSetting); keys not here have their default.
CREATE TABLE settings (
	key     TEXT PRIMARY KEY,
	value   TEXT NOT NULL,
	updated TEXT NOT NULL
) STRICT;

-- members are the people who may come in. AUTOINCREMENT: an erased
-- member's id is never given again (kiosks and exports know it).
-- overdraft is a cache of the derivation (central.Settle), recomputed in the
-- transaction of every change of her sales or visits; version is the
-- counter value of her last change that kiosks need.
CREATE TABLE members (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'archived')),
	slack_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (slack_opt_out IN (0, 1)),
	created       TEXT NOT NULL,
	updated       TEXT NOT NULL,
	version       INTEGER NOT NULL,
	overdraft     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX members_email ON members (email COLLATE NOCASE) WHERE email <> '';
CREATE INDEX members_version ON members (version);

-- tombstones remember erased members for kiosk sync: a kiosk whose cursor
-- is older than a tombstone's version learns to drop the member. Purged
-- after sync.tombstone_days (meta tombstone_horizon then rises).
CREATE TABLE tombstones (
	member_id INTEGER PRIMARY KEY,
	version   INTEGER NOT NULL,
	erased    TEXT NOT NULL
) STRICT;
CREATE INDEX tombstones_version ON tombstones (version);

-- products are what the association sells.
CREATE TABLE products (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL,
	kind    TEXT NOT NULL CHECK (kind IN ('pack', 'subscription', 'unlimited')),
	entries INTEGER NOT NULL CHECK (entries >= 0),
	days    INTEGER NOT NULL CHECK (days >= 0),
	price   INTEGER NOT NULL CHECK (price >= 0), -- cents
	active  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created TEXT NOT NULL
) STRICT;

-- sales are the ledger's credits. What a sale grants (kind, entries,
-- start_day, end_day) is copied from the product when it is made. Never
-- edited except: refunded (the credit is cancelled), invoice_id (billing),
-- member_id NULL when the member is erased, and entries_left, a cache of
-- the derivation (central.Settle) recomputed with the member's balance.
CREATE TABLE sales (
	id           INTEGER PRIMARY KEY,
	member_id    INTEGER REFERENCES members (id) ON DELETE SET NULL,
	product_id   INTEGER NOT NULL REFERENCES products (id),
	kind         TEXT NOT NULL CHECK (kind IN ('pack', 'subscription', 'unlimited')),
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
CREATE INDEX sales_member ON sales (member_id);
CREATE UNIQUE INDEX sales_external_ref ON sales (source, external_ref) WHERE external_ref <> '';

-- badges hold the SHA-256 of each badge secret, never the secret.
CREATE TABLE badges (
	id        INTEGER PRIMARY KEY,
	member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	hash      TEXT NOT NULL UNIQUE, -- hex
	created   TEXT NOT NULL,
	revoked   TEXT NOT NULL DEFAULT '' -- time, '' while valid
) STRICT;
CREATE INDEX badges_member ON badges (member_id);

-- kiosks are the doors. Tokens are stored as hex SHA-256 only. acked is the
-- highest contiguous entry sequence held; it only grows and survives the
-- purge of the entries it covers.
CREATE TABLE kiosks (
	id             INTEGER PRIMARY KEY,
	name           TEXT NOT NULL,
	space          TEXT NOT NULL DEFAULT '',
	created        TEXT NOT NULL,
	token_hash     TEXT UNIQUE, -- NULL until enrolled
	enroll_hash    TEXT NOT NULL UNIQUE,
	enroll_expires TEXT NOT NULL,
	enrolled       TEXT NOT NULL DEFAULT '',
	disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	last_seen      TEXT NOT NULL DEFAULT '',
	acked          INTEGER NOT NULL DEFAULT 0,
	pending        INTEGER NOT NULL DEFAULT 0,
	software       TEXT NOT NULL DEFAULT ''
) STRICT;

-- entries are the decisions kiosks pushed: personal movement data, purged
-- after entries.retention_days. (kiosk_id, seq) and id make pushes
-- idempotent. time is central's corrected time, kiosk_time the kiosk's
-- clock. member_id is NULL when the badge was unknown or the member erased.
CREATE TABLE entries (
	id             TEXT PRIMARY KEY, -- UUIDv7 from the kiosk
	kiosk_id       INTEGER NOT NULL REFERENCES kiosks (id),
	seq            INTEGER NOT NULL CHECK (seq > 0),
	member_id      INTEGER REFERENCES members (id) ON DELETE SET NULL,
	badge_hash     TEXT NOT NULL DEFAULT '',
	kiosk_time     TEXT NOT NULL,
	time           TEXT NOT NULL,
	clock_unsure   INTEGER NOT NULL DEFAULT 0 CHECK (clock_unsure IN (0, 1)),
	time_corrected INTEGER NOT NULL DEFAULT 0 CHECK (time_corrected IN (0, 1)),
	boot_id        TEXT NOT NULL DEFAULT '',
	mono           INTEGER NOT NULL DEFAULT 0, -- nanoseconds since boot
	accept         INTEGER NOT NULL CHECK (accept IN (0, 1)),
	reason         TEXT NOT NULL,
	kiosk_consumed INTEGER NOT NULL DEFAULT 0,
	received       TEXT NOT NULL,
	UNIQUE (kiosk_id, seq)
) STRICT;
CREATE INDEX entries_time ON entries (time);
CREATE INDEX entries_member ON entries (member_id, time);

-- visits are the ledger's debits: one per member, space and day with at
-- least one accepted entry, whatever the number of entries or kiosks.
-- entry_id is the earliest accepted entry of the day (NULL once purged),
-- first_time its time. charge and sale_id are a cache of the derivation
-- (central.Settle): covered, pack (sale_id) or overdraft.
CREATE TABLE visits (
	id         INTEGER PRIMARY KEY,
	member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	space      TEXT NOT NULL,
	day        TEXT NOT NULL,
	entry_id   TEXT REFERENCES entries (id) ON DELETE SET NULL,
	first_time TEXT NOT NULL,
	charge     TEXT NOT NULL DEFAULT 'overdraft' CHECK (charge IN ('covered', 'pack', 'overdraft')),
	sale_id    INTEGER REFERENCES sales (id),
	UNIQUE (member_id, space, day)
) STRICT;
CREATE INDEX visits_entry ON visits (entry_id);
CREATE INDEX visits_day ON visits (day);

-- audit holds one row per change: who, what, on which object, when.
CREATE TABLE audit (
	id      INTEGER PRIMARY KEY,
	time    TEXT NOT NULL,
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL,
	object  TEXT NOT NULL,
	details TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX audit_object ON audit (object);

-- outbox holds side effects to perform (Slack posts, invoices), written in
-- the transaction of the change that causes them; key makes them
-- idempotent. Workers (later) claim due rows, send, and set done.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	topic      TEXT NOT NULL,
	key        TEXT NOT NULL UNIQUE,
	payload    TEXT NOT NULL,
	created    TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_try   TEXT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	done       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_due ON outbox (topic, next_try) WHERE done = '';
