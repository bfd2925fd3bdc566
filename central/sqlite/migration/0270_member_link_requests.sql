-- A member's request for a new personal link from the public lost-link
-- form /m (member_link: subject the member; 24 hours, once). The form used
-- to make her new link at once, revoking the one she had: anyone who knew
-- her address could cut her off. It now mails her this one-time link, and
-- only her pressing its button makes the new personal link (and revokes
-- the old one). SQLite cannot change a CHECK constraint in place: the
-- table is copied, as in 0150.
CREATE TABLE mail_tokens_new (
	hash    TEXT PRIMARY KEY,
	purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'join', 'claim', 'unsubscribe', 'event_cancel', 'calendar',
		'member_link')),
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
