package com.retentionhub.dispatch;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.dispatch.policy.SendPolicy;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.OutboundToggle;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way out for every message. A pass claims due outbox rows (SKIP LOCKED, committed as
 * SENDING before any provider call), gives each a pacing slot ({@link SendPacing}), then handles
 * the rows whose slot has come in one transaction: consent rows locked (so a STOP waits for a send
 * in flight or the send sees the STOP), the {@link SendPolicy} applied, provider calls made in
 * parallel with failover ({@link ProviderCalls}, {@link Failover}), and every outcome written in
 * batches ({@link DispatchStore}).
 *
 * <p>A provider answer that leaves it unclear whether the message went out (a 5xx, a timeout, a
 * crash) is never followed by a blind resend: the provider is asked first, at once after a 5xx,
 * after {@code reconcile-after-seconds} for a timeout, and by {@link Reconciliation} for rows a
 * dead dispatcher left in SENDING.
 */
@Component("dispatcher")
public class Dispatcher {

    private final TransactionTemplate tx;
    private final DispatchStore store;
    private final ConsentLedger consent;
    private final OutboundToggle toggle;
    private final SendPolicy policy;
    private final SendPacing pacing;
    private final ProviderCalls calls;
    private final OutcomeEffects effects;
    private final Clock clock;
    private final MeterRegistry meters;
    private final HubProperties.Dispatch settings;

    Dispatcher(TransactionTemplate tx, DispatchStore store, ConsentLedger consent, OutboundToggle toggle, SendPolicy policy,
            SendPacing pacing,
            ProviderCalls calls, OutcomeEffects effects, Clock clock, MeterRegistry meters, HubProperties properties) {
        this.tx = tx;
        this.store = store;
        this.consent = consent;
        this.toggle = toggle;
        this.policy = policy;
        this.pacing = pacing;
        this.calls = calls;
        this.effects = effects;
        this.clock = clock;
        this.meters = meters;
        this.settings = properties.dispatch();
    }

    /**
     * One pass: claims up to a batch of due rows and dispatches them, paced. Returns how many were
     * claimed, so the caller knows whether to come straight back.
     */
    public int dispatchDue() throws InterruptedException {
        List<Outbox.Row> rows = claim(pacing.batchLimit(settings.batchSize()));
        if (rows.isEmpty()) {
            return 0;
        }
        pacing.inSlots(rows, toggle.isLive(), this::handle);
        return rows.size();
    }

    /** Rows handed out now, pinned to this pass; a deferral or backoff puts them back to PENDING. */
    List<Outbox.Row> claim(int limit) {
        return tx.execute(s -> store.claim(limit));
    }

    /** One transaction for a group: lock consent, decide, call providers, record. */
    private void handle(List<Outbox.Row> group) {
        Map<Long, Outcome> outcomes = tx.execute(s -> {
            Instant now = clock.instant();
            Map<String, ConsentStatus> consents = lockConsent(group);
            Map<String, List<SendPolicy.Sent>> history = store.history(group);
            Map<String, String> zones = store.zones(group);
            Map<String, String> names = store.names(group);
            boolean live = toggle.isLive();
            Map<Long, Outcome> result = new LinkedHashMap<>();
            Map<Long, CompletableFuture<Outcome>> inFlight = new LinkedHashMap<>();
            for (Outbox.Row row : group) {
                SendPolicy.Candidate candidate = new SendPolicy.Candidate(row.phone(), row.channel(), row.purpose(), row.campaign(),
                        row.expiresAt(),
                        zones.get(row.phone()));
                List<SendPolicy.Sent> sent = history.getOrDefault(row.phone(), List.of());
                SendPolicy.Decision decision = policy.decide(candidate, consentFor(consents, row), live, sent, now);
                if (decision instanceof SendPolicy.Send && !calls.serves(row.channel())) {
                    result.put(row.id(),
                            Outcome.terminal(Outbox.FAILED, "failed", null, null, "no " + row.channel() + " provider is configured"));
                } else if (decision instanceof SendPolicy.Send) {
                    inFlight.put(row.id(), calls.deliver(row, names.get(row.phone())));
                    countSend(history, row, now);
                } else if (decision instanceof SendPolicy.Simulate) {
                    result.put(row.id(), Outcome.simulated());
                    countSend(history, row, now);
                } else if (decision instanceof SendPolicy.Block b) {
                    result.put(row.id(), Outcome.terminal(Outbox.BLOCKED, "blocked", null, null, b.reason()));
                } else if (decision instanceof SendPolicy.Expire e) {
                    result.put(row.id(), Outcome.terminal(Outbox.EXPIRED, "expired", null, null, e.reason()));
                } else if (decision instanceof SendPolicy.Defer d) {
                    result.put(row.id(), Outcome.later(Outbox.PENDING, null, "held: " + d.reason(), d.until(), false));
                }
            }
            inFlight.forEach((id, f) -> result.put(id, f.join()));
            record(group, result);
            return result;
        });
        outcomes.values().forEach(o -> meters.counter("hub.dispatch.outcome", "outcome", o.status(), "provider",
                o.provider() == null ? "none" : o.provider()).increment());
    }

