package com.retentionhub.dispatch;

import com.retentionhub.platform.HubProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settles rows whose send may or may not have reached a provider (run by {@code dispatch-reconcile}):
 * UNKNOWN ones that are due, and SENDING ones a dead dispatcher left behind. Each is looked up, never
 * blindly sent again: found means sent, not found means it goes back to the queue, a failed lookup
 * means ask again later.
 */
@Component("reconciliation")
public class Reconciliation {

    private final DispatchStore store;
    private final Providers providers;
    private final ProviderCalls calls;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final MeterRegistry meters;
    private final HubProperties.Dispatch settings;

    Reconciliation(DispatchStore store, Providers providers, ProviderCalls calls, TransactionTemplate tx, Clock clock, MeterRegistry meters,
            HubProperties properties) {
        this.store = store;
        this.providers = providers;
        this.calls = calls;
        this.tx = tx;
        this.clock = clock;
        this.meters = meters;
        this.settings = properties.dispatch();
    }

    /** One sweep; returns how many rows were settled. */
    public int reconcile() {
        Instant now = clock.instant();
        List<Outbox.Row> rows = store.unsettled(now, now.minusSeconds(settings.stuckAfterSeconds()));
        int settled = 0;
        for (Outbox.Row row : rows) {
            List<String> channelProviders = providers.forChannel(row.channel());
            if (channelProviders.stream().noneMatch(providers::hasLookup)) {
                // No one can say whether it went: give it up rather than risk sending it twice.
                if (Boolean.TRUE.equals(tx.execute(s -> store.giveUp(row.id(),
                        "outcome unknown and no " + row.channel() + " provider can look it up: not repeated")))) {
                    settled++;
                }
                continue;
            }
            SmsLookup.Result found = null;
            String foundBy = null;
            boolean allAnswered = true;
            // A crash may have come during a failover: ask every provider of the channel.
            for (String provider : channelProviders) {
                SmsLookup.Result r = providers.lookup(provider, calls.lookupFor(row));
                if (r == null) {
                    allAnswered = false;
                } else if (r.found()) {
                    found = r;
                    foundBy = provider;
                    break;
                }
            }
            SmsLookup.Result result = found;
            String provider = foundBy;
            boolean settle = result != null || allAnswered;
            Boolean done = tx.execute(s -> {
                if (result != null) {
                    return store.foundSent(row.id(), provider, result);
                }
                if (settle) {
                    return store.requeue(row.id());
                }
                store.askLater(row.id(), clock.instant().plusSeconds(settings.reconcileAfterSeconds()));
                return false;
            });
            if (Boolean.TRUE.equals(done)) {
                settled++;
                meters.counter("hub.dispatch.reconciled", "outcome", result != null ? "found" : "requeued").increment();
            }
        }
        return settled;
    }
}
