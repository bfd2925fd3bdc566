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
	month     TEXT COLLATE "C" NOT NULL,
	host_id   BIGINT NOT NULL REFERENCES spaces (id),
	seller_id BIGINT NOT NULL REFERENCES spaces (id),
	seq       BIGINT NOT NULL CHECK (seq >= 1),
	visits    BIGINT CHECK (visits >= 0),
	rate      BIGINT CHECK (rate >= 0),
	amount    BIGINT CHECK (amount >= 0),
	asked     TEXT COLLATE "C" NOT NULL,
	made      TEXT COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (month, host_id, seller_id, seq)
);

-- The invoices asked before this table, from their outbox messages
-- (still stored: finished ones are purged after the retention).
INSERT INTO settlement_invoices (month, host_id, seller_id, seq, asked, made)
SELECT r.month, r.host, r.seller, 1, o.created, CASE WHEN o.outcome = 'sent' THEN o.done ELSE '' END
FROM outbox o, json_to_record(o.payload::json) AS r (month TEXT, host BIGINT, seller BIGINT)
WHERE o.topic = 'pennylane.settlement'
	AND EXISTS (SELECT 1 FROM spaces WHERE id = r.host)
	AND EXISTS (SELECT 1 FROM spaces WHERE id = r.seller)
	AND length(r.month) = 7
ON CONFLICT DO NOTHING;
