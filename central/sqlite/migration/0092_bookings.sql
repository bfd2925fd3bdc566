-- Resources members book (a meeting room, a projector) and their bookings
-- (issue 15, central booking.go). opens and closes are minutes after local
-- midnight; slot and max_per_week seconds. A booking holds while cancelled
-- is ''; conflicts are refused in the write transaction of each booking
-- (bookings_resource finds the ones that hold around a time).
CREATE TABLE resources (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	space        TEXT NOT NULL DEFAULT '',
	opens        INTEGER NOT NULL,
	closes       INTEGER NOT NULL,
	slot         INTEGER NOT NULL CHECK (slot > 0),
	max_per_week INTEGER NOT NULL DEFAULT 0,
	active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created      TEXT NOT NULL
) STRICT;

CREATE TABLE bookings (
	id          INTEGER PRIMARY KEY,
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	member_id   INTEGER REFERENCES members (id) ON DELETE CASCADE,
	blocked     INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
	note        TEXT NOT NULL DEFAULT '',
	start       TEXT NOT NULL,
	end         TEXT NOT NULL,
	created     TEXT NOT NULL,
	cancelled   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX bookings_resource ON bookings (resource_id, start) WHERE cancelled = '';
CREATE INDEX bookings_member ON bookings (member_id, start) WHERE cancelled = '';
