-- The read model the contact module publishes: who a phone belongs to and what staff know of them.
-- Other modules join and filter contacts through this view; only the contact module runs SQL on the
-- contact table itself, so its columns stay its own to change.
CREATE VIEW contact_card AS
    SELECT id, phone, name, email, phone_valid, time_zone, service_status, last_service_on, cancelled_on, open_issues, tags,
           lead_score, lead_score_reasons, lead_scored_at, warm_lead_at, warm_lead_text, warm_lead_campaign, created_at, updated_at
    FROM contact;
