-- The script a step went out with (an A/B variant's or the step's own), so a step's sends can be
-- told apart by variant; and why a step is waiting to be tried again, kept apart from why an
-- enrollment ended (exit_reason), which it used to share.
ALTER TABLE step_execution ADD COLUMN script VARCHAR(100);
ALTER TABLE enrollment ADD COLUMN retry_reason VARCHAR(200);
