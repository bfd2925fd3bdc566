-- A network of spaces (issue 14). spaces: where an entitlement is valid
-- when not at this kiosk's space (access.SpaceSet: ids comma-separated;
-- '' valid here). elsewhere: the badges of members of other spaces who may
-- not enter this one, hashes only (no member), so that the door says
-- not_valid_here; gen marks the snapshot that last wrote the row, as for
-- members.
ALTER TABLE entitlements ADD COLUMN spaces TEXT NOT NULL DEFAULT '';
CREATE TABLE elsewhere (
	hash    BLOB PRIMARY KEY,
	revoked INTEGER NOT NULL DEFAULT 0,
	gen     INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
