-- Conventions between the spaces of a network (issue 14, central
-- settlement.go): the rate per visit (cents) that seller_id pays host_id
-- for each visit host_id receives of a pass seller_id sold; one per
-- direction. And a space's own Slack channel (arrival posts and digest;
-- '' is the setting slack.channel) and mail sender name ('' is the
-- association's name).
CREATE TABLE space_conventions (
	host_id   INTEGER NOT NULL REFERENCES spaces (id),
	seller_id INTEGER NOT NULL REFERENCES spaces (id),
	rate      INTEGER NOT NULL CHECK (rate >= 0),
	updated   TEXT NOT NULL,
	PRIMARY KEY (host_id, seller_id),
	CHECK (host_id <> seller_id)
) STRICT;

ALTER TABLE spaces ADD COLUMN slack_channel TEXT NOT NULL DEFAULT '';
ALTER TABLE spaces ADD COLUMN mail_name TEXT NOT NULL DEFAULT '';
