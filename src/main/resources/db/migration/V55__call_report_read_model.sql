-- The read model dispatch publishes over its call reports: what the voice provider said about each call
-- that ended (reason, summary, transcript, recording, keywords), keyed by the outbox row that placed it.
-- The conversation log reads this view; only dispatch runs SQL on call_report itself.
CREATE VIEW ended_calls AS
    SELECT provider_id, outbox_id, ended_reason, summary, transcript, keywords, duration_seconds, cost, recording_url, received_at
    FROM call_report;
