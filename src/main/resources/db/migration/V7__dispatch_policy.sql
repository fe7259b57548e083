-- Dispatch policy: what a message is for, which campaign it belongs to, when it left, when it
-- stops being worth sending, and the attempt id the tracker's postback names.

-- 'reply' (an answer to the customer's own text: exempt from caps), 'message' (business-initiated),
-- 'opt-out-confirmation', 'staff-alert' (to the business's own staff).
UPDATE outbox SET purpose = 'reply' WHERE idempotency_key LIKE 'reply:%' OR idempotency_key LIKE 'escalation-ack:%';
UPDATE outbox SET purpose = 'staff-alert' WHERE idempotency_key LIKE 'escalation-staff:%';

ALTER TABLE outbox ADD COLUMN campaign VARCHAR(100);
ALTER TABLE outbox ADD COLUMN sender VARCHAR(32);
ALTER TABLE outbox ADD COLUMN subject VARCHAR(300);
ALTER TABLE outbox ADD COLUMN attempt_id VARCHAR(40);
ALTER TABLE outbox ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
-- Set when the message left (or was recorded as simulated): what the caps count.
ALTER TABLE outbox ADD COLUMN sent_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE outbox ADD COLUMN claimed_at TIMESTAMP WITH TIME ZONE;
-- Why a row waits (quiet hours, a cap, an open breaker), for staff and ops.
ALTER TABLE outbox ADD COLUMN held_reason VARCHAR(200);
CREATE INDEX ix_outbox_phone_sent ON outbox (phone, sent_at);
CREATE INDEX ix_outbox_attempt ON outbox (attempt_id);
CREATE INDEX ix_outbox_claimed ON outbox (status, claimed_at);

-- The recipient's own time zone when known (else the area code's, else the business's).
ALTER TABLE contact ADD COLUMN time_zone VARCHAR(64);
