package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.platform.Channel;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which provider a message is tried on next and when dispatch gives up, with scripted provider
 * answers: no provider, no database. (FailoverTest runs the same rules against real gateways.)
 */
class FailoverDecisionTest {

    private static final Instant NOW = Instant.parse("2026-11-18T19:00:00Z");
    private static final int RECONCILE_AFTER = 30;
    private static final int BREAKER_WAIT = 60;
    private static final List<String> PRIMARY_THEN_SECONDARY = List.of("primary", "secondary");

    private final Failover failover = new Failover(Clock.fixed(NOW, ZoneOffset.UTC), RECONCILE_AFTER, BREAKER_WAIT);
    private final ScriptedProviders providers = new ScriptedProviders();

    @Test
    void shouldSendThroughThePrimaryAloneWhenItAccepts() {
        providers.answers("primary", accepted("p-1"));

        Outcome o = deliver();

        assertThat(o).isEqualTo(Outcome.sent("primary", "p-1", "queued", "target-primary"));
        assertThat(providers.tried).containsExactly("primary");
    }

    @Test
    void shouldFailOverToTheSecondaryOnAnOutageWithItsOwnPace() {
        providers.answers("primary", error(ProviderError.Kind.RETRYABLE, "503"));
        providers.answers("secondary", accepted("s-1"));

        Outcome o = deliver();

        assertThat(o.status()).isEqualTo(Outbox.SENT);
        assertThat(o.provider()).isEqualTo("secondary");
        assertThat(providers.tried).containsExactly("primary", "secondary (failing over)");
    }

    @Test
    void shouldSkipAProviderWhoseBreakerIsOpenOrThatOpsDrained() {
        providers.answers("secondary", accepted("s-1"));
        providers.breakerOpen.add("primary");

        assertThat(deliver().provider()).isEqualTo("secondary");
        // Skipped, not tried: the secondary is the pass's first call, paced by its planned slot.
        assertThat(providers.tried).containsExactly("secondary");

        providers.breakerOpen.clear();
        providers.drained.add("primary");
        providers.answers("secondary", accepted("s-2"));
        assertThat(deliver().providerId()).isEqualTo("s-2");
    }

    @Test
    void shouldHoldWithoutUsingAnAttemptWhenEveryProviderIsDrainedOrItsBreakerOpen() {
        providers.drained.add("primary");
        providers.breakerOpen.add("secondary");

        Outcome o = deliver();

        assertThat(o.status()).isEqualTo(Outbox.PENDING);
        assertThat(o.countsAsAttempt()).isFalse();
        assertThat(o.nextAttempt()).isEqualTo(NOW.plusSeconds(BREAKER_WAIT));
        assertThat(o.detail()).isEqualTo("held: every sms provider is drained or its breaker is open");
        assertThat(providers.tried).isEmpty();
    }

    @Test
    void shouldGoBackToTheQueueForABackoffWhenEveryProviderFailed() {
        providers.answers("primary", error(ProviderError.Kind.RETRYABLE, "503"));
        providers.answers("secondary", error(ProviderError.Kind.RETRYABLE, "429"));

        Outcome o = deliver();

        assertThat(o.status()).isEqualTo(Outbox.PENDING);
        assertThat(o.countsAsAttempt()).isTrue();
        assertThat(o.nextAttempt()).as("the backoff is the writer's to compute").isNull();
        assertThat(o.provider()).isEqualTo("secondary");
        assertThat(o.detail()).isEqualTo("429: refused");
    }

    @Test
    void shouldNotFailOverOnAnAnswerAboutTheMessageItself() {
        for (ProviderError.Kind kind : List.of(ProviderError.Kind.PERMANENT, ProviderError.Kind.OPTED_OUT,
                ProviderError.Kind.INVALID_RECIPIENT)) {
            ScriptedProviders fresh = new ScriptedProviders();
            fresh.answers("primary", error(kind, "21211"));

            Outcome o = failover.deliver(Channel.SMS.code(), PRIMARY_THEN_SECONDARY, fresh);

            assertThat(o.status()).as("%s", kind).isEqualTo(Outbox.FAILED);
            assertThat(o.failure()).isEqualTo(kind);
            assertThat(fresh.tried).containsExactly("primary");
        }
    }

    @Test
    void shouldTryTheSecondaryAfterAnUnclearAnswerOnlyWhenThePrimarySaysItDoesNotHaveTheMessage() {
        providers.answers("primary", error(ProviderError.Kind.AMBIGUOUS, "500"));
        providers.canLookUp.add("primary");
        providers.lookups.put("primary", SmsLookup.Result.notFound());
        providers.answers("secondary", accepted("s-1"));

        assertThat(deliver().provider()).isEqualTo("secondary");
        assertThat(providers.lookedUp).containsExactly("primary");
    }

