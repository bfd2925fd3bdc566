-- The invoices between spaces (issue 14, central/settlement_invoice.go):
-- one row per invoice a host space asked, from its own Pennylane company,
-- of the seller space for a month's visits. seq 1 is the month's first
-- invoice (outbox key pennylane.settlement:MONTH:HOST:SELLER); 2, 3... are
-- the complements for visits synced after it (key ...:SEQ). visits, rate
-- and amount are what it invoices (a complement: the visits more than
-- before), as the treasurer confirmed them; NULL for an invoice asked
-- before they were kept, until the worker makes it. asked: when it was
-- asked; made: when the invoice was made or found at Pennylane ('' until
-- then). Kept for good: the outbox forgets finished messages.
CREATE TABLE settlement_invoices (
	month     TEXT NOT NULL,
	host_id   INTEGER NOT NULL REFERENCES spaces (id),
	seller_id INTEGER NOT NULL REFERENCES spaces (id),
	seq       INTEGER NOT NULL CHECK (seq >= 1),
	visits    INTEGER CHECK (visits >= 0),
	rate      INTEGER CHECK (rate >= 0),
	amount    INTEGER CHECK (amount >= 0),
	asked     TEXT NOT NULL,
	made      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (month, host_id, seller_id, seq)
) STRICT;

-- The invoices asked before this table, from their outbox messages
-- (still stored: finished ones are purged after the retention).
INSERT INTO settlement_invoices (month, host_id, seller_id, seq, asked, made)
SELECT json_extract(o.payload, '$.month'), json_extract(o.payload, '$.host'), json_extract(o.payload, '$.seller'), 1, o.created,
	CASE WHEN o.outcome = 'sent' THEN o.done ELSE '' END
FROM outbox o
WHERE o.topic = 'pennylane.settlement' AND json_valid(o.payload)
	AND EXISTS (SELECT 1 FROM spaces WHERE id = json_extract(o.payload, '$.host'))
	AND EXISTS (SELECT 1 FROM spaces WHERE id = json_extract(o.payload, '$.seller'))
	AND length(json_extract(o.payload, '$.month')) = 7
ON CONFLICT DO NOTHING;
