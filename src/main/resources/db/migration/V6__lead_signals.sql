-- Per-text intent and sentiment; per-contact lead score with its explanation.
ALTER TABLE message ADD COLUMN intent VARCHAR(16);
ALTER TABLE message ADD COLUMN sentiment INT;
ALTER TABLE contact ADD COLUMN lead_score INT;
ALTER TABLE contact ADD COLUMN lead_score_reasons TEXT;
ALTER TABLE contact ADD COLUMN lead_scored_at TIMESTAMP WITH TIME ZONE;
