package com.retentionhub.conversation;

import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The SQL on {@code reply_task}: one task per text that deserves an answer, and the conversation
 * rows the answers are decided and written under.
 */
@Component
class ReplyTaskStore {

    /** A text waiting for its answer. */
    record ReplyTask(long id, long conversationId, String phone, String sid, long eventId, String body) {}

    /** Where a conversation stands for replies: what {@link ReplyRules#skipReason} looks at. */
    record Standing(ConversationState state, String escalatedReason, Instant staffUntil) {}

    /** What a task's reply is decided from, read with the task before the model is asked. */
    record Context(Standing standing, Instant proposedSlot, int aiTurns) {}

    /** A pending task with what its reply depends on. */
    record Pending(ReplyTask task, Context context) {}

    /** A task's end: its status and the outcome (the reply's source or the reason for a skip). */
    record Finished(long taskId, ReplyTaskStatus status, String outcome, Instant at) {}

    private static final List<String> INSERTED = List.of("inbound_event_id", "conversation_id", "phone", "sid", "body", "status",
            "created_at", "updated_at");

    /** A task row {@code t} joined to its conversation {@code c}, with the count of the conversation's model turns. */
    private static final String PENDING_COLUMNS = "t.id, t.conversation_id, t.phone, t.sid, t.inbound_event_id, t.body,"
            + " c.state, c.escalated_reason, c.staff_until, c.proposed_slot,"
            + " (SELECT count(*) FROM reply_task a WHERE a.conversation_id = c.id AND a.outcome = '" + Reply.FROM_MODEL + "') AS ai_turns";

    private final JdbcTemplate jdbc;

    ReplyTaskStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes a pending task for each text; a text that already has one (a redelivered event) keeps it. */
    void addPending(List<ReplyWorker.Planned> texts, Instant now) {
        Timestamp at = Timestamp.from(now);
        List<Object[]> rows = texts.stream().<Object[]>map(p -> new Object[] {p.event().id(), p.conversationId(), p.event().phone(),
                p.event().sid(), p.event().body(), ReplyTaskStatus.PENDING.name(), at, at}).toList();
        MultiRowInsert.insertIgnoringConflicts(jdbc, "reply_task", INSERTED, rows);
    }

    /** The conversations with a task still pending that was written before {@code createdBefore}. */
    List<Long> waitingSince(Instant createdBefore) {
        return jdbc.queryForList("SELECT DISTINCT conversation_id FROM reply_task WHERE status = ? AND created_at < ?", Long.class,
                ReplyTaskStatus.PENDING.name(), Timestamp.from(createdBefore));
    }

    /** The first {@code perConversation} pending tasks of each conversation, in arrival order, with what their replies depend on. */
    Map<Long, List<Pending>> pending(List<Long> conversationIds, int perConversation) {
        List<Object> args = new ArrayList<>(conversationIds);
        args.add(ReplyTaskStatus.PENDING.name());
        Map<Long, List<Pending>> byConversation = new HashMap<>();
        jdbc.query("SELECT * FROM (SELECT " + PENDING_COLUMNS + ","
                + " row_number() OVER (PARTITION BY t.conversation_id ORDER BY t.inbound_event_id) AS place"
                + " FROM reply_task t JOIN conversation c ON c.id = t.conversation_id"
                + " WHERE t.conversation_id IN (" + MultiRowInsert.placeholders(conversationIds.size()) + ") AND t.status = ?) p"
                + " WHERE place <= " + perConversation + " ORDER BY conversation_id, inbound_event_id",
                (rs, i) -> pending(rs), args.toArray())
                .forEach(p -> byConversation.computeIfAbsent(p.task().conversationId(), id -> new ArrayList<>()).add(p));
        return byConversation;
    }

    /** What a task's reply depends on now: read again for a later task, since the answers before it may have changed it. */
    Context context(long taskId) {
        return jdbc.queryForObject(
                "SELECT " + PENDING_COLUMNS + " FROM reply_task t JOIN conversation c ON c.id = t.conversation_id WHERE t.id = ?",
                (rs, i) -> pending(rs).context(), taskId);
    }

    /**
     * The conversations' standings, their rows locked for the rest of the transaction: in id order,
     * so two writers locking overlapping sets cannot deadlock.
     */
    Map<Long, Standing> lockConversations(List<Long> conversationIds) {
        List<Object> ids = conversationIds.stream().distinct().sorted().<Object>map(id -> id).toList();
        Map<Long, Standing> locked = new HashMap<>();
        jdbc.query(
                "SELECT id, state, escalated_reason, staff_until FROM conversation WHERE id IN (" + MultiRowInsert.placeholders(ids.size())
                        + ") ORDER BY id FOR UPDATE",
                rs -> {
                    locked.put(rs.getLong("id"), standing(rs));
                }, ids.toArray());
        return locked;
    }

    /** Whether the conversation already had its after-hours answer since {@code since}. */
    boolean answeredAfterHoursSince(long conversationId, Instant since) {
        Integer answered = jdbc.queryForObject(
                "SELECT count(*) FROM reply_task WHERE conversation_id = ? AND outcome = ? AND updated_at >= ?",
                Integer.class, conversationId, Reply.AFTER_HOURS, Timestamp.from(since));
        return answered != null && answered > 0;
    }

    /** Whether a task came before this one in its conversation: if none did, this is the customer's first text. */
    boolean hasEarlierTask(ReplyTask task) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM reply_task WHERE conversation_id = ? AND id < ?)",
                Boolean.class, task.conversationId(), task.id()));
    }

    /** Marks tasks done or skipped, in one batched round trip. */
    void finish(List<Finished> finished) {
        if (!finished.isEmpty()) {
            jdbc.batchUpdate("UPDATE reply_task SET status = ?, outcome = ?, updated_at = ? WHERE id = ?", finished.stream()
                    .map(f -> new Object[] {f.status().name(), f.outcome(), Timestamp.from(f.at()), f.taskId()}).toList());
        }
    }

    private static Pending pending(ResultSet rs) throws SQLException {
        ReplyTask task = new ReplyTask(rs.getLong("id"), rs.getLong("conversation_id"), rs.getString("phone"), rs.getString("sid"),
                rs.getLong("inbound_event_id"), rs.getString("body"));
        return new Pending(task, new Context(standing(rs), SqlValues.instant(rs.getObject("proposed_slot")), rs.getInt("ai_turns")));
    }

    private static Standing standing(ResultSet rs) throws SQLException {
        return new Standing(ConversationState.of(rs.getString("state")), rs.getString("escalated_reason"),
                SqlValues.instant(rs.getObject("staff_until")));
    }
}
