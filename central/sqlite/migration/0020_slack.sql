-- Delivery state of outbox messages (central.OutboxDelivery), used by the
-- Slack worker and open to any other worker.
--
-- send_started: when a send began whose outcome is not recorded ('' when
-- none). It is written before the request leaves and cleared only once the
-- outcome is known, so after a crash the next attempt knows the message
-- may already have arrived and checks (Slack: the channel's history).
-- outcome: how a finished message ended: 'sent', 'skipped', 'failed'
-- ('' while pending, or finished by CompleteOutbox).
ALTER TABLE outbox ADD COLUMN send_started TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN outcome TEXT NOT NULL DEFAULT ''
	CHECK (outcome IN ('', 'sent', 'skipped', 'failed'));

-- The head of a topic's queue, in order (ClaimOutboxNext).
CREATE INDEX outbox_queue ON outbox (topic, id) WHERE done = '';
-- Finished messages, to list and purge them.
CREATE INDEX outbox_done ON outbox (done) WHERE done <> '';
