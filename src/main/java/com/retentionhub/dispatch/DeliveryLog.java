package com.retentionhub.dispatch;

import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.MultiRowInsert;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Delivery status of sent messages, moved forward only, from send receipts and status callbacks. */
@Component
public class DeliveryLog {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final BusinessEvents events;
    private final OutboundJournal journal;

    public DeliveryLog(JdbcTemplate jdbc, Clock clock, BusinessEvents events, OutboundJournal journal) {
        this.jdbc = jdbc;
        this.journal = journal;
        this.clock = clock;
        this.events = events;
    }

    /** Records a callback; false when the same (sid, status) was seen before. */
    public boolean recordCallback(String provider, String providerId, String status, String errorCode, String params) {
        return jdbc.update(
                "INSERT INTO status_event (provider, provider_id, status, error_code, params, received_at) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                provider, providerId, status, errorCode, params, Timestamp.from(clock.instant())) == 1;
    }

    /**
     * A provider's report about one message, deduped on (provider, id, status) and applied forward
     * only. False when it was seen before.
     */
    public boolean apply(String provider, String providerId, String status, String errorCode, String params) {
        if (!recordCallback(provider, providerId, status, errorCode, params)) {
            return false;
        }
        advance(providerId, status, errorCode);
        return true;
    }

    /** Moves the message with this provider id to {@code status} if that is a move forward. */
    public void advance(String providerId, String status, String errorCode) {
        List<String> from = MessageStatus.predecessorsOf(status);
        if (from.isEmpty()) {
            return;
        }
        if (journal.advance(providerId, status, errorCode, from, clock.instant()) > 0) {
            publish(providerId, status, errorCode);
        }
    }

    /** message.delivered, or message.failed for a terminal failure; a status reached once is published once (forward-only). */
    private void publish(String providerId, String status, String errorCode) {
        BusinessEvents.Type type = MessageStatus.DELIVERED.equals(status)
                ? BusinessEvents.Type.MESSAGE_DELIVERED
                : MessageStatus.isFailure(status) ? BusinessEvents.Type.MESSAGE_FAILED : null;
        if (type == null || !events.recording()) {
            return;
        }
        List<Long> outboxIds = journal.outboxIds(providerId);
        if (outboxIds.isEmpty()) {
            return;
        }
        jdbc.query(
                "SELECT id, idempotency_key, phone, channel FROM outbox WHERE id IN (" + MultiRowInsert.placeholders(outboxIds.size())
                        + ")",
                rs -> {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("outboxId", rs.getLong(1));
                    data.put("idempotencyKey", rs.getString(2));
                    data.put("providerId", providerId);
                    data.put("status", status);
                    data.put("errorCode", errorCode);
                    events.publish(type, rs.getString(2) + ":" + status, rs.getString(3), rs.getString(4), data);
                }, outboxIds.toArray());
    }

    /**
     * Links a sent outbox row's message to its provider id and applies any callbacks that arrived
     * before the send's own receipt was recorded.
     */
    public void linkSent(long outboxId, String provider, String providerId, String firstStatus) {
        journal.linked(outboxId, provider, providerId, firstStatus, clock.instant());
        List<String[]> early = jdbc.query("SELECT status, error_code FROM status_event WHERE provider_id = ? ORDER BY id",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, providerId);
        early.forEach(e -> advance(providerId, e[0], e[1]));
    }

    /** Applies callbacks that arrived before these provider ids were linked to their messages. */
    public void applyEarlyCallbacks(List<String> providerIds) {
        if (providerIds.isEmpty()) {
            return;
        }
        List<String[]> early = jdbc.query("SELECT provider_id, status, error_code FROM status_event WHERE provider_id IN ("
                + MultiRowInsert.placeholders(providerIds.size()) + ") ORDER BY id",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, providerIds.toArray());
        early.forEach(e -> advance(e[0], e[1], e[2]));
    }
}
