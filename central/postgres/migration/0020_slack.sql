-- Delivery state of outbox messages (central.OutboxDelivery), used by the
-- Slack worker and open to any other worker.
--
-- send_started: when a send began whose outcome is not recorded ('' when
-- none). It is written before the request leaves and cleared only once the
-- outcome is known, so after a crash the next attempt knows the message
-- may already have arrived and checks (Slack: the channel's history).
-- outcome: how a finished message ended: 'sent', 'skipped', 'failed'
-- ('' while pending, or finished by CompleteOutbox).
ALTER TABLE outbox ADD COLUMN send_started TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN outcome TEXT COLLATE "C" NOT NULL DEFAULT ''
	CHECK (outcome IN ('', 'sent', 'skipped', 'failed'));

-- The head of a topic's queue, in order (ClaimOutboxNext).
CREATE INDEX outbox_queue ON outbox (topic, id) WHERE done = '';
-- Finished messages, to list and purge them.
CREATE INDEX outbox_done ON outbox (done) WHERE done <> '';

-- PostgreSQL only: which process claimed a message (DB.owner, a session
-- advisory lock its process holds while it lives; 0: none known), so that
-- a restarted centrald releases the claims of dead processes only, never
-- those of another centrald still sending them (ReleaseOutbox).
ALTER TABLE outbox ADD COLUMN claimed_by BIGINT NOT NULL DEFAULT 0;
