-- E-mail's part of the store (central/email, central/admin): tokens sent
-- by e-mail, members' mail preferences, the other addresses a member
-- claimed for her payments, and the join requests waiting for the bureau.

-- mail_tokens are the secrets of links sent by e-mail, by the SHA-256 of
-- the token: a bureau user's password reset (1 hour, once), a join's or a
-- claim's address confirmation (24 hours, once), a member's unsubscribe
-- page (kept as long as she is). subject is the admin user or the member;
-- data what the confirmation needs (the join form as JSON, the claimed
-- address). used is set by the one use of a one-time token.
CREATE TABLE mail_tokens (
	hash    TEXT PRIMARY KEY,
	purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'join', 'claim', 'unsubscribe')),
	subject INTEGER NOT NULL DEFAULT 0,
	data    TEXT NOT NULL DEFAULT '',
	created TEXT NOT NULL,
	expires TEXT NOT NULL,
	used    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX mail_tokens_expires ON mail_tokens (expires);

-- member_mail_prefs: her language and whether she turned reminders off
-- (low balance, renewal). No row: French, reminders on.
CREATE TABLE member_mail_prefs (
	member_id     INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
	lang          TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
	reminders_off INTEGER NOT NULL DEFAULT 0 CHECK (reminders_off IN (0, 1))
) STRICT;

-- member_emails are other addresses of a member, confirmed by her (the
-- address a payment to the association used): payments with them are
-- credited to her as with her own.
CREATE TABLE member_emails (
	email     TEXT PRIMARY KEY COLLATE NOCASE,
	member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	created   TEXT NOT NULL
) STRICT;
CREATE INDEX member_emails_member ON member_emails (member_id);

-- join_requests are people who filled in the public join page and
-- confirmed their address, waiting for the bureau (state pending), then
-- accepted (member_id: the member made; erasing her erases it) or refused.
CREATE TABLE join_requests (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	email      TEXT NOT NULL,
	phone      TEXT NOT NULL DEFAULT '',
	product_id INTEGER REFERENCES products (id),
	lang       TEXT NOT NULL DEFAULT 'fr',
	created    TEXT NOT NULL,
	state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'refused')),
	decided    TEXT NOT NULL DEFAULT '',
	member_id  INTEGER REFERENCES members (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX join_requests_state ON join_requests (state, id);
