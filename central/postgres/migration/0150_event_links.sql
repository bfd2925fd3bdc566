-- Links sent about events (issue 15): a registration's cancellation link
-- (event_cancel: subject the registration, data its event; valid until
-- the event ends, once) and a member's personal calendar feed (calendar:
-- subject the member; until she revokes it).
ALTER TABLE mail_tokens DROP CONSTRAINT mail_tokens_purpose_check;
ALTER TABLE mail_tokens ADD CONSTRAINT mail_tokens_purpose_check
	CHECK (purpose IN ('password_reset', 'join', 'claim', 'unsubscribe', 'event_cancel', 'calendar'));
CREATE INDEX mail_tokens_subject ON mail_tokens (purpose, subject);
