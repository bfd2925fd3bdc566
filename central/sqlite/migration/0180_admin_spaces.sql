-- Bureau users of one space (issue 14, central.AdminUser.Space): 0 is the
-- whole network, what every user made before spaces keeps. A member
-- remembers the space whose bureau registered her (central.Member.Space),
-- so that a space's bureau sees the member it just made before she buys
-- anything (central.MemberFilter.Space); members made before spaces are
-- the main space's (1).
ALTER TABLE admin_users ADD COLUMN space_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN space_id INTEGER NOT NULL DEFAULT 1;
