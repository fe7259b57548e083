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
     * Reads the current state and holds its row lock until the caller's transaction ends. A send
     * done under this lock cannot interleave with a STOP being committed for the same phone: the
     * STOP waits for the send, or the send sees the STOP.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ConsentStatus lockForSend(String phone, String channel) {
        List<String> locked = lock(phone, channel);
        if (locked.isEmpty()) {
            // First send to this phone: create the row so there is something to lock.
            ensureRow(phone, channel);
            locked = lock(phone, channel);
        }
        return ConsentStatus.valueOf(locked.get(0));
    }

    private List<String> lock(String phone, String channel) {
        return jdbc.queryForList("SELECT status FROM consent_state WHERE phone = ? AND channel = ? FOR UPDATE", String.class, phone, channel);
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
