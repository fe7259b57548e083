-- A warm lead: a contact who answered a campaign text with a YES or interest (the first such reply).
ALTER TABLE contact ADD COLUMN warm_lead_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE contact ADD COLUMN warm_lead_text TEXT;
ALTER TABLE contact ADD COLUMN warm_lead_campaign VARCHAR(100);
CREATE INDEX ix_contact_warm ON contact (warm_lead_at);
