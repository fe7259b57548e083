-- The read models the conversation module publishes for figures over its threads: the messages
-- (direction, channel, delivery status, intent, text, the outbox row that sent it), which contact
-- each conversation is with, and the appointments booked by text. Analytics counts activity, booking
-- requests, interest per service and responses to sequence steps through them; only the conversation
-- module runs SQL on conversation, message and appointment, so its state machine, staff take-over and
-- invite columns stay its own to change. Plain projections, which PostgreSQL inlines: the readers keep
-- the indexes on message (created_at, conversation_id, outbox_id).
CREATE VIEW conversation_messages AS
    SELECT id, conversation_id, direction, channel, status, intent, body, outbox_id, created_at FROM message;
CREATE VIEW conversation_contacts AS
    SELECT id AS conversation_id, contact_id FROM conversation;
CREATE VIEW conversation_appointments AS
    SELECT id, conversation_id, phone, status, created_at FROM appointment;
