package com.retentionhub.dispatch;

import java.time.Clock;
import java.util.List;

/**
 * The failover decision for one message: which of its channel's providers is tried next, and when
 * to stop. Primary first, then the next on an outage or capacity error (or an open breaker); never
 * on an answer about the message itself. An unclear answer (a 5xx) is looked up before the next
 * provider is tried, so a message goes out once; a provider that cannot be asked ends the attempt.
 * It makes no call of its own ({@link Calls} does), so the decision is tested without providers.
 */
final class Failover {

    /** What the decision needs from the providers of one message. */
    interface Calls {

        /** Ops took it out of service. */
        boolean drained(String provider);

        /** Its circuit breaker lets a call through (and counts it as taken). */
        boolean admitted(String provider);

        /** It can be asked whether it has the message. */
        boolean canLookUp(String provider);

        /** Sends the message through it; {@code failingOver} when an earlier provider was tried first (the next one's own pace applies). */
        Tried send(String provider, boolean failingOver);

        /** Whether it has the message; null when the lookup itself failed. */
        SmsLookup.Result lookup(String provider);
    }

    /** A provider's answer: a receipt or an error, and the provider-side target the message went to. */
    record Tried(Receipt receipt, ProviderError error, String target) {}

    private final Clock clock;
    private final int reconcileAfterSeconds;
    private final int breakerWaitSeconds;

    /**
     * @param reconcileAfterSeconds how long an unclear answer is left before the provider is asked about it
     * @param breakerWaitSeconds how long a message waits when every provider is out of service (a breaker's open time)
     */
    Failover(Clock clock, int reconcileAfterSeconds, int breakerWaitSeconds) {
        this.clock = clock;
        this.reconcileAfterSeconds = reconcileAfterSeconds;
        this.breakerWaitSeconds = breakerWaitSeconds;
    }

    /** Tries {@code order} (the channel's providers, primary first) until one takes the message or it is clear none should be tried. */
    Outcome deliver(String channel, List<String> order, Calls calls) {
        ProviderError last = null;
        String lastProvider = null;
        boolean first = true;
        for (String provider : order) {
            if (calls.drained(provider)) {
                continue; // ops took it out of service: the next provider, or the message waits below
            }
            if (!calls.admitted(provider)) {
                last = new ProviderError(ProviderError.Kind.RETRYABLE, null, provider + " breaker open");
                lastProvider = provider;
                continue;
            }
            Tried attempt = calls.send(provider, !first);
            first = false;
            if (attempt.error() == null) {
                return Outcome.sent(provider, attempt.receipt().providerId(), attempt.receipt().status(), attempt.target());
            }
            ProviderError error = attempt.error();
            lastProvider = provider;
            last = error;
            switch (error.kind()) {
                case RETRYABLE -> {
                    continue;
                }
                case AMBIGUOUS -> {
                    if (!calls.canLookUp(provider)) {
                        // Nobody can tell whether it went (a call, say): never risk a second one.
                        return Outcome.terminal(Outbox.FAILED, "failed", provider, error.code(),
                                Outcome.describe(error) + "; outcome unknown and " + provider + " has no lookup: not repeated");
                    }
                    if (error.timedOut()) {
                        // It may still be working on it: ask later, and send nothing meanwhile.
                        return Outcome.later(Outbox.UNKNOWN, provider, Outcome.describe(error),
                                clock.instant().plusSeconds(reconcileAfterSeconds), true);
                    }
                    SmsLookup.Result found = calls.lookup(provider);
                    if (found == null) {
                        return Outcome.later(Outbox.UNKNOWN, provider, Outcome.describe(error) + "; lookup failed",
                                clock.instant().plusSeconds(reconcileAfterSeconds), true);
                    }
                    if (found.found()) {
                        return Outcome.sent(provider, found.providerId(), found.status(), attempt.target());
                    }
                    continue; // the provider does not have it: safe to try the next one
                }
                default -> {
                    return Outcome.failed(provider, error);
                }
            }
        }
        if (first) {
            // Every provider is drained or its breaker open: nothing was tried, so this is a wait, not a failed attempt.
            return Outcome.later(Outbox.PENDING, null, "held: every " + channel + " provider is drained or its breaker is open",
                    clock.instant().plusSeconds(breakerWaitSeconds), false);
        }
        return Outcome.later(Outbox.PENDING, lastProvider, Outcome.describe(last), null, true); // backoff computed when recorded
    }
}
