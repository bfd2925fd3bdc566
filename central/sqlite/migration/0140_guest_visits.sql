-- Guest visits (issue 12): with guests.consumes_host_entry on when a
-- guest's entry is synced, her pass's visit takes one of her host's
-- entries. One per pass (a pass is for one day at one space), whatever the
-- number of her entries: a debit of the host, settled with her own visits
-- (central.Settle; only an unlimited plan covers it). entry_id is the
-- entry that made it (NULL once purged); charge and sale_id are the
-- derivation's cache, as in visits.
CREATE TABLE guest_visits (
	pass_id    INTEGER PRIMARY KEY REFERENCES guest_passes (id) ON DELETE CASCADE,
	member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	space      TEXT NOT NULL,
	day        TEXT NOT NULL,
	entry_id   TEXT REFERENCES entries (id) ON DELETE SET NULL,
	first_time TEXT NOT NULL,
	charge     TEXT NOT NULL DEFAULT 'overdraft' CHECK (charge IN ('covered', 'pack', 'overdraft')),
	sale_id    INTEGER REFERENCES sales (id)
) STRICT;
CREATE INDEX guest_visits_member ON guest_visits (member_id);
CREATE INDEX guest_visits_entry ON guest_visits (entry_id);
