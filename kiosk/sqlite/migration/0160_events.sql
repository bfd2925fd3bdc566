-- Events at this kiosk's space (issue 15): their hours and whether a
-- member's entry for them consumes; the members registered (let in for
-- the event, reason event) and the cancelled registrations whose tickets
-- are refused. gen marks the snapshot that last wrote the event, as for
-- members; an event over for a day is dropped at the next pull.
CREATE TABLE events (
	id       INTEGER PRIMARY KEY,
	start    TEXT NOT NULL,
	end      TEXT NOT NULL,
	consumes INTEGER NOT NULL DEFAULT 0,
	gen      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE event_members (
	member INTEGER NOT NULL,
	event  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	PRIMARY KEY (member, event)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_members_event ON event_members (event);
CREATE TABLE event_revoked (
	registration INTEGER PRIMARY KEY,
	event        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX event_revoked_event ON event_revoked (event);
