package com.retentionhub.dispatch;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;

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
        /** Not processed, safe to try again later (429/20429, connection refused or never made). */
        RETRYABLE,
        /** May or may not have been sent (5xx, read timeout, connection reset or lost): reconcile before any resend. */
        AMBIGUOUS,
        /** Refused for good (other 4xx, content filtered). */
        PERMANENT
    }

    /** A request that got no answer in time: the provider may still process it, so it is looked up later, not at once. */
    public boolean timedOut() {
        return kind == Kind.AMBIGUOUS && detail != null && detail.startsWith(TIMEOUT);
    }

    static final String TIMEOUT = "timeout";

    /**
     * What a failed call means. A transport fault is found first, anywhere in the cause chain: the
     * Twilio SDK wraps every IOException in an ApiException with no code or status, which would
     * otherwise read as a refusal.
     */
    public static ProviderError classify(Throwable failure) {
        ProviderError transport = transport(failure);
        if (transport != null) {
            return transport;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProviderException p) {
                return p.error();
            }
            if (t instanceof HttpOperationFailedException http) {
                return fromHttpStatus(http.getStatusCode(), String.valueOf(http.getStatusCode()), http.getResponseBody());
            }
            if (t instanceof ApiException api) {
                return fromTwilio(api);
            }
            if (t instanceof ApiConnectionException) {
                return new ProviderError(Kind.AMBIGUOUS, null, t.getMessage());
            }
        }
        return new ProviderError(Kind.AMBIGUOUS, null, failure.toString());
    }

    /**
     * A fault of the connection rather than an answer. One that came before the request could leave
     * (refused, unreachable, no such host, connect timed out, TLS handshake failed) sent nothing: retry it. One after (a
     * read timeout, a reset, a connection closed without an answer) may have sent it: look it up.
     */
    static ProviderError transport(Throwable failure) {
        IOException lost = null;
        IOException timedOut = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                    || t instanceof ConnectTimeoutException || t instanceof HttpConnectTimeoutException
                    || t instanceof SSLHandshakeException) {
                return new ProviderError(Kind.RETRYABLE, null, "could not connect: " + t.getMessage());
            }
            if ((t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) && timedOut == null) {
                timedOut = (IOException) t;
            } else if (t instanceof IOException io && lost == null) {
                lost = io;
            }
        }
        if (timedOut != null) {
            return new ProviderError(Kind.AMBIGUOUS, null, TIMEOUT + ": " + timedOut.getMessage());
        }
        if (lost != null) {
            return new ProviderError(Kind.AMBIGUOUS, null, "connection lost: " + lost);
        }
        return null;
    }

    /** An error document Twilio answered with, by its code and HTTP status. */
    private static ProviderError fromTwilio(ApiException api) {
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
        if (code == null && http == null) {
            // Not an answer from Twilio (the SDK gave up on something): it may have been sent.
            return new ProviderError(Kind.AMBIGUOUS, null, api.getMessage());
        }
        return new ProviderError(Kind.PERMANENT, c, api.getMessage());
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
}
