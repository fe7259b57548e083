-- The read model the conversation module publishes: every message a contact sent in, on any channel,
-- and when. A sequence step that waits for no reply reads it; what counts as a reply stays the
-- conversation module's rule.
CREATE VIEW conversation_replies AS
    SELECT c.contact_id, m.channel, m.created_at FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE m.direction = 'IN';
