-- The read model the conversion module publishes for figures: each tracker conversion's status,
-- payout and currency, when it was reported and last changed, and what it was matched to (the
-- message's outbox id, the lead, the campaign). Analytics counts sales and revenue through it and the
-- sequence module's step figures sum payouts per step; only the conversion module runs SQL on
-- conversion, so its postback keys (sub_id, tid, click_id) stay its own to change. A plain
-- projection, which PostgreSQL inlines: the readers keep the indexes on outbox_id and lead_id.
CREATE VIEW conversion_outcomes AS
    SELECT outbox_id, lead_id, campaign, status, payout, currency, received_at, updated_at FROM conversion;
