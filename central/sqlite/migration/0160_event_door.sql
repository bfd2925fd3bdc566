-- Events at the door (issue 15). consumes: a member's entry for the event
-- costs her a day like any other (off by default: she comes for free).
-- version: the sync version of the event's last change that its space's
-- kiosks need (created, a registration made or cancelled), from the
-- members' counter, so that an incremental pull sends the events changed
-- since its cursor; 0 for events made before (sent with snapshots).
ALTER TABLE calendar_events ADD COLUMN consumes INTEGER NOT NULL DEFAULT 0 CHECK (consumes IN (0, 1));
ALTER TABLE calendar_events ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX calendar_events_version ON calendar_events (version);
