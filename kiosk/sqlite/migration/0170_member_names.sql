-- Door names (issue 12): a member's first name, for the door screen's
-- greeting ("Bonjour Alice !"). Central sends it only for the members of
-- this kiosk's space, and none with door.show_names off ('' then: the
-- kiosk drops the names it holds).
ALTER TABLE members ADD COLUMN name TEXT NOT NULL DEFAULT '';
