package com.retentionhub.conversation;

import com.retentionhub.platform.IdCache;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SqlValues;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Conversations (one per contact) and their messages. */
@Component
public class ConversationStore {

    /** A conversation with its contact's phone; {@code escalatedReason} is set while a human must take over. */
    public record Conversation(long id, long contactId, String phone, String state, String escalatedReason, Instant escalatedAt,
            Instant createdAt, Instant updatedAt) {}

    /** One audited state change. */
    public record StateChange(long id, String from, String to, String actor, String reason, Instant changedAt) {}

    /** One stored message. */
    @Schema(name = "ConversationMessage")
    public record Message(long id, String direction, String body, int segments, String encoding, String provider, String providerId,
            String status, String errorCode, Instant createdAt, Instant updatedAt) {}

    /** A message to append; {@code intent} and {@code sentiment} are read from inbound texts only. */
    public record NewMessage(long conversationId, String direction, String body, String provider, String status, Long inboundEventId,
            Long outboxId, String intent, Integer sentiment) {

        public NewMessage(long conversationId, String direction, String body, String provider, String status, Long inboundEventId,
                Long outboxId) {
            this(conversationId, direction, body, provider, status, inboundEventId, outboxId, null, null);
        }
    }

    private static final String CONVERSATION_COLUMNS = "SELECT c.id, c.contact_id, k.phone, c.state, c.escalated_reason, c.escalated_at,"
            + " c.created_at, c.updated_at FROM conversation c JOIN contact_card k ON k.id = c.contact_id";

    private static final List<String> MESSAGE_COLUMNS = List.of("conversation_id", "direction", "body", "segments", "encoding", "provider",
            "status", "inbound_event_id", "outbox_id", "intent", "sentiment", "created_at", "updated_at");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Clock clock;
    private final IdCache<Long> known = new IdCache<>(200_000);

