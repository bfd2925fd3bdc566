-- A payment's space (issue 14, central.Payment.Space): the space whose own
-- organisation at the provider took the order, 0 for the network's. A gift
-- to a space's own organisation (a space that keeps its own books) is that
-- space's donation, with its totals and its tax receipts in its own
-- association's name (central/donation.go), no longer a payment waiting in
-- Paiements for its treasurer.
ALTER TABLE payments ADD COLUMN space_id INTEGER NOT NULL DEFAULT 0;

-- Gifts stored before: a gift whose order was notified by a space's own
-- organisation is that space's. The order's notice, when the outbox still
-- holds it (its key names the space: central.PaymentNoticeMessage), says
-- which; this also makes a space's refunded gift that space's, not the
-- network's.
UPDATE payments SET space_id = (SELECT MIN(s.id) FROM spaces s JOIN outbox o
		ON o.key = 'helloasso.order:' || payments.source || ':space:' || s.id || ':' || payments.order_ref)
	WHERE gift = 1 AND EXISTS (SELECT 1 FROM spaces s JOIN outbox o
		ON o.key = 'helloasso.order:' || payments.source || ':space:' || s.id || ':' || payments.order_ref);
-- A gift left waiting as space_donation whose notice is purged is the
-- gift of the one space with its own HelloAsso organisation, when there is
-- only one (only such a space's orders were ever marked so).
UPDATE payments SET space_id = (SELECT MIN(id) FROM spaces WHERE books LIKE '%"helloasso.%":%' HAVING COUNT(*) = 1)
	WHERE status = 'unmatched' AND reason = 'space_donation' AND space_id = 0
		AND (SELECT COUNT(*) FROM spaces WHERE books LIKE '%"helloasso.%":%') = 1;
-- Those gifts become their space's donations. Safe: only what Badgeuse
-- itself left waiting with the reason that never meant anything but "a
-- paid gift to a space's own organisation" changes, and it changes only
-- the list it is in (no sale, no credit, no money, no member involved). A
-- payment the bureau set aside by hand (status ignored) stays as it is,
-- and a gift whose space cannot be told (its notice purged, several
-- spaces with their own organisation) stays waiting as before, until its
-- order is read again (it is then recorded as its space's donation) or
-- the bureau sets it aside.
UPDATE payments SET status = 'ignored', reason = 'donation'
	WHERE status = 'unmatched' AND reason = 'space_donation' AND space_id <> 0;
