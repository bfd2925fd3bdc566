-- A payment's gift flag (issue 9: the domain reads no provider's words).
-- Whether an order item is a gift to the association is the provider's
-- adapter's decision (central/billing/helloasso: its donation form and
-- item types), kept with the payment so that a refunded donation is
-- still known as one. Payments stored before are flagged from the
-- HelloAsso types they kept, as the domain used to read them.
ALTER TABLE payments ADD COLUMN gift INTEGER NOT NULL DEFAULT 0 CHECK (gift IN (0, 1));
UPDATE payments SET gift = 1
	WHERE source = 'helloasso' AND (form_type = 'Donation' OR item_type IN ('Donation', 'MonthlyDonation', 'OfflineDonation'));
