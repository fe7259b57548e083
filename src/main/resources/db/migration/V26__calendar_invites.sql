-- Calendar invites by email: each appointment remembers whether its invite (and, once cancelled, its
-- cancellation) went out, to which address, and how often sending failed. An invite is resent only
-- while it is not marked sent; the iCalendar UID and SEQUENCE make a repeat after a crash harmless.
ALTER TABLE appointment ADD COLUMN invite_state VARCHAR(16);
ALTER TABLE appointment ADD COLUMN invite_email VARCHAR(320);
ALTER TABLE appointment ADD COLUMN invite_attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE appointment ADD COLUMN invite_error VARCHAR(500);
ALTER TABLE appointment ADD COLUMN cancelled_at TIMESTAMP WITH TIME ZONE;
