package com.retentionhub.consent;

/** What an inbound text means for consent, found before anything else reads it. */
public enum Keyword {
    /** A whole-message opt-out keyword (STOP, CANCEL, BAJA...). */
    OPT_OUT,
    /** A plain-language revocation ("please stop texting me"): handled exactly like STOP. */
    REVOCATION,
    /** Might be a revocation ("no thanks"): one clarification, no change. */
    AMBIGUOUS,
    /** START, UNSTOP, YES... (re-consent only from an opted-out phone). */
    OPT_IN,
    /** START from an opted-out phone under the "staff" re-consent rule: a request, answered once, consent unchanged. */
    OPT_IN_REQUEST,
    /** HELP, INFO. */
    HELP;

    public boolean optsOut() {
        return this == OPT_OUT || this == REVOCATION;
    }
}