    @Test
    void shouldTakeTheFoundMessageAsSentWhenThePrimaryHasItAfterAnUnclearAnswer() {
        providers.answers("primary", error(ProviderError.Kind.AMBIGUOUS, "500"));
        providers.canLookUp.add("primary");
        providers.lookups.put("primary", new SmsLookup.Result(true, "p-found", "sent"));

        Outcome o = deliver();

        assertThat(o).isEqualTo(Outcome.sent("primary", "p-found", "sent", "target-primary"));
        assertThat(providers.tried).containsExactly("primary");
    }

    @Test
    void shouldAskAgainLaterAndSendNothingWhenTheLookupFailsOrTheCallTimedOut() {
        providers.answers("primary", error(ProviderError.Kind.AMBIGUOUS, "500"));
        providers.canLookUp.add("primary");
        providers.lookups.put("primary", null);

        Outcome failedLookup = deliver();

        assertThat(failedLookup.status()).isEqualTo(Outbox.UNKNOWN);
        assertThat(failedLookup.nextAttempt()).isEqualTo(NOW.plusSeconds(RECONCILE_AFTER));
        assertThat(failedLookup.detail()).endsWith("; lookup failed");

        ScriptedProviders slow = new ScriptedProviders();
        slow.answers("primary",
                new Failover.Tried(null, new ProviderError(ProviderError.Kind.AMBIGUOUS, null, ProviderError.TIMEOUT + ": read"), null));
        slow.canLookUp.add("primary");

        Outcome timedOut = failover.deliver(Channel.SMS.code(), PRIMARY_THEN_SECONDARY, slow);

        assertThat(timedOut.status()).isEqualTo(Outbox.UNKNOWN);
        assertThat(timedOut.nextAttempt()).isEqualTo(NOW.plusSeconds(RECONCILE_AFTER));
        assertThat(slow.lookedUp).as("a provider still working on it is asked later, not now").isEmpty();
        assertThat(slow.tried).containsExactly("primary");
    }

    @Test
    void shouldGiveUpWithoutRepeatingWhenAProviderThatCannotBeAskedGaveAnUnclearAnswer() {
        providers.answers("primary", error(ProviderError.Kind.AMBIGUOUS, "500"));

        Outcome o = deliver();

        assertThat(o.status()).isEqualTo(Outbox.FAILED);
        assertThat(o.detail()).endsWith("outcome unknown and primary has no lookup: not repeated");
        assertThat(providers.tried).containsExactly("primary");
    }

    private Outcome deliver() {
        providers.tried.clear();
        return failover.deliver(Channel.SMS.code(), PRIMARY_THEN_SECONDARY, providers);
    }

    private static Failover.Tried accepted(String id) {
        return new Failover.Tried(new Receipt(null, id, "queued"), null, null);
    }

    private static Failover.Tried error(ProviderError.Kind kind, String code) {
        return new Failover.Tried(null, new ProviderError(kind, code, "refused"), null);
    }

    /** Providers that answer as scripted and note what they were asked. */
    private static final class ScriptedProviders implements Failover.Calls {

        final Map<String, List<Failover.Tried>> answers = new HashMap<>();
        final Set<String> drained = new HashSet<>();
        final Set<String> breakerOpen = new HashSet<>();
        final Set<String> canLookUp = new HashSet<>();
        final Map<String, SmsLookup.Result> lookups = new HashMap<>();
        final List<String> tried = new ArrayList<>();
        final List<String> lookedUp = new ArrayList<>();

        void answers(String provider, Failover.Tried answer) {
            answers.computeIfAbsent(provider, k -> new ArrayList<>()).add(answer);
        }

        @Override
        public boolean drained(String provider) {
            return drained.contains(provider);
        }

        @Override
        public boolean admitted(String provider) {
            return !breakerOpen.contains(provider);
        }

        @Override
        public boolean canLookUp(String provider) {
            return canLookUp.contains(provider);
        }

        @Override
        public Failover.Tried send(String provider, boolean failingOver) {
            tried.add(provider + (failingOver ? " (failing over)" : ""));
            Failover.Tried answer = answers.get(provider).remove(0);
            // The provider-side target is the caller's to choose: here each provider has its own.
            return new Failover.Tried(answer.receipt(), answer.error(), "target-" + provider);
        }

        @Override
        public SmsLookup.Result lookup(String provider) {
            lookedUp.add(provider);
            return lookups.get(provider);
        }
    }
}
