-- The read model the conversation module publishes: the queued emails (by outbox id) the recipient
-- opened or answered, as their delivery reports say. A sequence step meant only for unopened emails
-- reads it; which statuses mean opened stays the conversation module's rule.
CREATE VIEW opened_emails AS
    SELECT outbox_id FROM message WHERE channel = 'email' AND status IN ('read', 'replied') AND outbox_id IS NOT NULL;
