-- What each kiosk last said of itself (central.KioskHealth, reported with
-- each sync since protocol version 3): one row per kiosk, replaced by each
-- report. Times the kiosk measured (started, last_frame, last_decision) are
-- its clock's; received and disk_low_since are central's. disk_low_since
-- names the current "disk nearly full" incident ('' when the disk is fine),
-- kept from one report to the next so that the bureau is alerted once per
-- incident. Sizes are bytes, -1 when the kiosk could not tell.
CREATE TABLE kiosk_health (
	kiosk_id        BIGINT PRIMARY KEY REFERENCES kiosks (id),
	received        TEXT COLLATE "C" NOT NULL,
	clock_offset_ms BIGINT NOT NULL,
	started         TEXT COLLATE "C" NOT NULL DEFAULT '',
	uptime_s        BIGINT NOT NULL DEFAULT 0,
	camera_ok       BIGINT NOT NULL CHECK (camera_ok IN (0, 1)),
	camera_error    TEXT COLLATE "C" NOT NULL DEFAULT '',
	camera_fps      DOUBLE PRECISION NOT NULL DEFAULT 0,
	last_frame      TEXT COLLATE "C" NOT NULL DEFAULT '',
	last_decision   TEXT COLLATE "C" NOT NULL DEFAULT '',
	disk_free       BIGINT NOT NULL DEFAULT -1,
	disk_total      BIGINT NOT NULL DEFAULT -1,
	database_bytes  BIGINT NOT NULL DEFAULT -1,
	software        TEXT COLLATE "C" NOT NULL DEFAULT '',
	disk_low_since  TEXT COLLATE "C" NOT NULL DEFAULT ''
);
