-- Failed hand-overs of the current step (no script yet, a template that cannot be filled), retried up to the step's limit.
ALTER TABLE enrollment ADD COLUMN step_attempts INT NOT NULL DEFAULT 0;
