-- An event's edits (issue 14 follow-up: the bureau edits an event).
-- revision counts the changes of its hours: the mail telling the people
-- registered that it moved is keyed by event and revision (sent once per
-- change), and one made stale by a later change is not sent.
ALTER TABLE calendar_events ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
