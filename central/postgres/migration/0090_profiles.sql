-- profiles are what members choose to show each other (issue 15, central
-- community.go): who is here today and the directory, both off until she
-- turns them on on her page. hidden is set by the bureau. A member's
-- erasure deletes her profile (cascade). skills is a JSON array of text.
CREATE TABLE profiles (
	member_id     BIGINT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
	show_presence BIGINT NOT NULL DEFAULT 0 CHECK (show_presence IN (0, 1)),
	in_directory  BIGINT NOT NULL DEFAULT 0 CHECK (in_directory IN (0, 1)),
	about         TEXT COLLATE "C" NOT NULL DEFAULT '',
	skills        TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	link          TEXT COLLATE "C" NOT NULL DEFAULT '',
	contact       TEXT COLLATE "C" NOT NULL DEFAULT '' CHECK (contact IN ('', 'email', 'slack', 'phone')),
	contact_value TEXT COLLATE "C" NOT NULL DEFAULT '',
	hidden        BIGINT NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
	updated       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX profiles_directory ON profiles (member_id) WHERE in_directory = 1;