    /** A send counts against the recipient's caps for the rest of the group at once, not only once it is written. */
    private static void countSend(Map<String, List<SendPolicy.Sent>> history, Outbox.Row row, Instant at) {
        if (SendPolicy.capped(row.purpose())) {
            history.computeIfAbsent(row.phone(), k -> new ArrayList<>()).add(new SendPolicy.Sent(row.channel(), row.campaign(), at));
        }
    }

    /**
     * Locks the consent rows the group's sends need, channel by channel in name order and phones in
     * order within each (every writer locks in that order, so none deadlocks). Keyed "channel|phone".
     */
    private Map<String, ConsentStatus> lockConsent(List<Outbox.Row> group) {
        Map<String, TreeSet<String>> byChannel = new TreeMap<>();
        for (Outbox.Row row : group) {
            for (String channel : Channels.consentChannels(row.channel())) {
                byChannel.computeIfAbsent(channel, k -> new TreeSet<>()).add(row.phone());
            }
        }
        Map<String, ConsentStatus> locked = new HashMap<>();
        byChannel.forEach((channel, phones) -> consent.lockForSend(List.copyOf(phones), channel)
                .forEach((phone, status) -> locked.put(channel + "|" + phone, status)));
        return locked;
    }

    /** Opted out on any channel the send needs means opted out. */
    private static ConsentStatus consentFor(Map<String, ConsentStatus> locked, Outbox.Row row) {
        return Channels.consent(row.channel(), c -> locked.getOrDefault(c + "|" + row.phone(), ConsentStatus.NONE));
    }

    /** Settles every outcome of the group (a row no provider took backs off, or is given up after its last attempt), then writes them. */
    private void record(List<Outbox.Row> group, Map<Long, Outcome> outcomes) {
        List<DispatchStore.Settled> settled = new ArrayList<>(group.size());
        for (Outbox.Row row : group) {
            Outcome o = outcomes.get(row.id());
            Instant next = o.nextAttempt();
            if (Outbox.PENDING.equals(o.status()) && next == null) {
                if (row.attempts() + 1 >= settings.maxAttempts()) {
                    o = Outcome.terminal(Outbox.FAILED, "failed", o.provider(), null,
                            "gave up after " + (row.attempts() + 1) + " attempts: " + o.detail());
                } else {
                    next = nextAttempt(row.attempts() + 1);
                }
            }
            effects.apply(row, o);
            settled.add(new DispatchStore.Settled(row, o, next));
        }
        store.write(settled);
    }

    /** Exponential backoff: base, 2x base, 4x base... capped at one hour. */
    Instant nextAttempt(int attempts) {
        long seconds = Math.min(3600, (long) settings.backoffBaseSeconds() << Math.min(20, Math.max(0, attempts - 1)));
        return clock.instant().plusSeconds(seconds);
    }
}
