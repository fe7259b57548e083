package com.retentionhub.dispatch;

import java.time.Instant;

/**
 * What every SMS lookup connector takes: find the message the hub may have handed to the provider
 * (by the idempotency key it sent as a reference, or by recipient, body and time).
 */
public record SmsLookup(String to, String body, String reference, Instant since) {

    /** What it returns: whether the provider has the message, and its id and status if so. */
    public record Result(boolean found, String providerId, String status) {
        public static Result notFound() {
            return new Result(false, null, null);
        }
    }
}
