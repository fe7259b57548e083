-- The read model the ingress module publishes: every inbound event it stored, from which phone and
-- when it arrived. Batch runs count a text back after a hand-over as a reply through it; only ingress
-- runs SQL on inbound_event itself, so its dedupe and reply columns stay its own to change.
CREATE VIEW inbound_texts AS
    SELECT id, provider, phone, received_at FROM inbound_event;
