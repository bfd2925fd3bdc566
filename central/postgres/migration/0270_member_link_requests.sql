-- A member's request for a new personal link from the public lost-link
-- form /m (member_link: subject the member; 24 hours, once). The form used
-- to make her new link at once, revoking the one she had: anyone who knew
-- her address could cut her off. It now mails her this one-time link, and
-- only her pressing its button makes the new personal link (and revokes
-- the old one).
ALTER TABLE mail_tokens DROP CONSTRAINT mail_tokens_purpose_check;
ALTER TABLE mail_tokens ADD CONSTRAINT mail_tokens_purpose_check
	CHECK (purpose IN ('password_reset', 'join', 'claim', 'unsubscribe', 'event_cancel', 'calendar', 'member_link'));
