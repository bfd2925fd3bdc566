-- Every guest who came has her guest visit (issue 12): the bureau counts
-- guests per host and per month from it, after her entries are purged.
-- takes_entry says whether it takes one of her host's entries (decided by
-- guests.consumes_host_entry when the pass's first entry was synced);
-- those that do not are left out of the host's settlement.
ALTER TABLE guest_visits ADD COLUMN takes_entry INTEGER NOT NULL DEFAULT 1 CHECK (takes_entry IN (0, 1));
CREATE INDEX guest_visits_day ON guest_visits (day);
