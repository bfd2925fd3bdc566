-- The confirmation of an address given on a public event's page
-- (event_register: subject the event, data the form as JSON; 24 hours,
-- once). The public form used to register whoever's address was typed, and
-- its count of places left told anyone whether an address was registered
-- already. It now mails this one-time link, and only her pressing its
-- button registers her. SQLite cannot change a CHECK constraint in place:
-- the table is copied, as in 0270.
CREATE TABLE mail_tokens_new (
	hash    TEXT PRIMARY KEY,
	purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'join', 'claim', 'unsubscribe', 'event_cancel', 'calendar',
		'member_link', 'event_register')),
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
