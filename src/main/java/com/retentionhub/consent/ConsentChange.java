package com.retentionhub.consent;

import java.time.Instant;

/** One entry for the consent ledger. */
public record ConsentChange(
        String phone, String channel, Action action, Source source, String text, String actor, Instant occurredAt) {

    public enum Action {
        OPT_OUT, OPT_IN
    }

    public enum Source {
        KEYWORD,
        /** A plain-language revocation in an ordinary text; the text is the evidence. */
        MESSAGE, STAFF, IMPORT, API, PROVIDER,
        /** Written by the hub itself: an opt-out restored from a deleted customer's tombstone. */
        SYSTEM
    }
}