    public ConversationStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.clock = clock;
    }

    /** Conversation id per contact id, creating the missing ones in state start. */
    public Map<Long, Long> ensure(Collection<Long> contactIds) {
        return known.resolve(contactIds, this::select, missing -> {
            Timestamp now = Timestamp.from(clock.instant());
            MultiRowInsert.insertIgnoringConflicts(jdbc, "conversation", List.of("contact_id", "state", "created_at", "updated_at"),
                    missing.stream().map(contactId -> new Object[] {contactId, ConversationState.START.value(), now, now}).toList());
        });
    }

    private Map<Long, Long> select(List<Long> contactIds) {
        Map<Long, Long> ids = new HashMap<>();
        named.query("SELECT contact_id, id FROM conversation WHERE contact_id IN (:ids)", new MapSqlParameterSource("ids", contactIds),
                rs -> {
                    ids.put(rs.getLong(1), rs.getLong(2));
                });
        return ids;
    }

    /** Appends messages; a message already stored for the same inbound event or outbox row is skipped. */
    public void append(List<NewMessage> messages) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>(messages.size());
        for (NewMessage m : messages) {
            Segments s = Segments.of(m.body());
            rows.add(new Object[] {m.conversationId(), m.direction(), m.body(), s.count(), s.encoding().name(), m.provider(), m.status(),
                    m.inboundEventId(), m.outboxId(), m.intent(), m.sentiment(), now, now});
        }
        MultiRowInsert.insertIgnoringConflicts(jdbc, "message", MESSAGE_COLUMNS, rows);
    }

    /**
     * Appends a message the customer sent through a provider other than the SMS webhook (an email
     * reply), once per provider id: false when it is already stored. Called in a transaction; the
     * conversation's row is locked first, so a retried delivery racing the first one waits and
     * then finds it.
     */
    public boolean appendReceived(long conversationId, String body, String provider, String providerId) {
        jdbc.queryForList("SELECT id FROM conversation WHERE id = ? FOR UPDATE", Long.class, conversationId);
        Boolean stored = jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM message WHERE conversation_id = ? AND provider = ? AND provider_id = ?)",
                Boolean.class, conversationId, provider, providerId);
        if (Boolean.TRUE.equals(stored)) {
            return false;
        }
        Timestamp now = Timestamp.from(clock.instant());
        Segments segments = Segments.of(body);
        jdbc.update(
                "INSERT INTO message (conversation_id, direction, body, segments, encoding, provider, provider_id, status, created_at, updated_at)"
                        + " VALUES (?, 'IN', ?, ?, ?, ?, ?, 'received', ?, ?)",
                conversationId, body, segments.count(), segments.encoding().name(), provider,
                providerId, now, now);
        return true;
    }

    /**
     * Moves a conversation from {@code from} to {@code to} and audits who did it. False when the
     * conversation was no longer in {@code from} (someone else moved it first). Leaving pause clears
     * an escalation: staff have resumed the conversation.
     */
    public boolean moveState(long conversationId, ConversationState from, ConversationState to, String actor, String reason) {
        Timestamp now = Timestamp.from(clock.instant());
        String clearEscalation = from == ConversationState.PAUSE ? ", escalated_reason = NULL, escalated_at = NULL" : "";
        int moved = jdbc.update("UPDATE conversation SET state = ?, updated_at = ?" + clearEscalation + " WHERE id = ? AND state = ?",
                to.value(), now, conversationId, from.value());
        if (moved == 1) {
            jdbc.update("INSERT INTO conversation_state_change (conversation_id, from_state, to_state, actor, reason, changed_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", conversationId, from.value(), to.value(), actor, reason, now);
        }
        return moved == 1;
    }

    /** Flags the conversation for staff; false when it already was (one alert per escalation). */
    public boolean flagEscalation(long conversationId, String reason) {
        return jdbc.update("UPDATE conversation SET escalated_reason = ?, escalated_at = ? WHERE id = ? AND escalated_reason IS NULL",
                reason,
                Timestamp.from(clock.instant()), conversationId) == 1;
    }

    public ConversationState state(long conversationId) {
        return ConversationState.of(jdbc.queryForObject("SELECT state FROM conversation WHERE id = ?", String.class, conversationId));
    }

    public List<StateChange> stateChanges(long conversationId) {
        return jdbc.query(
                "SELECT id, from_state, to_state, actor, reason, changed_at FROM conversation_state_change WHERE conversation_id = ?"
                        + " ORDER BY id",
                (rs, i) -> new StateChange(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        SqlValues.instant(rs, 6)),
                conversationId);
    }

    public Optional<Conversation> byId(long id) {
        return jdbc.query(CONVERSATION_COLUMNS + " WHERE c.id = ?", this::conversation, id).stream().findFirst();
    }

    public Optional<Conversation> byPhone(String phone) {
        return jdbc.query(CONVERSATION_COLUMNS + " WHERE k.phone = ?", this::conversation, phone).stream().findFirst();
    }

    /** The last {@code limit} messages since {@code since}, oldest first: the context a reply is written from. */
    public List<Message> recentMessages(long conversationId, int limit, Instant since) {
        List<Message> newestFirst = jdbc.query("SELECT id, direction, body, segments, encoding, provider, provider_id, status, error_code,"
                + " created_at, updated_at FROM message WHERE conversation_id = ? AND created_at >= ? ORDER BY id DESC LIMIT ?",
                this::message,
                conversationId, Timestamp.from(since), limit);
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /**
     * {@link #recentMessages(long, int, Instant)} for several conversations in one query, each
     * conversation's oldest first; a conversation without recent messages is absent.
     */
    public Map<Long, List<Message>> recentMessages(Collection<Long> conversationIds, int limit, Instant since) {
        Map<Long, List<Message>> byConversation = new HashMap<>();
        if (conversationIds.isEmpty()) {
            return byConversation;
        }
        List<Object> args = new ArrayList<>(conversationIds);
        args.add(Timestamp.from(since));
        args.add(limit);
        jdbc.query(
                "SELECT id, direction, body, segments, encoding, provider, provider_id, status, error_code, created_at, updated_at, conversation_id"
                        + " FROM (SELECT m.*, row_number() OVER (PARTITION BY conversation_id ORDER BY id DESC) AS newest FROM message m"
                        + " WHERE conversation_id IN (" + MultiRowInsert.placeholders(conversationIds.size()) + ") AND created_at >= ?) r"
                        + " WHERE newest <= ? ORDER BY conversation_id, id",
                rs -> {
                    byConversation.computeIfAbsent(rs.getLong(12), id -> new ArrayList<>()).add(message(rs, 0));
                }, args.toArray());
        return byConversation;
    }

    public List<Message> messages(long conversationId, int limit) {
        return jdbc
                .query("SELECT id, direction, body, segments, encoding, provider, provider_id, status, error_code, created_at, updated_at"
                        + " FROM message WHERE conversation_id = ? ORDER BY id LIMIT ?", this::message, conversationId, limit);
    }

    private Message message(ResultSet rs, int i) throws SQLException {
        return new Message(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8), rs.getString(9), SqlValues.instant(rs, 10), SqlValues.instant(rs, 11));
    }

    private Conversation conversation(ResultSet rs, int i) throws SQLException {
        Timestamp escalatedAt = rs.getTimestamp(6);
        return new Conversation(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                escalatedAt == null ? null : escalatedAt.toInstant(), SqlValues.instant(rs, 7), SqlValues.instant(rs, 8));
    }

    /** Staff take the conversation over: no AI reply until {@code until} or until they hand it back. */
    public boolean takeOver(long conversationId, String by, Instant until) {
        return jdbc.update("UPDATE conversation SET staff_until = ?, staff_by = ? WHERE id = ?", Timestamp.from(until), by,
                conversationId) == 1;
    }

    /** Staff hand the conversation back to the AI. */
    public boolean handBack(long conversationId) {
        return jdbc.update("UPDATE conversation SET staff_until = NULL, staff_by = NULL WHERE id = ?", conversationId) == 1;
    }

    /** Who has taken the conversation over and until when, if staff have it now. */
    public Optional<Map<String, Object>> takeover(long conversationId) {
        return jdbc
                .query("SELECT staff_by, staff_until FROM conversation WHERE id = ? AND staff_until > ?", (rs, i) -> Map.<String, Object>of(
                        "by", rs.getString(1), "until", SqlValues.instant(rs, 2)), conversationId, Timestamp.from(clock.instant()))
                .stream().findFirst();
    }

    /** A deleted customer's conversation goes whole: messages, reply tasks, state changes, appointments. */
    @EventListener
    public void on(PersonErased erased) {
        String ofContact = " WHERE conversation_id IN (SELECT id FROM conversation WHERE contact_id = ?)";
        for (String table : List.of("message", "reply_task", "conversation_state_change", "appointment")) {
            jdbc.update("DELETE FROM " + table + ofContact, erased.contactId());
        }
        jdbc.update("DELETE FROM conversation WHERE contact_id = ?", erased.contactId());
        known.forgetAfterCommit(erased.contactId());
    }
}
