-- The read models the sequence module publishes for figures over its sequences: their names, their
-- steps, the enrollments, and each step run (an execution with its step's position and channel and
-- its enrollment's lead, campaign and status). Analytics builds its funnel, step, leaderboard and
-- operations views on them; only the sequence module runs SQL on sequence, sequence_step, enrollment
-- and step_execution, so the processor's scheduling and retry columns stay its own to change.
-- Projections and inner joins along the foreign keys, no aggregate or DISTINCT, so PostgreSQL inlines
-- them into the readers' queries and keeps the indexes on enrollment and step_execution.
CREATE VIEW sequence_names AS
    SELECT id, name FROM sequence;
CREATE VIEW sequence_steps AS
    SELECT id, sequence_id, position, channel, script FROM sequence_step;
CREATE VIEW sequence_enrollments AS
    SELECT id, sequence_id, lead_id, campaign, status, enrolled_at, next_run_at FROM enrollment;
CREATE VIEW sequence_step_runs AS
    SELECT x.enrollment_id, x.step_id, x.status, x.outbox_id, x.executed_at, s.position, s.channel,
           e.sequence_id, e.lead_id, e.campaign, e.status AS enrollment_status
    FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id JOIN sequence_step s ON s.id = x.step_id;
