-- Conventions between the spaces of a network (issue 14, central
-- settlement.go): the rate per visit (cents) that seller_id pays host_id
-- for each visit host_id receives of a pass seller_id sold; one per
-- direction. And a space's own Slack channel (arrival posts and digest;
-- '' is the setting slack.channel) and mail sender name ('' is the
-- association's name).
CREATE TABLE space_conventions (
	host_id   BIGINT NOT NULL REFERENCES spaces (id),
	seller_id BIGINT NOT NULL REFERENCES spaces (id),
	rate      BIGINT NOT NULL CHECK (rate >= 0),
	updated   TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (host_id, seller_id),
	CHECK (host_id <> seller_id)
);

ALTER TABLE spaces ADD COLUMN slack_channel TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE spaces ADD COLUMN mail_name TEXT COLLATE "C" NOT NULL DEFAULT '';
