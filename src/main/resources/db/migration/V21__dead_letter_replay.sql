-- Re-driving a dead letter: when it was last replayed, how often, and what the last replay said.
ALTER TABLE dead_letter ADD COLUMN replay_count INT DEFAULT 0 NOT NULL;
ALTER TABLE dead_letter ADD COLUMN replayed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE dead_letter ADD COLUMN replay_error TEXT;
CREATE INDEX ix_dead_letter_created ON dead_letter (created_at);
