-- meta holds the kiosk's single values: enrollment, sync cursors, settings.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

-- members is the kiosk's copy of central's members: only what a decision
-- needs (no name, no email). gen marks the snapshot that last wrote the row.
CREATE TABLE members (
	id         INTEGER PRIMARY KEY,
	status     TEXT NOT NULL,
	last_visit TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD, central's account
	gen        INTEGER NOT NULL DEFAULT 0
) STRICT;

-- badges maps SHA-256 hashes of badge secrets to members.
CREATE TABLE badges (
	hash    BLOB PRIMARY KEY,
	member  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	revoked INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX badges_member ON badges (member);

-- entitlements are what members hold, with entries left as central counted
-- them (entries recorded here above meta.acked are deducted at lookup).
CREATE TABLE entitlements (
	id      INTEGER PRIMARY KEY,
	member  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	kind    TEXT NOT NULL,
	start   TEXT NOT NULL DEFAULT '',
	end     TEXT NOT NULL DEFAULT '',
	entries INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX entitlements_member ON entitlements (member);

-- entries is the log of decisions and the outbox of the sync: a row is
-- written before the LED shows the outcome, sent to central in seq order,
-- and marked synced only after central acknowledged it. AUTOINCREMENT: a
-- sequence number is never reused, even after old rows are purged.
CREATE TABLE entries (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	id           TEXT NOT NULL UNIQUE,
	time         TEXT NOT NULL,            -- kiosk clock, RFC 3339
	clock_unsure INTEGER NOT NULL DEFAULT 0,
	boot_id      TEXT NOT NULL DEFAULT '',
	mono         INTEGER NOT NULL DEFAULT 0, -- ns since boot
	badge        BLOB,                       -- NULL when not a badge
	member       INTEGER NOT NULL DEFAULT 0,
	decision     TEXT NOT NULL,
	reason       TEXT NOT NULL,
	consumed     INTEGER NOT NULL DEFAULT 0, -- pack id, 0 for none
	synced       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX entries_member ON entries (member, seq);
CREATE INDEX entries_unsynced ON entries (seq) WHERE synced = 0;
