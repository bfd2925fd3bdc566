-- Anti-passback (issue 12): when central last saw each badge accepted at
-- this kiosk's space, at any kiosk ('' for not within kiosk.passback), and
-- an index to find a badge's last acceptance among this kiosk's entries.
ALTER TABLE badges ADD COLUMN last_accepted TEXT NOT NULL DEFAULT '';
CREATE INDEX entries_badge_accepted ON entries (badge, time) WHERE decision = 'accept';
