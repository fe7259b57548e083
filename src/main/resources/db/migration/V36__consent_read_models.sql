-- The read models the consent module publishes: other modules filter and show consent through these
-- views and never query consent_state itself, so consent alone decides what its rows mean.
-- Phones opted out on a channel: nothing leaves for them on it.
CREATE VIEW consent_opted_out AS
    SELECT phone, channel FROM consent_state WHERE status = 'OPTED_OUT';
-- Each phone's consent status per channel, as staff see it.
CREATE VIEW consent_status AS
    SELECT phone, channel, status FROM consent_state;
