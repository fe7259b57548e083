package com.retentionhub.dispatch;

import com.retentionhub.platform.SqlValues;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.dispatch.policy.SendPolicy;
import com.retentionhub.lead.ContactStore;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.OutboundToggle;
import com.retentionhub.platform.SqlDialect;
import com.retentionhub.template.MessageTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way out for every message. A pass claims due outbox rows (SKIP LOCKED, committed as
 * SENDING before any provider call), gives each a pacing slot, then handles the rows whose slot
 * has come in one transaction: consent rows locked (so a STOP waits for a send in flight or the
 * send sees the STOP), the {@link SendPolicy} applied, provider calls made in parallel with
 * failover, and every outcome written in batches.
 *
 * <p>A provider answer that leaves it unclear whether the message went out (a 5xx, a timeout, a
 * crash) is never followed by a blind resend: the provider is asked first, at once after a 5xx,
 * after {@code reconcile-after-seconds} for a timeout, and by {@link #reconcile()} for rows a dead
 * dispatcher left in SENDING.
 */
@Component("dispatcher")
public class Dispatcher {

    /** What happened to one row, as it will be written. */
    private record Outcome(String status, String messageStatus, String provider, String providerId, String errorCode, String detail,
            Instant nextAttempt, boolean sent, boolean countsAsAttempt, ProviderError.Kind failure, String target) {

        static Outcome terminal(String status, String messageStatus, String provider, String errorCode, String detail) {
            return new Outcome(status, messageStatus, provider, null, errorCode, detail, null, false, true, null, null);
        }

        static Outcome later(String status, String provider, String detail, Instant next, boolean countsAsAttempt) {
            return new Outcome(status, null, provider, null, null, detail, next, false, countsAsAttempt, null, null);
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ConsentLedger consent;
    private final ContactStore contacts;
    private final DeliveryLog deliveries;
    private final OutboundToggle toggle;
    private final SendPolicy policy;
    private final Providers providers;
    private final Pacer pacer = new Pacer();
    /**
     * Slots are planned when a batch is claimed, but a send can start late (a slow transaction, a
     * pause) and bunch with the next. The gate, taken right before each call, counts the calls
     * themselves, so no one-second window ever holds more than the rate.
     */
    private final CallGate callGate = new CallGate();
    private final SqlDialect dialect;
    private final Clock clock;
    private final MeterRegistry meters;
    private final io.micrometer.core.instrument.Timer throttleWaits;
    private final HubProperties.Dispatch settings;
    private final String publicBaseUrl;
    private final ExecutorService calls;
    private final BusinessEvents events;
    private final ProviderDrains drains;

    public Dispatcher(JdbcTemplate jdbc, TransactionTemplate tx, ConsentLedger consent, ContactStore contacts, DeliveryLog deliveries,
            OutboundToggle toggle, SendPolicy policy, Providers providers, SqlDialect dialect, Clock clock, MeterRegistry meters,
            HubProperties properties, BusinessEvents events, ProviderDrains drains) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.consent = consent;
        this.contacts = contacts;
        this.deliveries = deliveries;
        this.toggle = toggle;
        this.policy = policy;
        this.providers = providers;
        this.dialect = dialect;
        this.clock = clock;
        this.meters = meters;
        this.throttleWaits = io.micrometer.core.instrument.Timer.builder("hub.dispatch.throttle.wait")
                .description("time sends waited for their provider's or campaign's pace").register(meters);
        this.settings = properties.dispatch();
        this.publicBaseUrl = properties.publicBaseUrl();
        this.events = events;
        this.drains = drains;
        this.calls = Executors.newFixedThreadPool(settings.parallelCalls(), r -> {
            Thread t = new Thread(r, "provider-call");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One pass: claims up to a batch of due rows and dispatches them, paced. Returns how many were
     * claimed, so the caller knows whether to come straight back.
     */
    public int dispatchDue() throws InterruptedException {
        String primary = providers.sms().get(0);
        double rate = providers.settings(primary).ratePerSecond();
        // A paced provider gets about a second's worth per pass, so rows do not sit in SENDING waiting for their slot.
        int limit = rate > 0 ? (int) Math.max(1, Math.min(settings.batchSize(), Math.ceil(rate))) : settings.batchSize();
        List<Outbox.Row> rows = claim(limit);
        if (rows.isEmpty()) {
            return 0;
        }
        boolean live = toggle.isLive();
        List<long[]> slots = new ArrayList<>(); // {slot nanos, index}
        for (int i = 0; i < rows.size(); i++) {
            slots.add(new long[] {live ? reserveSlot(rows.get(i)) : System.nanoTime(), i});
        }
        slots.sort(Comparator.comparingLong(s -> s[0]));
        int next = 0;
        while (next < slots.size()) {
            throttle(slots.get(next)[0]);
            long due = System.nanoTime() + 2_000_000;
            List<Outbox.Row> group = new ArrayList<>();
            while (next < slots.size() && slots.get(next)[0] <= due) {
                group.add(rows.get((int) slots.get(next++)[1]));
            }
            handle(group);
        }
        return rows.size();
    }

    /** Rows handed out now, pinned to this pass; a deferral or backoff puts them back to PENDING. */
    List<Outbox.Row> claim(int limit) {
        return tx.execute(s -> {
            Timestamp now = Timestamp.from(clock.instant());
            List<Outbox.Row> rows = jdbc.query("SELECT " + Outbox.ROW_COLUMNS + " FROM outbox WHERE status = ? AND next_attempt_at <= ?"
                    + " ORDER BY next_attempt_at, id LIMIT ?" + dialect.forUpdateSkipLocked(), Outbox::row, Outbox.PENDING, now, limit);
            if (!rows.isEmpty()) {
                List<Object> args = new ArrayList<>(List.of(Outbox.SENDING, now, now));
                rows.forEach(r -> args.add(r.id()));
                jdbc.update("UPDATE outbox SET status = ?, attempts = attempts + 1, claimed_at = ?, updated_at = ? WHERE id IN (" + MultiRowInsert.placeholders(rows.size())
                        + ")", args.toArray());
            }
            return rows;
        });
    }

    /** The slot of the provider the row will most likely use (its sender's pace too). */
    private long reserveSlot(Outbox.Row row) {
        List<String> order = providers.forChannel(row.channel());
        if (order.isEmpty()) {
            return System.nanoTime(); // no provider: the row fails at once in handle()
        }
        String provider = order.stream().filter(p -> !drains.isDrained(p))
                .filter(p -> providers.breaker(p).getState() != io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN).findFirst()
                .orElse(order.get(0));
        return reserve(pacer, provider, row);
    }

    /** A slot on {@code from} for the provider's pace and its sender number's, at {@code share} of the configured rates. */
    private long reserve(Pacer from, String provider, Outbox.Row row) {
        return from.reserve(paceKeys(provider, row), paceRates(provider, row));
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

    /** One transaction for a group: lock consent, decide, call providers, record. */
    private void handle(List<Outbox.Row> group) {
        Map<Long, Outcome> outcomes = tx.execute(s -> {
            Instant now = clock.instant();
            Map<String, ConsentStatus> consents = lockConsent(group);
            Map<String, List<SendPolicy.Sent>> history = history(group);
            Map<String, String> zones = zones(group);
            Map<String, String> names = names(group);
            boolean live = toggle.isLive();
            Map<Long, Outcome> result = new LinkedHashMap<>();
            Map<Long, CompletableFuture<Outcome>> inFlight = new LinkedHashMap<>();
            for (Outbox.Row row : group) {
                SendPolicy.Candidate candidate = new SendPolicy.Candidate(row.phone(), row.channel(), row.purpose(), row.campaign(), row.expiresAt(),
                        zones.get(row.phone()));
                List<SendPolicy.Sent> sent = history.getOrDefault(row.phone(), List.of());
                SendPolicy.Decision decision = policy.decide(candidate, consentFor(consents, row), live, sent, now);
                if (decision instanceof SendPolicy.Send && providers.forChannel(row.channel()).isEmpty()) {
                    result.put(row.id(), Outcome.terminal(Outbox.FAILED, "failed", null, null, "no " + row.channel() + " provider is configured"));
                } else if (decision instanceof SendPolicy.Send) {
                    String name = names.get(row.phone());
                    inFlight.put(row.id(), CompletableFuture.supplyAsync(() -> deliver(row, name), calls));
                    countSend(history, row, now);
                } else if (decision instanceof SendPolicy.Simulate) {
                    result.put(row.id(), new Outcome(Outbox.SIMULATED, "simulated", null, null, null, null, null, true, true, null, null));
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

    /**
     * Primary first, then the secondary on an outage or capacity error (or an open breaker); never
     * on an answer about the message itself. The same idempotency key goes to both, and a 5xx is
     * looked up before the secondary is tried, so a message goes out once.
     */
    private Outcome deliver(Outbox.Row row, String name) {
        ProviderError last = null;
        String lastProvider = null;
        boolean first = true;
        for (String provider : providers.forChannel(row.channel())) {
            if (drains.isDrained(provider)) {
                continue; // ops took it out of service: the next provider, or the message waits below
            }
            if (!providers.breaker(provider).tryAcquirePermission()) {
                last = new ProviderError(ProviderError.Kind.RETRYABLE, null, provider + " breaker open");
                lastProvider = provider;
                continue;
            }
            if (!first) {
                awaitSlot(reserve(pacer, provider, row)); // the secondary's own pace
            }
            first = false;
            callGate.await(paceKeys(provider, row), paceRates(provider, row));
            String target = providers.settings(provider).target(row.target(), row.campaign());
            Providers.Attempt attempt = providers.send(provider, command(row, provider, target, name));
            if (attempt.error() == null) {
                return sent(provider, attempt.receipt().providerId(), attempt.receipt().status(), target);
            }
            ProviderError error = attempt.error();
            lastProvider = provider;
            last = error;
            switch (error.kind()) {
                case RETRYABLE -> {
                    continue;
                }
                case AMBIGUOUS -> {
                    if (!providers.hasLookup(provider)) {
                        // Nobody can tell whether it went (a call, say): never risk a second one.
                        return Outcome.terminal(Outbox.FAILED, "failed", provider, error.code(),
                                describe(error) + "; outcome unknown and " + provider + " has no lookup: not repeated");
                    }
                    if (error.timedOut()) {
                        // It may still be working on it: ask later, and send nothing meanwhile.
                        return Outcome.later(Outbox.UNKNOWN, provider, describe(error), clock.instant().plusSeconds(settings.reconcileAfterSeconds()), true);
                    }
                    SmsLookup.Result found = providers.lookup(provider, lookupFor(row));
                    if (found == null) {
                        return Outcome.later(Outbox.UNKNOWN, provider, describe(error) + "; lookup failed",
                                clock.instant().plusSeconds(settings.reconcileAfterSeconds()), true);
                    }
                    if (found.found()) {
                        return sent(provider, found.providerId(), found.status(), target);
                    }
                    continue; // the provider does not have it: safe to try the next one
                }
                default -> {
                    return failed(provider, error);
                }
            }
        }
        if (first) {
            // Every provider is drained or its breaker open: nothing was tried, so this is a wait, not a failed attempt.
            return Outcome.later(Outbox.PENDING, null, "held: every " + row.channel() + " provider is drained or its breaker is open",
                    clock.instant().plusSeconds(settings.breaker().waitOpenSeconds()), false);
        }
        return Outcome.later(Outbox.PENDING, lastProvider, describe(last), null, true); // backoff computed when recorded
    }

    /** Waits for a paced slot; the time spent waiting is the throttle's cost, in {@code hub.dispatch.throttle.wait}. */
    private void throttle(long slot) throws InterruptedException {
        long waited = Pacer.awaitSlot(slot);
        if (waited > 0) {
            throttleWaits.record(waited, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private void awaitSlot(long slot) {
        try {
            throttle(slot);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The channel's command for one row; the callback URL tells the provider where to report back. */
    private Object command(Outbox.Row row, String provider, String target, String name) {
        HubProperties.Provider p = providers.settings(provider);
        Map<String, String> names = MessageTemplates.nameFields(name);
        String first = names.get("firstName");
        String last = names.get("lastName");
        return switch (row.channel()) {
            case Channels.EMAIL -> new EmailCommand(row.address(), first, last, row.subject(), row.body(), target, row.key(), row.attemptId());
            case Channels.VOICE -> new CallCommand(row.phone(), name, row.body(), target, DeliveryReports.callbackUrl(publicBaseUrl, provider, p),
                    row.key(), row.attemptId());
            default -> new SmsCommand(row.phone(), row.sender(), row.body(), DeliveryReports.callbackUrl(publicBaseUrl, provider, p), row.key());
        };
    }

    private static Outcome sent(String provider, String providerId, String status, String target) {
        return new Outcome(Outbox.SENT, MessageStatus.normalise(status), provider, providerId, null, null, null, true, true, null,
                target == null || target.isBlank() ? null : target);
    }

    private static Outcome failed(String provider, ProviderError error) {
        return new Outcome(Outbox.FAILED, "failed", provider, null, error.code(), describe(error), null, false, true, error.kind(), null);
    }

    private static String describe(ProviderError error) {
        return error == null ? null : error.code() == null ? error.detail() : error.code() + ": " + error.detail();
    }

    private SmsLookup lookupFor(Outbox.Row row) {
        Instant since = row.claimedAt() != null ? row.claimedAt() : clock.instant().minus(Duration.ofMinutes(10));
        return new SmsLookup(row.phone(), row.body(), row.key(), since);
    }

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
        Map<String, java.util.TreeSet<String>> byChannel = new java.util.TreeMap<>();
        for (Outbox.Row row : group) {
            for (String channel : Channels.consentChannels(row.channel())) {
                byChannel.computeIfAbsent(channel, k -> new java.util.TreeSet<>()).add(row.phone());
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

    /** Business-initiated messages that already went to these recipients (what the caps count). */
    private Map<String, List<SendPolicy.Sent>> history(List<Outbox.Row> group) {
        List<String> phones = group.stream().filter(r -> SendPolicy.capped(r.purpose())).map(Outbox.Row::phone).distinct().toList();
        Map<String, List<SendPolicy.Sent>> history = new HashMap<>();
        if (phones.isEmpty()) {
            return history;
        }
        List<Object> args = new ArrayList<>(phones);
        args.add(SendPolicy.MESSAGE);
        jdbc.query("SELECT phone, channel, campaign, sent_at FROM outbox WHERE phone IN (" + MultiRowInsert.placeholders(phones.size())
                + ") AND purpose = ? AND sent_at IS NOT NULL",
                rs -> {
                    history.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new SendPolicy.Sent(rs.getString(2), rs.getString(3), SqlValues.instant(rs, 4)));
                }, args.toArray());
        return history;
    }

    /** The contacts' own time zones, where known. */
    private Map<String, String> zones(List<Outbox.Row> group) {
        List<String> phones = group.stream().filter(r -> SendPolicy.capped(r.purpose())).map(Outbox.Row::phone).distinct().toList();
        Map<String, String> zones = new HashMap<>();
        if (!phones.isEmpty()) {
            jdbc.query("SELECT phone, time_zone FROM contact WHERE time_zone IS NOT NULL AND phone IN (" + MultiRowInsert.placeholders(phones.size()) + ")",
                    rs -> {
                        zones.put(rs.getString(1), rs.getString(2));
                    }, phones.toArray());
        }
        return zones;
    }

    /** Contact names for the group's emails and calls (an SMS body is already written). */
    private Map<String, String> names(List<Outbox.Row> group) {
        List<String> phones = group.stream().filter(r -> !Channels.SMS.equals(r.channel())).map(Outbox.Row::phone).distinct().toList();
        Map<String, String> names = new HashMap<>();
        if (!phones.isEmpty()) {
            jdbc.query("SELECT phone, name FROM contact WHERE name IS NOT NULL AND phone IN (" + MultiRowInsert.placeholders(phones.size()) + ")",
                    rs -> {
                        names.put(rs.getString(1), rs.getString(2));
                    }, phones.toArray());
        }
        return names;
    }

    /** Writes every outcome of the group: outbox rows, their log messages, early callbacks, provider-reported opt-outs. */
    private void record(List<Outbox.Row> group, Map<Long, Outcome> outcomes) {
        Instant now = clock.instant();
        Timestamp ts = Timestamp.from(now);
        List<Object[]> outboxUpdates = new ArrayList<>();
        List<Object[]> messageUpdates = new ArrayList<>();
        List<String> sentIds = new ArrayList<>();
        for (Outbox.Row row : group) {
            Outcome o = outcomes.get(row.id());
            Instant next = o.nextAttempt();
            String status = o.status();
            String detail = o.detail();
            if (Outbox.PENDING.equals(status) && next == null) {
                // No provider took it: back off, or give up after the last attempt.
                if (row.attempts() + 1 >= settings.maxAttempts()) {
                    o = Outcome.terminal(Outbox.FAILED, "failed", o.provider(), null, "gave up after " + (row.attempts() + 1) + " attempts: " + detail);
                    status = o.status();
                    detail = o.detail();
                } else {
                    next = nextAttempt(row.attempts() + 1);
                }
            }
            boolean held = !o.countsAsAttempt();
            outboxUpdates.add(new Object[] {status, o.provider(), o.providerId(), o.target(), held ? null : truncate(detail),
                    next == null ? null : Timestamp.from(next), o.sent() ? ts : null, held ? truncate(detail) : null, held ? 1 : 0, ts, row.id()});
            if (o.messageStatus() != null) {
                messageUpdates.add(new Object[] {o.messageStatus(), o.provider(), o.providerId(), o.errorCode(), ts, row.id()});
            }
            if (o.providerId() != null) {
                sentIds.add(o.providerId());
            }
            sideEffects(row, o);
        }
        jdbc.batchUpdate("UPDATE outbox SET status = ?, provider = COALESCE(?, provider), provider_id = COALESCE(?, provider_id),"
                + " provider_ref = COALESCE(?, provider_ref), last_error = ?,"
                + " next_attempt_at = COALESCE(?, next_attempt_at), sent_at = COALESCE(?, sent_at), held_reason = ?, attempts = attempts - ?,"
                + " updated_at = ? WHERE id = ?", outboxUpdates);
        if (!messageUpdates.isEmpty()) {
            jdbc.batchUpdate("UPDATE message SET status = ?, provider = COALESCE(?, provider), provider_id = COALESCE(?, provider_id), error_code = ?,"
                    + " updated_at = ? WHERE outbox_id = ?", messageUpdates);
        }
        if (!sentIds.isEmpty()) {
            deliveries.applyEarlyCallbacks(sentIds);
        }
    }

    private void sideEffects(Outbox.Row row, Outcome o) {
        publish(row, o);
        ProviderError.Kind kind = o.failure();
        if (kind == ProviderError.Kind.OPTED_OUT) {
            consent.record(new ConsentChange(row.phone(), row.channel(), ConsentChange.Action.OPT_OUT, ConsentChange.Source.PROVIDER,
                    "provider error " + o.errorCode(), o.provider(), clock.instant()));
        } else if (kind == ProviderError.Kind.INVALID_RECIPIENT && Channels.telephonic(row.channel())) {
            contacts.markInvalid(row.phone()); // a bad email address says nothing about the phone
        }
    }

    /** message.sent for a send that left (or was simulated), message.failed for one given up on. */
    private void publish(Outbox.Row row, Outcome o) {
        if (!events.enabled()) {
            return; // the facts are not even gathered on the send path while no one listens
        }
        if (o.sent()) {
            events.publish(BusinessEvents.Type.MESSAGE_SENT, row.key(), row.phone(), row.channel(), sendFacts(row, o,
                    "simulated", Outbox.SIMULATED.equals(o.status())));
        } else if (Outbox.FAILED.equals(o.status())) {
            events.publish(BusinessEvents.Type.MESSAGE_FAILED, row.key(), row.phone(), row.channel(), sendFacts(row, o, "reason", o.detail()));
        }
    }

    private static Map<String, Object> sendFacts(Outbox.Row row, Outcome o, String extraName, Object extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("outboxId", row.id());
        data.put("idempotencyKey", row.key());
        data.put("purpose", row.purpose());
        data.put("campaign", row.campaign());
        data.put("provider", o.provider());
        data.put("providerId", o.providerId());
        data.put("errorCode", o.errorCode());
        data.put(extraName, extra);
        return data;
    }

    /**
     * Rows whose send may or may not have reached the provider: UNKNOWN ones that are due, and
     * SENDING ones a dead dispatcher left behind. Each is looked up; found means sent, not found
     * means it goes back to the queue, a failed lookup means ask again later. Returns how many were settled.
     */
    public int reconcile() {
        Instant now = clock.instant();
        List<Outbox.Row> rows = jdbc.query("SELECT " + Outbox.ROW_COLUMNS + " FROM outbox WHERE (status = ? AND next_attempt_at <= ?)"
                + " OR (status = ? AND claimed_at < ?) ORDER BY id LIMIT 200", Outbox::row, Outbox.UNKNOWN, Timestamp.from(now), Outbox.SENDING,
                Timestamp.from(now.minusSeconds(settings.stuckAfterSeconds())));
        int settled = 0;
        for (Outbox.Row row : rows) {
            List<String> channelProviders = providers.forChannel(row.channel());
            if (channelProviders.stream().noneMatch(providers::hasLookup)) {
                // No one can say whether it went: give it up rather than risk sending it twice.
                settled += tx.execute(s -> jdbc.update("UPDATE outbox SET status = ?, last_error = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)",
                        Outbox.FAILED, "outcome unknown and no " + row.channel() + " provider can look it up: not repeated",
                        Timestamp.from(clock.instant()), row.id(), Outbox.UNKNOWN, Outbox.SENDING));
                continue;
            }
            SmsLookup.Result found = null;
            String foundBy = null;
            boolean allAnswered = true;
            // A crash may have come during a failover: ask every provider of the channel.
            for (String provider : channelProviders) {
                SmsLookup.Result r = providers.lookup(provider, lookupFor(row));
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
                Timestamp ts = Timestamp.from(clock.instant());
                if (result != null) {
                    int n = jdbc.update("UPDATE outbox SET status = ?, provider = ?, provider_id = ?, sent_at = COALESCE(sent_at, ?), updated_at = ?"
                            + " WHERE id = ? AND status IN (?, ?)", Outbox.SENT, provider, result.providerId(), ts, ts, row.id(), Outbox.UNKNOWN, Outbox.SENDING);
                    if (n == 1) {
                        deliveries.linkSent(row.id(), provider, result.providerId(), MessageStatus.normalise(result.status()));
                    }
                    return n == 1;
                }
                if (settle) {
                    return jdbc.update("UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)",
                            Outbox.PENDING, ts, "not found at the provider; queued again", ts, row.id(), Outbox.UNKNOWN, Outbox.SENDING) == 1;
                }
                jdbc.update("UPDATE outbox SET status = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)", Outbox.UNKNOWN,
                        Timestamp.from(clock.instant().plusSeconds(settings.reconcileAfterSeconds())), ts, row.id(), Outbox.UNKNOWN, Outbox.SENDING);
                return false;
            });
            if (Boolean.TRUE.equals(done)) {
                settled++;
                meters.counter("hub.dispatch.reconciled", "outcome", result != null ? "found" : "requeued").increment();
            }
        }
        return settled;
    }

    /** Exponential backoff: base, 2x base, 4x base... capped at one hour. */
    Instant nextAttempt(int attempts) {
        long seconds = Math.min(3600, (long) settings.backoffBaseSeconds() << Math.min(20, Math.max(0, attempts - 1)));
        return clock.instant().plusSeconds(seconds);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }

}
