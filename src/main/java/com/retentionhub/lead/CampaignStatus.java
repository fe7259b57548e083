package com.retentionhub.lead;

/** Where a campaign stands: ACTIVE sends, PAUSED holds its enrollments, ENDED ends them. */
public enum CampaignStatus {
    ACTIVE, PAUSED, ENDED
}
