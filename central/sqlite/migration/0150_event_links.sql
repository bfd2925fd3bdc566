-- Links sent about events (issue 15): a registration's cancellation link
-- (event_cancel: subject the registration, data its event; valid until
-- the event ends, once) and a member's personal calendar feed (calendar:
-- subject the member; until she revokes it). SQLite cannot change a
-- CHECK constraint in place: the table is copied.
CREATE TABLE mail_tokens_new (
	hash    TEXT PRIMARY KEY,
	purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'join', 'claim', 'unsubscribe', 'event_cancel', 'calendar')),
	subject INTEGER NOT NULL DEFAULT 0,
	data    TEXT NOT NULL DEFAULT '',
	created TEXT NOT NULL,
	expires TEXT NOT NULL,
	used    TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO mail_tokens_new (hash, purpose, subject, data, created, expires, used)
	SELECT hash, purpose, subject, data, created, expires, used FROM mail_tokens;
DROP TABLE mail_tokens;
ALTER TABLE mail_tokens_new RENAME TO mail_tokens;
CREATE INDEX mail_tokens_expires ON mail_tokens (expires);
CREATE INDEX mail_tokens_subject ON mail_tokens (purpose, subject);
