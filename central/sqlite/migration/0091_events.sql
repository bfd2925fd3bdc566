-- Events with a capacity and their registrations (issue 15, central
-- calendar.go). Admission (confirmed or waitlisted) is decided in the
-- write transaction of each registration. A member's erasure keeps the
-- registration's place and status but not her: EraseMember clears the
-- name and e-mail, then member_id is set NULL (deleting the row would
-- free a place without promoting anyone, and change past attendance).
CREATE TABLE calendar_events (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	space       TEXT NOT NULL DEFAULT '',
	start       TEXT NOT NULL,
	end         TEXT NOT NULL,
	capacity    INTEGER NOT NULL CHECK (capacity > 0),
	public      INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	deadline    TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL
) STRICT;
CREATE INDEX calendar_events_end ON calendar_events (end);

CREATE TABLE registrations (
	id        INTEGER PRIMARY KEY,
	event_id  INTEGER NOT NULL REFERENCES calendar_events (id) ON DELETE CASCADE,
	member_id INTEGER REFERENCES members (id) ON DELETE SET NULL,
	name      TEXT NOT NULL,
	email     TEXT NOT NULL DEFAULT '',
	status    TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled', 'attended')),
	created   TEXT NOT NULL,
	updated   TEXT NOT NULL
) STRICT;
CREATE INDEX registrations_event ON registrations (event_id, status);
CREATE INDEX registrations_member ON registrations (member_id) WHERE member_id IS NOT NULL;
-- One active registration per member and per e-mail for an event.
CREATE UNIQUE INDEX registrations_event_member ON registrations (event_id, member_id)
	WHERE member_id IS NOT NULL AND status <> 'cancelled';
CREATE UNIQUE INDEX registrations_event_email ON registrations (event_id, email COLLATE NOCASE)
	WHERE email <> '' AND status <> 'cancelled';
