-- profiles are what members choose to show each other (issue 15, central
-- community.go): who is here today and the directory, both off until she
-- turns them on on her page. hidden is set by the bureau. A member's
-- erasure deletes her profile (cascade). skills is a JSON array of text.
CREATE TABLE profiles (
	member_id     INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
	show_presence INTEGER NOT NULL DEFAULT 0 CHECK (show_presence IN (0, 1)),
	in_directory  INTEGER NOT NULL DEFAULT 0 CHECK (in_directory IN (0, 1)),
	about         TEXT NOT NULL DEFAULT '',
	skills        TEXT NOT NULL DEFAULT '[]',
	link          TEXT NOT NULL DEFAULT '',
	contact       TEXT NOT NULL DEFAULT '' CHECK (contact IN ('', 'email', 'slack', 'phone')),
	contact_value TEXT NOT NULL DEFAULT '',
	hidden        INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
	updated       TEXT NOT NULL
) STRICT;
CREATE INDEX profiles_directory ON profiles (member_id) WHERE in_directory = 1;
