-- Learning analytics: indexes the views read by, and the word-performance rollup.

-- Time-bounded reads: messages today, sends in a range, steps in the last hour, conversions per message.
CREATE INDEX ix_message_created ON message (created_at);
CREATE INDEX ix_outbox_sent_at ON outbox (sent_at);
CREATE INDEX ix_outbox_created ON outbox (created_at);
-- A campaign's people (the campaign filter of the conversation views) without reading the outbox.
CREATE INDEX ix_outbox_campaign ON outbox (campaign, phone);
CREATE INDEX ix_step_execution_at ON step_execution (executed_at);
CREATE INDEX ix_conversion_outbox ON conversion (outbox_id);
CREATE INDEX ix_leads_created ON leads (created_at);
CREATE INDEX ix_enrollment_sequence ON enrollment (sequence_id, lead_id);

-- Terms (unigrams and bigrams) of the business's sent texts per local day, campaign and channel:
-- in how many messages each appeared and how many of those converted. The empty term counts the
-- messages themselves. Rebuilt day by day (WordStats) when a day gains sends or conversions, because
-- tokenising a million sent texts per request would not answer in time.
CREATE TABLE word_stat (
    sent_on     DATE         NOT NULL,
    campaign    VARCHAR(100) NOT NULL,
    channel     VARCHAR(16)  NOT NULL,
    term        VARCHAR(100) NOT NULL,
    sends       INT          NOT NULL,
    conversions INT          NOT NULL,
    PRIMARY KEY (sent_on, campaign, channel, term)
);

-- How far a rollup has read its sources; the row is also the lock that keeps two refreshes apart.
CREATE TABLE analytics_mark (
    name         VARCHAR(50) PRIMARY KEY,
    sends_to     TIMESTAMP WITH TIME ZONE NOT NULL,
    conversions_to TIMESTAMP WITH TIME ZONE NOT NULL,
    refreshed_at TIMESTAMP WITH TIME ZONE
);
INSERT INTO analytics_mark (name, sends_to, conversions_to) VALUES ('words', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
