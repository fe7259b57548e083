-- When a campaign takes new leads: from starts_at (null: already) until ends_at (null: no end). Kept beside
-- the campaign row so a campaign without a window is unchanged; owned by the lead module (CampaignWindows).
CREATE TABLE campaign_window (
    campaign_id BIGINT NOT NULL PRIMARY KEY REFERENCES campaign (id),
    starts_at   TIMESTAMP WITH TIME ZONE,
    ends_at     TIMESTAMP WITH TIME ZONE,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
