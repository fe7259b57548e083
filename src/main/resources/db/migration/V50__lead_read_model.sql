-- The read model the lead module publishes: who each lead is, where it came from and where it stands.
-- Other modules join and filter leads through this view; only the lead module runs SQL on the leads
-- table itself (status changes go through lead.Leads), so its columns stay its own to change.
CREATE VIEW lead_card AS
    SELECT id, phone, email, name, source, status, external_id, sub_id, click_id, created_at, updated_at FROM leads;
