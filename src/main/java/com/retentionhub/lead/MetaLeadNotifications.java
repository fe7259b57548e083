package com.retentionhub.lead;

import com.retentionhub.platform.MultiRowInsert;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Meta's lead notifications, one per {@code leadgen_id}, kept from the webhook until their lead is
 * stored (or given up): the Meta webhook's work list. The callers own the transactions.
 */
@Component
public class MetaLeadNotifications {

    /** Where a notification stands: waiting to be fetched and stored, stored as a lead, or given up. */
    public enum Status {
        PENDING, STORED, INVALID
    }

    /** A notification as Meta sent it: the lead's id and the change's JSON. */
    public record Notification(String leadgenId, String payload) {}

    private static final List<String> COLUMNS = List.of("leadgen_id", "payload", "status", "next_attempt_at", "received_at", "updated_at");

    private final JdbcTemplate jdbc;

    public MetaLeadNotifications(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the notifications not seen before as PENDING, due at once; a repeated leadgen_id changes nothing. */
    public void receive(List<Notification> notifications, Instant at) {
        Timestamp ts = Timestamp.from(at);
        MultiRowInsert.insertIgnoringConflicts(jdbc, "meta_leadgen", COLUMNS,
                notifications.stream().map(n -> new Object[] {n.leadgenId(), n.payload(), Status.PENDING.name(), ts, ts, ts}).toList());
    }

    /** Pending notifications due by {@code now}, most overdue first. */
    public List<Notification> due(Instant now, int limit) {
        return jdbc.query(
                "SELECT leadgen_id, payload FROM meta_leadgen WHERE status = ? AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
                (rs, i) -> new Notification(rs.getString("leadgen_id"), rs.getString("payload")), Status.PENDING.name(),
                Timestamp.from(now), limit);
    }

    /** Locks a pending notification and returns its payload; empty when it is no longer pending (another worker stored it). */
    public Optional<String> lockPending(String leadgenId) {
        return jdbc.queryForList("SELECT payload FROM meta_leadgen WHERE leadgen_id = ? AND status = ? FOR UPDATE", String.class, leadgenId,
                Status.PENDING.name()).stream().findFirst();
    }

    /** The notification's lead is stored. */
    public void stored(String leadgenId, long leadId, Instant at) {
        jdbc.update("UPDATE meta_leadgen SET status = ?, lead_id = ?, last_error = NULL, updated_at = ? WHERE leadgen_id = ?",
                Status.STORED.name(),
                leadId, Timestamp.from(at), leadgenId);
    }

    /** The form gave nothing to reach the person by: kept with the reason, never retried. */
    public void invalid(String leadgenId, String reason, Instant at) {
        jdbc.update("UPDATE meta_leadgen SET status = ?, last_error = ?, updated_at = ? WHERE leadgen_id = ?", Status.INVALID.name(),
                reason,
                Timestamp.from(at), leadgenId);
    }

    /** How many fetch-and-store attempts the notification has failed. */
    public int attempts(String leadgenId) {
        return jdbc.queryForObject("SELECT attempts FROM meta_leadgen WHERE leadgen_id = ?", Integer.class, leadgenId);
    }

    /** A failed attempt: due again at {@code next}. */
    public void retryAt(String leadgenId, int attempts, Instant next, String error, Instant at) {
        jdbc.update("UPDATE meta_leadgen SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE leadgen_id = ?",
                attempts,
                Timestamp.from(next), error, Timestamp.from(at), leadgenId);
    }

    /** Gives a still-pending notification up after its last attempt; returns the payload it came with, for the dead letter. */
    public String giveUp(String leadgenId, int attempts, String reason, Instant at) {
        jdbc.update("UPDATE meta_leadgen SET status = ?, attempts = ?, last_error = ?, updated_at = ? WHERE leadgen_id = ? AND status = ?",
                Status.INVALID.name(), attempts, reason, Timestamp.from(at), leadgenId, Status.PENDING.name());
        return jdbc.queryForObject("SELECT payload FROM meta_leadgen WHERE leadgen_id = ?", String.class, leadgenId);
    }
}
