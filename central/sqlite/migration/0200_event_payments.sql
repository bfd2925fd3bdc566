-- Paid events (issue 15): an event sold through a payment provider's form
-- (a HelloAsso event form), as products are (payment_mappings). A paid
-- item of that form registers its payer for the event (central
-- RecordPaymentOrder), and the payment keeps the registration it made, so
-- that a refund cancels it. Form slugs are stored lower-case: one event per
-- form.
CREATE TABLE event_payments (
	event_id INTEGER PRIMARY KEY REFERENCES calendar_events (id) ON DELETE CASCADE,
	source   TEXT NOT NULL,
	form     TEXT NOT NULL,
	url      TEXT NOT NULL DEFAULT '',
	price    INTEGER NOT NULL CHECK (price >= 0),
	created  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX event_payments_form ON event_payments (source, form);
ALTER TABLE payments ADD COLUMN registration_id INTEGER REFERENCES registrations (id) ON DELETE SET NULL;
