package com.retentionhub.consent;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
    public record Entry(
            long id, String channel, String action, String source, String text, String actor, Instant occurredAt, Instant recordedAt) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ConsentLedger(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
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
        jdbc.update("UPDATE consent_state SET status = ?, updated_at = ? WHERE phone = ? AND channel = ?", status, now, change.phone(), change.channel());
    }

    public ConsentStatus current(String phone, String channel) {
        List<String> rows = jdbc.queryForList("SELECT status FROM consent_state WHERE phone = ? AND channel = ?", String.class, phone, channel);
        return rows.isEmpty() ? ConsentStatus.NONE : ConsentStatus.valueOf(rows.get(0));
    }

    /**
     * Reads the current state of each phone and holds the row locks until the caller's transaction
     * ends. A send made under these locks cannot interleave with a STOP being committed for the
     * same phone: the STOP waits for the send, or the send sees the STOP. Rows are created where
     * missing (a first send), and locked in the order given: pass the phones sorted, as every
     * writer locks consent rows in phone order, so two never deadlock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public java.util.Map<String, ConsentStatus> lockForSend(List<String> phones, String channel) {
        java.util.Map<String, ConsentStatus> result = new java.util.HashMap<>();
        if (phones.isEmpty()) {
            return result;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> missing = phones.stream().map(p -> new Object[] {p, channel, ConsentStatus.NONE.name(), now}).toList();
        com.retentionhub.platform.MultiRowInsert.insertIgnoringConflicts(jdbc, "consent_state", List.of("phone", "channel", "status", "updated_at"),
                missing);
        List<Object> args = new java.util.ArrayList<>();
        args.add(channel);
        args.addAll(phones);
        jdbc.query("SELECT phone, status FROM consent_state WHERE channel = ? AND phone IN ("
                + com.retentionhub.platform.MultiRowInsert.placeholders(phones.size()) + ") ORDER BY phone FOR UPDATE",
                rs -> {
                    result.put(rs.getString(1), ConsentStatus.valueOf(rs.getString(2)));
                }, args.toArray());
        return result;
    }


    public List<Entry> history(String phone) {
        return jdbc.query(
                "SELECT id, channel, action, source, text, actor, occurred_at, recorded_at FROM consent_event WHERE phone = ? ORDER BY id",
                (rs, i) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant()),
                phone);
    }

    private void ensureRow(String phone, String channel) {
        jdbc.update("INSERT INTO consent_state (phone, channel, status, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                phone, channel, ConsentStatus.NONE.name(), Timestamp.from(clock.instant()));
    }
}
