package com.retentionhub.dispatch;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.camel.http.base.HttpOperationFailedException;

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

    /** A request that got no answer in time: the provider may still process it, so it is looked up later, not at once. */
    public boolean timedOut() {
        return kind == Kind.AMBIGUOUS && detail != null && detail.startsWith(TIMEOUT);
    }

    static final String TIMEOUT = "timeout";

    public static ProviderError classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProviderException p) {
                return p.error();
            }
            if (t instanceof HttpOperationFailedException http) {
                return fromHttpStatus(http.getStatusCode(), String.valueOf(http.getStatusCode()), http.getResponseBody());
            }
            if (t instanceof SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return new ProviderError(Kind.AMBIGUOUS, null, TIMEOUT + ": " + t.getMessage());
            }
            if (t instanceof ConnectException) {
                return new ProviderError(Kind.RETRYABLE, null, "connection refused");
            }
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
                if (hasCause(t, ConnectException.class)) {
                    return new ProviderError(Kind.RETRYABLE, null, "connection refused");
                }
                return hasCause(t, SocketTimeoutException.class)
                        ? new ProviderError(Kind.AMBIGUOUS, null, TIMEOUT + ": " + t.getMessage())
                        : new ProviderError(Kind.AMBIGUOUS, null, t.getMessage());
            }
        }
        return new ProviderError(Kind.AMBIGUOUS, null, failure.toString());
    }

    /** For connectors that only have an HTTP status: 429 retry, 5xx ambiguous, other 4xx permanent. */
    public static ProviderError fromHttpStatus(int status, String code, String detail) {
        String text = detail == null ? "HTTP " + status : detail.length() > 300 ? detail.substring(0, 300) : detail;
        if (status == 429) {
            return new ProviderError(Kind.RETRYABLE, code, text);
        }
        if (status >= 500) {
            return new ProviderError(Kind.AMBIGUOUS, code, text);
        }
        return new ProviderError(Kind.PERMANENT, code, text);
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
