package com.retentionhub.consent;

/**
 * A phone opted out on {@code channel}, published inside the transaction that recorded it, so
 * everything queued for that person ends with the opt-out or not at all (see the sequence
 * module's {@code OutreachEnd}).
 */
public record ConsentWithdrawn(String phone, String channel, String source) {

    /** The reason each ended enrollment and withdrawn message carries: "opted out (sms)". */
    public String reason() {
        return "opted out (" + channel + ")";
    }
}
