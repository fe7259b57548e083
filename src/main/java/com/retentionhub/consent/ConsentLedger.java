package com.retentionhub.consent;

import com.retentionhub.platform.AfterCommit;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SqlValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The consent ledger: append-only events as evidence plus the current state per phone and channel.
 * Every write joins the caller's transaction, so an opt-out commits together with the webhook
 * event that carried it.
 */
@Component
public class ConsentLedger {

    /** A ledger row as staff see it. */
    @Schema(name = "ConsentEntry")
    public record Entry(
            long id, String channel, String action, String source, String text, String actor, Instant occurredAt, Instant recordedAt) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final MeterRegistry meters;
    private final BusinessEvents events;
    private final ApplicationEventPublisher listeners;

    public ConsentLedger(JdbcTemplate jdbc, Clock clock, MeterRegistry meters, BusinessEvents events,
            ApplicationEventPublisher listeners) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.meters = meters;
        this.events = events;
        this.listeners = listeners;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(ConsentChange change) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(
                "INSERT INTO consent_event (phone, channel, action, source, text, actor, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                change.phone(), change.channel(), change.action().name(), change.source().name(), change.text(), change.actor(),
                Timestamp.from(change.occurredAt()), now);
        ensureRow(change.phone(), change.channel());
        String status = change.action() == ConsentChange.Action.OPT_OUT ? ConsentStatus.OPTED_OUT.name() : ConsentStatus.OPTED_IN.name();
        jdbc.update("UPDATE consent_state SET status = ?, updated_at = ? WHERE phone = ? AND channel = ?", status, now, change.phone(),
                change.channel());
        // Counted when the transaction commits: a rolled-back change is no opt-out.
        AfterCommit.run(() -> meters.counter("hub.consent.changes", "action", change.action().name(), "source", change.source().name(),
                "channel", change.channel()).increment());
        if (change.action() == ConsentChange.Action.OPT_OUT) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("source", change.source().name().toLowerCase(Locale.ROOT));
            data.put("text", change.text());
            data.put("actor", change.actor());
            events.publish(BusinessEvents.Type.OPTED_OUT,
                    change.phone() + ":" + change.channel() + ":" + change.occurredAt().toEpochMilli(),
                    change.phone(), change.channel(), data);
            // In this transaction: enrollments end and queued messages are withdrawn with the opt-out, not at the next step.
            listeners.publishEvent(new ConsentWithdrawn(change.phone(), change.channel(), change.source().name()));
        } else {
            listeners.publishEvent(new ConsentRenewed(change.phone(), change.channel(), change.source().name(), change.actor()));
        }
    }

    public ConsentStatus current(String phone, String channel) {
        return current(List.of(phone), channel).get(phone);
    }

    /**
     * The current status of each phone on one channel, in one read plus one for the phones without a
     * row: such a phone may be a deleted customer's, whose opt-out outlives them as a tombstone.
     */
    public Map<String, ConsentStatus> current(Collection<String> phones, String channel) {
        List<String> distinct = phones.stream().distinct().toList();
        Map<String, ConsentStatus> statuses = new HashMap<>();
        if (distinct.isEmpty()) {
            return statuses;
        }
        List<Object> args = new ArrayList<>();
        args.add(channel);
        args.addAll(distinct);
        jdbc.query("SELECT phone, status FROM consent_state WHERE channel = ? AND phone IN ("
                + MultiRowInsert.placeholders(distinct.size()) + ")",
                rs -> {
                    statuses.put(rs.getString(1), ConsentStatus.valueOf(rs.getString(2)));
                }, args.toArray());
        List<String> withoutRow = distinct.stream().filter(p -> !statuses.containsKey(p)).toList();
        if (!withoutRow.isEmpty()) {
            Set<String> tombstones = new HashSet<>(tombstoned(withoutRow, channel));
            withoutRow.forEach(p -> statuses.put(p, tombstones.contains(phoneHash(p)) ? ConsentStatus.OPTED_OUT : ConsentStatus.NONE));
        }
        return statuses;
    }

    /** The hash a deleted customer's opt-out is kept under: SHA-256 of the E.164 number, in hex. */
    public static String phoneHash(String phone) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(phone.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A customer is being deleted: their ledger goes, but every channel they had opted out of
     * leaves a tombstone under the number's hash (and a channel they had opted back into clears an
     * older one), so the number stays opted out if it comes back.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(PersonErased erased) {
        String hash = phoneHash(erased.phone());
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.query("SELECT channel, status, updated_at FROM consent_state WHERE phone = ?", rs -> {
            jdbc.update("DELETE FROM consent_tombstone WHERE phone_hash = ? AND channel = ?", hash, rs.getString(1));
            if (ConsentStatus.OPTED_OUT.name().equals(rs.getString(2))) {
                jdbc.update("INSERT INTO consent_tombstone (phone_hash, channel, opted_out_at, deleted_at) VALUES (?, ?, ?, ?)", hash,
                        rs.getString(1), rs.getTimestamp(3), now);
            }
        }, erased.phone());
        jdbc.update("DELETE FROM consent_event WHERE phone = ?", erased.phone());
        jdbc.update("DELETE FROM consent_state WHERE phone = ?", erased.phone());
    }

    /**
     * Numbers coming back (a new contact, an import, a first send): a tombstone becomes an opt-out
     * in the ledger again, unless the ledger already holds a decision for that channel.
     */
    @Transactional
    public int restoreTombstones(Collection<String> phones) {
        if (phones.isEmpty()) {
            return 0;
        }
        Map<String, String> byHash = new HashMap<>();
        phones.forEach(p -> byHash.put(phoneHash(p), p));
        List<Object[]> found = jdbc.query("SELECT phone_hash, channel, opted_out_at FROM consent_tombstone WHERE phone_hash IN ("
                + MultiRowInsert.placeholders(byHash.size()) + ")",
                (rs, i) -> new Object[] {byHash.get(rs.getString(1)), rs.getString(2), rs.getTimestamp(3)}, byHash.keySet().toArray());
        int restored = 0;
        Timestamp now = Timestamp.from(clock.instant());
        for (Object[] t : found) {
            // NONE is a row no consent decision was ever recorded on (the number is new here): the tombstone decides it.
            jdbc.update("INSERT INTO consent_state (phone, channel, status, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    t[0], t[1], ConsentStatus.NONE.name(), now);
            int promoted = jdbc.update("UPDATE consent_state SET status = ?, updated_at = ? WHERE phone = ? AND channel = ? AND status = ?",
                    ConsentStatus.OPTED_OUT.name(), now, t[0], t[1], ConsentStatus.NONE.name());
            if (promoted == 1) {
                jdbc.update("INSERT INTO consent_event (phone, channel, action, source, text, actor, occurred_at, recorded_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t[0], t[1], ConsentChange.Action.OPT_OUT.name(),
                        ConsentChange.Source.SYSTEM.name(),
                        "opted out before the customer's record was deleted (tombstone)", "system", t[2], now);
                restored++;
            }
        }
        return restored;
    }

    private List<String> tombstoned(List<String> phones, String channel) {
        List<Object> args = new ArrayList<>();
        args.add(channel);
        phones.forEach(p -> args.add(phoneHash(p)));
        return jdbc.queryForList("SELECT phone_hash FROM consent_tombstone WHERE channel = ? AND phone_hash IN ("
                + MultiRowInsert.placeholders(phones.size()) + ")", String.class, args.toArray());
    }

    /**
     * Reads the current state of each phone and holds the row locks until the caller's transaction
     * ends. A send made under these locks cannot interleave with a STOP being committed for the
     * same phone: the STOP waits for the send, or the send sees the STOP. Rows are created where
     * missing (a first send), and locked in the order given: pass the phones sorted, as every
     * writer locks consent rows in phone order, so two never deadlock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Map<String, ConsentStatus> lockForSend(List<String> phones, String channel) {
        Map<String, ConsentStatus> result = new HashMap<>();
        if (phones.isEmpty()) {
            return result;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> missing = phones.stream().map(p -> new Object[] {p, channel, ConsentStatus.NONE.name(), now}).toList();
        int created = MultiRowInsert.insertIgnoringConflicts(jdbc, "consent_state",
                List.of("phone", "channel", "status", "updated_at"), missing);
        if (created > 0) {
            // A number first seen here may be one a deleted customer had opted out of: opted out again, never NONE.
            restoreTombstones(phones);
        }
        List<Object> args = new ArrayList<>();
        args.add(channel);
        args.addAll(phones);
        jdbc.query("SELECT phone, status FROM consent_state WHERE channel = ? AND phone IN ("
                + MultiRowInsert.placeholders(phones.size()) + ") ORDER BY phone FOR UPDATE",
                rs -> {
                    result.put(rs.getString(1), ConsentStatus.valueOf(rs.getString(2)));
                }, args.toArray());
        return result;
    }

    public List<Entry> history(String phone) {
        return jdbc.query(
                "SELECT id, channel, action, source, text, actor, occurred_at, recorded_at FROM consent_event WHERE phone = ? ORDER BY id",
                (rs, i) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        SqlValues.instant(rs, 7), SqlValues.instant(rs, 8)),
                phone);
    }

    private void ensureRow(String phone, String channel) {
        jdbc.update("INSERT INTO consent_state (phone, channel, status, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                phone, channel, ConsentStatus.NONE.name(), Timestamp.from(clock.instant()));
    }
}
