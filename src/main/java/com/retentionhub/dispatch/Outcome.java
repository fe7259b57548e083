package com.retentionhub.dispatch;

import java.time.Instant;

/**
 * What happened to one claimed outbox row, as dispatch will write it: the row's new status, the
 * conversation log's status, the provider's answer, and when to try again if the row goes back to
 * the queue. {@code countsAsAttempt} is false for a hold (quiet hours, every provider out of
 * service), which must not use up the row's attempts.
 */
record Outcome(String status, String messageStatus, String provider, String providerId, String errorCode, String detail,
        Instant nextAttempt,
        boolean sent, boolean countsAsAttempt, ProviderError.Kind failure, String target) {

    static Outcome terminal(String status, String messageStatus, String provider, String errorCode, String detail) {
        return new Outcome(status, messageStatus, provider, null, errorCode, detail, null, false, true, null, null);
    }

    static Outcome later(String status, String provider, String detail, Instant next, boolean countsAsAttempt) {
        return new Outcome(status, null, provider, null, null, detail, next, false, countsAsAttempt, null, null);
    }

    static Outcome sent(String provider, String providerId, String status, String target) {
        return new Outcome(Outbox.SENT, MessageStatus.normalise(status), provider, providerId, null, null, null, true, true, null,
                target == null || target.isBlank() ? null : target);
    }

    static Outcome simulated() {
        return new Outcome(Outbox.SIMULATED, "simulated", null, null, null, null, null, true, true, null, null);
    }

    static Outcome failed(String provider, ProviderError error) {
        return new Outcome(Outbox.FAILED, "failed", provider, null, error.code(), describe(error), null, false, true, error.kind(), null);
    }

    static String describe(ProviderError error) {
        return error == null ? null : error.code() == null ? error.detail() : error.code() + ": " + error.detail();
    }
}
