package com.retentionhub.lead;

import java.util.List;

/**
 * What the lead module tells the modules above it, inside the transaction that made the change
 * (published synchronously, so a listener's writes commit or roll back with it). The sequence module
 * enrolls, holds and ends on them; the lead module does not know it exists.
 */
public final class LeadEvents {

    private LeadEvents() {}

    /** A new lead was assigned to these campaigns (possibly none). */
    public record JoinedCampaigns(long leadId, List<String> campaigns) {}

    /** A campaign's status became ACTIVE, PAUSED or ENDED. */
    public record CampaignStatusChanged(String campaign, String status) {}

    /** Staff marked a lead do-not-contact; {@code reason} is at most 200 characters. */
    public record MarkedDoNotContact(long leadId, String reason) {}
}
