-- The per-conversation count of model turns (SMS_MAX_AI_TURNS) ran on every reply as a sequential
-- scan of reply_task: 432 million rows read in one turns benchmark, which made PostgreSQL, not the
-- model, the limit on conversation turns.
CREATE INDEX ix_reply_task_conversation ON reply_task (conversation_id, outcome);
