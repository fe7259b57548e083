package com.retentionhub.consent;

/** Compliance keywords a customer can send as a whole message. */
public enum Keyword {
    OPT_OUT,
    OPT_IN,
    HELP
}
