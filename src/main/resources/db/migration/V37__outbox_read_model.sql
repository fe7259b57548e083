-- The read model dispatch publishes over its outbox: what was queued for whom, on which channel, for
-- what purpose and campaign, and where it stands. Analytics, timelines, warm-lead and campaign-reply
-- rules read this view; only dispatch runs SQL on outbox itself, so its claim and retry columns stay
-- its own to change.
CREATE VIEW outbox_sends AS
    SELECT id, phone, channel, address, subject, body, purpose, campaign, run_id, attempt_id, status, held_reason, attempts,
           next_attempt_at, provider, provider_id, provider_ref, last_error, created_at, sent_at, updated_at
    FROM outbox;
