-- The confirmation of an address given on a public event's page
-- (event_register: subject the event, data the form as JSON; 24 hours,
-- once). The public form used to register whoever's address was typed, and
-- its count of places left told anyone whether an address was registered
-- already. It now mails this one-time link, and only her pressing its
-- button registers her.
ALTER TABLE mail_tokens DROP CONSTRAINT mail_tokens_purpose_check;
ALTER TABLE mail_tokens ADD CONSTRAINT mail_tokens_purpose_check
	CHECK (purpose IN ('password_reset', 'join', 'claim', 'unsubscribe', 'event_cancel', 'calendar', 'member_link',
		'event_register'));
