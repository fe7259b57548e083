-- A run hands over at most daily_cap targets a day (the business's day), like the daily cold batch;
-- NULL: no cap. note says why a run had nothing to do (an empty audience), so staff are not left guessing.
ALTER TABLE outreach_run ADD COLUMN daily_cap INTEGER;
ALTER TABLE outreach_run ADD COLUMN note VARCHAR(300);
