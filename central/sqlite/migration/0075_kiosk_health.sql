-- What each kiosk last said of itself (central.KioskHealth, reported with
-- each sync since protocol version 3): one row per kiosk, replaced by each
-- report. Times the kiosk measured (started, last_frame, last_decision) are
-- its clock's; received and disk_low_since are central's. disk_low_since
-- names the current "disk nearly full" incident ('' when the disk is fine),
-- kept from one report to the next so that the bureau is alerted once per
-- incident. Sizes are bytes, -1 when the kiosk could not tell.
CREATE TABLE kiosk_health (
	kiosk_id        INTEGER PRIMARY KEY REFERENCES kiosks (id),
	received        TEXT NOT NULL,
	clock_offset_ms INTEGER NOT NULL,
	started         TEXT NOT NULL DEFAULT '',
	uptime_s        INTEGER NOT NULL DEFAULT 0,
	camera_ok       INTEGER NOT NULL CHECK (camera_ok IN (0, 1)),
	camera_error    TEXT NOT NULL DEFAULT '',
	camera_fps      REAL NOT NULL DEFAULT 0,
	last_frame      TEXT NOT NULL DEFAULT '',
	last_decision   TEXT NOT NULL DEFAULT '',
	disk_free       INTEGER NOT NULL DEFAULT -1,
	disk_total      INTEGER NOT NULL DEFAULT -1,
	database_bytes  INTEGER NOT NULL DEFAULT -1,
	software        TEXT NOT NULL DEFAULT '',
	disk_low_since  TEXT NOT NULL DEFAULT ''
) STRICT;
