-- The read model the conversation module publishes: contacts whose conversation is closed to outreach,
-- because the customer opted out (stop) or the request is complete (done), with that state. Batches
-- leave them out; which states close a conversation stays the conversation module's rule.
CREATE VIEW conversation_closed AS
    SELECT contact_id, state FROM conversation WHERE state IN ('stop', 'done');
