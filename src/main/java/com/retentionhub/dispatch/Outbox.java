package com.retentionhub.dispatch;

import com.retentionhub.conversation.ConversationStore;
import com.retentionhub.lead.ContactStore;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every message to be sent is first an outbox row with a unique idempotency key, written with its
 * conversation log entry in one transaction. The same key twice is the same message.
 */
@Component
public class Outbox {

    /** Outbox row states. SENDING rows belong to a dispatcher; UNKNOWN rows need reconciliation. */
    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String SIMULATED = "SIMULATED";
    public static final String BLOCKED = "BLOCKED";
    public static final String FAILED = "FAILED";
    public static final String UNKNOWN = "UNKNOWN";

    /** Ordinary message. */
    public static final String MESSAGE = "message";
    /** The single confirmation of an opt-out: the one message that may go to a phone that just opted out. */
    public static final String OPT_OUT_CONFIRMATION = "opt-out-confirmation";

    /** The row an idempotency key resolves to; {@code created} is false when it already existed. */
    public record Enqueued(long id, boolean created) {}

    /** A row as dispatch sees it. */
    public record Row(long id, String key, String phone, String body, String purpose, String status, int attempts, String providerId,
            String lastError) {}

    private final JdbcTemplate jdbc;
    private final ContactStore contacts;
    private final ConversationStore conversations;
    private final Clock clock;

    public Outbox(JdbcTemplate jdbc, ContactStore contacts, ConversationStore conversations, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.conversations = conversations;
        this.clock = clock;
    }

    @Transactional
    public Enqueued enqueue(String idempotencyKey, String phone, String body) {
        return enqueue(idempotencyKey, phone, body, MESSAGE);
    }

    @Transactional
    public Enqueued enqueue(String idempotencyKey, String phone, String body, String purpose) {
        return enqueue(idempotencyKey, phone, body, purpose, clock.instant());
    }

    /** @param notBefore the earliest moment dispatch may send it (a reply delay, later a schedule) */
    @Transactional
    public Enqueued enqueue(String idempotencyKey, String phone, String body, String purpose, Instant notBefore) {
        Timestamp now = Timestamp.from(clock.instant());
        int inserted = jdbc.update("INSERT INTO outbox (idempotency_key, phone, channel, body, purpose, status, next_attempt_at, created_at,"
                + " updated_at) VALUES (?, ?, 'sms', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", idempotencyKey, phone, body, purpose, PENDING,
                Timestamp.from(notBefore), now, now);
        long id = jdbc.queryForObject("SELECT id FROM outbox WHERE idempotency_key = ?", Long.class, idempotencyKey);
        if (inserted == 1) {
            long contactId = contacts.ensure(phone);
            Map<Long, Long> conversation = conversations.ensure(List.of(contactId));
            conversations.append(List.of(new ConversationStore.NewMessage(conversation.get(contactId), "OUT", body, null, "queued", null, id)));
        }
        return new Enqueued(id, inserted == 1);
    }

    public Row get(long id) {
        return jdbc.queryForObject("SELECT id, idempotency_key, phone, body, purpose, status, attempts, provider_id, last_error FROM outbox"
                + " WHERE id = ?", (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9)),
                id);
    }

    /** Ids of rows due for a send attempt, oldest first. */
    public List<Long> due(int limit) {
        return jdbc.queryForList("SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?", Long.class, PENDING,
                Timestamp.from(clock.instant()), limit);
    }

    void setStatus(long id, String status, String providerId, String error, Instant nextAttempt) {
        jdbc.update("UPDATE outbox SET status = ?, provider_id = COALESCE(?, provider_id), last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at),"
                + " updated_at = ? WHERE id = ?", status, providerId, truncate(error), nextAttempt == null ? null : Timestamp.from(nextAttempt),
                Timestamp.from(clock.instant()), id);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }
}
