package com.retentionhub.consent;

/** Current consent of one phone on one channel. NONE: nothing recorded, sending is allowed. */
public enum ConsentStatus {
    NONE, OPTED_IN, OPTED_OUT;

    public boolean allowsSending() {
        return this != OPTED_OUT;
    }
}
