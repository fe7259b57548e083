-- Email (Instantly) and voice (VAPI) go through the same outbox and dispatch as SMS.

-- The email address of an email row; phone stays the contact's key (consent and caps are kept per phone).
ALTER TABLE outbox ADD COLUMN address VARCHAR(320);
-- The provider-side target a script chose (Instantly campaign, VAPI assistant); null: the campaign's, else the default.
ALTER TABLE outbox ADD COLUMN target VARCHAR(200);
-- The target the message actually went to: how an Instantly event (campaign id + lead email) finds its row.
ALTER TABLE outbox ADD COLUMN provider_ref VARCHAR(200);
CREATE INDEX ix_outbox_address ON outbox (address, provider_ref);

-- VAPI's end-of-call report: what was said and what came of it, one per call.
CREATE TABLE call_report (
    provider_id      VARCHAR(64) PRIMARY KEY,
    outbox_id        BIGINT,
    ended_reason     VARCHAR(100),
    summary          TEXT,
    transcript       TEXT,
    keywords         TEXT,
    duration_seconds DOUBLE PRECISION,
    cost             DOUBLE PRECISION,
    recording_url    VARCHAR(1000),
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A conversation's log holds its emails and calls beside its texts.
ALTER TABLE message ADD COLUMN channel VARCHAR(16) NOT NULL DEFAULT 'sms';
