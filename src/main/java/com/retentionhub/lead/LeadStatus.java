package com.retentionhub.lead;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a lead stands. Intake makes it NEW, enrollment IN_PROGRESS, the first step sent CONTACTED;
 * the tracker makes it CONVERTED or REJECTED; an opt-out on any channel, staff or a deletion make it
 * DO_NOT_CONTACT, which only renewed consent lifts ({@link Leads#liftDoNotContact}).
 */
public enum LeadStatus {
    NEW, IN_PROGRESS, CONTACTED, CONVERTED, REJECTED, DO_NOT_CONTACT;

    /**
     * The statuses a lead moves to this one from ({@link Leads#markStatus}): forward only, the
     * tracker's verdicts replace each other (a sale may be rejected later), and nothing but renewed
     * consent replaces DO_NOT_CONTACT.
     */
    public Set<LeadStatus> movesFrom() {
        return switch (this) {
            case NEW -> EnumSet.noneOf(LeadStatus.class);
            case IN_PROGRESS -> EnumSet.of(NEW);
            case CONTACTED -> EnumSet.of(NEW, IN_PROGRESS);
            case CONVERTED, REJECTED, DO_NOT_CONTACT -> EnumSet.complementOf(EnumSet.of(DO_NOT_CONTACT));
        };
    }

    /** The lead's outreach is over: it converted, was rejected or must not be contacted. */
    public boolean endsOutreach() {
        return this == CONVERTED || this == REJECTED || this == DO_NOT_CONTACT;
    }
}
