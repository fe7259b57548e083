-- The read models the lead module publishes for figures over leads: when each lead arrived, and
-- which campaigns (by name, the key the outbox and enrollments use) each lead is in. Analytics bounds
-- its sequence cohorts and counts a campaign's leads through them; only the lead module runs SQL on
-- leads, campaign and campaign_lead, so their contact and assignment columns stay its own to change.
-- Plain projections and a join of a campaign's membership rows to its name, no aggregate, so
-- PostgreSQL inlines them and the readers keep the indexes on leads (created_at) and campaign_lead.
CREATE VIEW lead_arrivals AS
    SELECT id, created_at FROM leads;
CREATE VIEW campaign_members AS
    SELECT g.name AS campaign, cl.lead_id FROM campaign_lead cl JOIN campaign g ON g.id = cl.campaign_id;
