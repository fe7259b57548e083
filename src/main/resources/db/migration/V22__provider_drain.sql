-- Providers ops have taken out of service ("drained"): dispatch sends nothing new through them, on
-- every instance, until they are resumed. A row per drained provider; resuming deletes it.
CREATE TABLE provider_drain (
    provider   VARCHAR(64) PRIMARY KEY,
    drained_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor      VARCHAR(200),
    reason     VARCHAR(500)
);
