-- The web admin (central/admin): its users, their sessions, login
-- throttling, and members' self-service links. Secrets are stored hashed:
-- passwords with argon2id (made by central/admin), session ids and link
-- tokens with SHA-256 (they carry 128 bits or more of randomness).

-- admin_users are the bureau's logins. role is checked on every route.
CREATE TABLE admin_users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'treasurer', 'door', 'readonly')),
	password_hash TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created       TEXT NOT NULL,
	updated       TEXT NOT NULL,
	last_login    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE UNIQUE INDEX admin_users_email ON admin_users (email COLLATE NOCASE);

-- admin_sessions are logged-in browsers, by the SHA-256 of the session id.
-- seen drives the idle timeout, created the absolute one.
CREATE TABLE admin_sessions (
	hash    TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES admin_users (id) ON DELETE CASCADE,
	csrf    TEXT NOT NULL,
	created TEXT NOT NULL,
	seen    TEXT NOT NULL
) STRICT;
CREATE INDEX admin_sessions_user ON admin_sessions (user_id);

-- login_throttle counts failed logins per account and per client address.
CREATE TABLE login_throttle (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	last_failure TEXT NOT NULL,
	locked_until TEXT NOT NULL DEFAULT ''
) STRICT;

-- member_links are members' self-service links (/m/{token}), by the
-- SHA-256 of the token; at most one is valid per member.
CREATE TABLE member_links (
	id        INTEGER PRIMARY KEY,
	member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	hash      TEXT NOT NULL UNIQUE,
	created   TEXT NOT NULL,
	revoked   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX member_links_member ON member_links (member_id);

-- The admin's lists: refused entries of a day, entries of a kiosk, newest
-- first; sales newest first by member.
CREATE INDEX entries_kiosk_time ON entries (kiosk_id, time);
CREATE INDEX sales_created ON sales (created);
