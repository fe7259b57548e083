package com.retentionhub.dispatch;

import com.retentionhub.platform.HubProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The pace of sends: each provider's rate and each sender number's. A pass's rows get slots when
 * they are claimed and are handled in groups as their slots come; the call gate, taken right before
 * each provider call, keeps the calls themselves inside the rate.
 */
@Component
class SendPacing {

    /** Rows whose slots fall this close together are handled as one group (one transaction). */
    private static final long GROUP_NANOS = 2_000_000;

    private final Providers providers;
    private final ProviderDrains drains;
    private final Pacer pacer = new Pacer();
    /**
     * Slots are planned when a batch is claimed, but a send can start late (a slow transaction, a
     * pause) and bunch with the next. The gate, taken right before each call, counts the calls
     * themselves, so no one-second window ever holds more than the rate.
     */
    private final CallGate callGate = new CallGate();
    private final Timer throttleWaits;

    SendPacing(Providers providers, ProviderDrains drains, MeterRegistry meters) {
        this.providers = providers;
        this.drains = drains;
        this.throttleWaits = Timer.builder("hub.dispatch.throttle.wait")
                .description("time sends waited for their provider's or campaign's pace").register(meters);
    }

    /** How many rows a pass claims: a paced provider gets about a second's worth, so rows do not sit in SENDING waiting for their slot. */
    int batchLimit(int batchSize) {
        String primary = providers.sms().get(0);
        double rate = providers.settings(primary).ratePerSecond();
        return rate > 0 ? (int) Math.max(1, Math.min(batchSize, Math.ceil(rate))) : batchSize;
    }

    /**
     * Hands the rows to {@code handle} in groups as their slots come (all at once when not live:
     * nothing reaches a provider, so nothing needs pacing).
     */
    void inSlots(List<Outbox.Row> rows, boolean live, Consumer<List<Outbox.Row>> handle) throws InterruptedException {
        List<long[]> slots = new ArrayList<>(); // {slot nanos, index}
        for (int i = 0; i < rows.size(); i++) {
            slots.add(new long[] {live ? reserveSlot(rows.get(i)) : System.nanoTime(), i});
        }
        slots.sort(Comparator.comparingLong(s -> s[0]));
        int next = 0;
        while (next < slots.size()) {
            throttle(slots.get(next)[0]);
            long due = System.nanoTime() + GROUP_NANOS;
            List<Outbox.Row> group = new ArrayList<>();
            while (next < slots.size() && slots.get(next)[0] <= due) {
                group.add(rows.get((int) slots.get(next++)[1]));
            }
            handle.accept(group);
        }
    }

    /** The slot of the provider the row will most likely use (its sender's pace too). */
    private long reserveSlot(Outbox.Row row) {
        List<String> order = providers.forChannel(row.channel());
        if (order.isEmpty()) {
            return System.nanoTime(); // no provider: the row fails at once when handled
        }
        String provider = order.stream().filter(p -> !drains.isDrained(p))
                .filter(p -> providers.breaker(p).getState() != CircuitBreaker.State.OPEN).findFirst()
                .orElse(order.get(0));
        return reserve(provider, row);
    }

    /** Waits for a slot of the provider a failover moved to: its slot was not planned with the pass. */
    void awaitFailoverSlot(String provider, Outbox.Row row) {
        try {
            throttle(reserve(provider, row));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Right before a call: waits until the call itself fits the provider's and the sender's rates. */
    void gate(String provider, Outbox.Row row) {
        callGate.await(paceKeys(provider, row), paceRates(provider, row));
    }

    /** A slot for the provider's pace and its sender number's. */
    private long reserve(String provider, Outbox.Row row) {
        return pacer.reserve(paceKeys(provider, row), paceRates(provider, row));
    }

    /** What a send through {@code provider} is paced by: the provider, and its sender number. */
    private String[] paceKeys(String provider, Outbox.Row row) {
        return new String[] {"provider:" + provider, "sender:" + provider + ":" + sender(provider, row)};
    }

    private double[] paceRates(String provider, Outbox.Row row) {
        String sender = sender(provider, row);
        HubProperties.Provider p = providers.settings(provider);
        return new double[] {p.ratePerSecond(), sender == null || sender.isBlank() ? 0 : p.senderRatePerSecond()};
    }

    private String sender(String provider, Outbox.Row row) {
        return row.sender() != null ? row.sender() : providers.settings(provider).sender();
    }

    /** Waits for a paced slot; the time spent waiting is the throttle's cost, in {@code hub.dispatch.throttle.wait}. */
    private void throttle(long slot) throws InterruptedException {
        long waited = Pacer.awaitSlot(slot);
        if (waited > 0) {
            throttleWaits.record(waited, TimeUnit.NANOSECONDS);
        }
    }
}
