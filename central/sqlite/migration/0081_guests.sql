-- Guest passes (issue 12): a member (within guests.monthly_quota) or the
-- bureau invites someone for one day at one space. The pass is a signed
-- code (shared/badge KindGuest), so kiosks need no copy of this table;
-- hash is badge.GuestHash(id), the badge hash the guest's entries carry,
-- which ties them back to the pass (the guest's name, her host).
CREATE TABLE guest_passes (
	id        INTEGER PRIMARY KEY,
	host_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	name      TEXT NOT NULL,
	day       TEXT NOT NULL, -- YYYY-MM-DD, in the space's time zone
	space     TEXT NOT NULL,
	hash      TEXT NOT NULL UNIQUE,
	by_member INTEGER NOT NULL CHECK (by_member IN (0, 1)), -- counts against the host's quota
	created   TEXT NOT NULL
) STRICT;
CREATE INDEX guest_passes_host ON guest_passes (host_id, created);
CREATE INDEX guest_passes_day ON guest_passes (day);
