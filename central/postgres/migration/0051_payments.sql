-- Payments by hand: how each sale was paid (cash, cheque, transfer, card,
-- helloasso, other; unpaid until the treasurer records the payment), the
-- day the money came in ('' while unpaid), a cheque's bank and number, and
-- who paid when not the member (for the bank deposit slip). Sales recorded
-- before say 'other', those from HelloAsso 'helloasso', paid the day they
-- were recorded.
ALTER TABLE sales ADD COLUMN paid_method TEXT NOT NULL DEFAULT 'other'
	CHECK (paid_method IN ('cash', 'cheque', 'transfer', 'card', 'helloasso', 'other', 'unpaid'));
ALTER TABLE sales ADD COLUMN paid_day TEXT NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN cheque_bank TEXT NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN cheque_number TEXT NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN payer TEXT NOT NULL DEFAULT '';
UPDATE sales SET paid_method = 'helloasso' WHERE source = 'helloasso';
UPDATE sales SET paid_day = start_day;
-- What members owe, and the deposit of a day.
CREATE INDEX sales_unpaid ON sales (member_id) WHERE paid_method = 'unpaid' AND refunded = '';
CREATE INDEX sales_paid_day ON sales (paid_day) WHERE paid_method IN ('cash', 'cheque');
