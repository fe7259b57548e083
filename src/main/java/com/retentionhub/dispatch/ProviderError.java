package com.retentionhub.dispatch;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import java.net.ConnectException;

/**
 * What a failed provider call means for the message. Twilio's create call is not idempotent: after
 * a 5xx or a lost answer the text may already be out, so only errors known not to have been
 * processed are retried.
 */
public record ProviderError(Kind kind, String code, String detail) {

    public enum Kind {
        /** The recipient opted out at the carrier/provider (Twilio 21610): record the opt-out, never retry. */
        OPTED_OUT,
        /** Invalid or non-mobile number (21211, 21614): mark the contact, never retry. */
        INVALID_RECIPIENT,
        /** Not processed, safe to try again later (429/20429, connection refused). */
        RETRYABLE,
        /** May or may not have been sent (5xx, timeout): reconcile before any resend. */
        AMBIGUOUS,
        /** Refused for good (other 4xx, content filtered). */
        PERMANENT
    }

    public static ProviderError classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                Integer code = api.getCode();
                Integer http = api.getStatusCode();
                String c = code == null ? (http == null ? null : String.valueOf(http)) : String.valueOf(code);
                if (code != null && code == 21610) {
                    return new ProviderError(Kind.OPTED_OUT, c, api.getMessage());
                }
                if (code != null && (code == 21211 || code == 21614)) {
                    return new ProviderError(Kind.INVALID_RECIPIENT, c, api.getMessage());
                }
                if ((code != null && code == 20429) || (http != null && http == 429)) {
                    return new ProviderError(Kind.RETRYABLE, c, api.getMessage());
                }
                if (http != null && http >= 500) {
                    return new ProviderError(Kind.AMBIGUOUS, c, api.getMessage());
                }
                return new ProviderError(Kind.PERMANENT, c, api.getMessage());
            }
            if (t instanceof ApiConnectionException) {
                return hasCause(t, ConnectException.class)
                        ? new ProviderError(Kind.RETRYABLE, null, "connection refused")
                        : new ProviderError(Kind.AMBIGUOUS, null, t.getMessage());
            }
        }
        return new ProviderError(Kind.AMBIGUOUS, null, failure.toString());
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
