package com.retentionhub.conversation;

import com.retentionhub.platform.SearchText;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The conversation roster staff read: search, filters, sorting and paging, and the transcripts
 * they export. Last activity is the conversation's newest message, found through the
 * (conversation_id, id) index rather than kept on the conversation row, so the hot paths that
 * append messages write nothing more.
 */
@Component
public class ConversationSearch {

    /**
     * Sort keys; a leading '-' sorts descending. Activity and score sort newest and highest first by default.
     * {@code replies}: conversations whose last message is the customer's first (newest first), then the rest
     * by activity, so a batch of campaign sends never buries the answers.
     */
    public static final Map<String, String> SORTS = Map.of("activity", "last_at", "score", "k.lead_score", "state", "c.state", "replies",
            "replies");

    /**
     * A search: text (name, phone, message text), state, escalated, warm lead, sort, page; {@code assignedTo}
     * keeps the conversations that user has taken (and not handed back), {@code awaitingReply} those whose
     * last message is the customer's (true) or not (false).
     */
    public record Query(String text, String state, Boolean escalated, Boolean warmLead, String sort, int page, int size, String assignedTo,
            Boolean awaitingReply) {

        public Query(String text, String state, Boolean escalated, Boolean warmLead, String sort, int page, int size) {
            this(text, state, escalated, warmLead, sort, page, size, null, null);
        }
    }

    /** One roster line; {@code assignedTo} is who has taken it, {@code lastChannel} sms, email or voice. */
    public record Summary(long id, String phone, String name, String state, String escalatedReason, boolean warmLead, Integer leadScore,
            Instant staffUntil, Instant lastActivityAt, String lastDirection, String lastText, String assignedTo, String leadScoreReasons,
            String lastChannel) {}

    /** What the inbox's views hold for one user: totals and, of those, how many wait for an answer (unread). */
    public record InboxCounts(long all, long needsReply, long mine, long mineUnread, long escalated, long escalatedUnread, long warm,
            long warmUnread) {}

    /** The conversation's last message is the customer's. */
    private static final String AWAITING = "(SELECT x.direction FROM message x WHERE x.id = (SELECT max(y.id) FROM message y"
            + " WHERE y.conversation_id = c.id)) = 'IN'";
    /** The conversation is taken by a user (first argument) until after now (second). */
    private static final String TAKEN_BY = "c.staff_by = ? AND c.staff_until > ?";

    public record Page(List<Summary> items, int page, int size, long total) {}

    /** One exported message. */
    public record TranscriptLine(long conversationId, long messageId, Instant at, String direction, String channel, String phone,
            String status,
            String providerId, String body) {}

    /** The CSV columns of an export, in order. */
    public static final List<String> TRANSCRIPT_COLUMNS = List.of("conversation_id", "message_id", "at", "direction", "channel", "phone",
            "status",
            "provider_id", "body");

    private final JdbcTemplate jdbc;

    public ConversationSearch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Page search(Query q, Instant now) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        SearchText.append(q.text(), where, args, "k.phone", "lower(k.name) LIKE ?",
                "EXISTS (SELECT 1 FROM message m WHERE m.conversation_id = c.id AND lower(m.body) LIKE ?)");
        if (q.state() != null) {
            where.append(" AND c.state = ?");
            args.add(q.state());
        }
        if (q.escalated() != null) {
            where.append(q.escalated() ? " AND c.escalated_reason IS NOT NULL" : " AND c.escalated_reason IS NULL");
        }
        if (q.warmLead() != null) {
            where.append(q.warmLead() ? " AND k.warm_lead_at IS NOT NULL" : " AND k.warm_lead_at IS NULL");
        }
        if (q.assignedTo() != null) {
            where.append(" AND " + TAKEN_BY);
            args.add(q.assignedTo());
            args.add(Timestamp.from(now));
        }
        if (q.awaitingReply() != null) {
            where.append(q.awaitingReply() ? " AND " + AWAITING : " AND NOT COALESCE(" + AWAITING + ", FALSE)");
        }
        String from = " FROM conversation c JOIN contact_card k ON k.id = c.contact_id";
        Long total = jdbc.queryForObject("SELECT count(*)" + from + where, Long.class, args.toArray());
        String sort = q.sort() == null ? "activity" : q.sort();
        boolean explicitDescending = sort.startsWith("-");
        String key = explicitDescending ? sort.substring(1) : sort;
        // Activity and score read best newest/highest first; '-' flips them. State reads alphabetically.
        boolean descending = key.equals("state") ? explicitDescending : !explicitDescending;
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(q.size());
        pageArgs.add((long) q.page() * q.size());
        String order = key.equals("replies")
                // Replies first either way round; '-' only flips the order within each group.
                ? "CASE WHEN c.direction = 'IN' THEN 0 ELSE 1 END, c.last_at" + (descending ? " DESC" : "")
                : SORTS.get(key).replace("k.", "c.") + (descending ? " DESC" : "");
        List<Summary> items = jdbc.query(
                "SELECT * FROM (SELECT c.id, k.phone, k.name, c.state, c.escalated_reason, k.warm_lead_at, k.lead_score,"
                        + " c.staff_until, lm.created_at AS last_at, lm.direction, lm.body, c.staff_by, k.lead_score_reasons, lm.channel"
                        + from
                        + " LEFT JOIN message lm ON lm.id = (SELECT max(m.id) FROM message m WHERE m.conversation_id = c.id)" + where
                        + ") c"
                        + " ORDER BY " + order + " NULLS LAST, c.id DESC LIMIT ? OFFSET ?",
                (rs, i) -> {
                    Timestamp staff = rs.getTimestamp(8);
                    Timestamp last = rs.getTimestamp(9);
                    boolean taken = staff != null && staff.toInstant().isAfter(now);
                    return new Summary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6) != null,
                            SqlValues.intOrNull(rs, 7), taken ? staff.toInstant() : null, last == null ? null : last.toInstant(),
                            rs.getString(10),
                            rs.getString(11), taken ? rs.getString(12) : null, rs.getString(13), rs.getString(14));
                }, pageArgs.toArray());
        return new Page(items, q.page(), q.size(), total == null ? 0 : total);
    }

    /** The inbox's counts for {@code user} (null: no "mine"): each view's total, and how many of those wait for an answer. */
    public InboxCounts counts(String user, Instant now) {
        return jdbc.queryForObject("SELECT count(*), COALESCE(sum(CASE WHEN a THEN 1 ELSE 0 END), 0),"
                + " COALESCE(sum(CASE WHEN m THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN m AND a THEN 1 ELSE 0 END), 0),"
                + " COALESCE(sum(CASE WHEN e THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN e AND a THEN 1 ELSE 0 END), 0),"
                + " COALESCE(sum(CASE WHEN w THEN 1 ELSE 0 END), 0), COALESCE(sum(CASE WHEN w AND a THEN 1 ELSE 0 END), 0)"
                + " FROM (SELECT COALESCE(lm.direction = 'IN', FALSE) AS a, COALESCE(" + TAKEN_BY + ", FALSE) AS m,"
                + " c.escalated_reason IS NOT NULL AS e, k.warm_lead_at IS NOT NULL AS w"
                + " FROM conversation c JOIN contact_card k ON k.id = c.contact_id"
                + " LEFT JOIN message lm ON lm.id = (SELECT max(x.id) FROM message x WHERE x.conversation_id = c.id)) v",
                (rs, i) -> new InboxCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8)),
                user == null ? "" : user, Timestamp.from(now));
    }

    /** One conversation's messages in order. */
    public List<TranscriptLine> transcript(long conversationId) {
        return lines(" WHERE m.conversation_id = ?", conversationId);
    }

    /** Every message in [from, to), by conversation; at most {@code limit} (the caller asks for one more to tell "too many"). */
    public List<TranscriptLine> transcripts(Instant from, Instant to, int limit) {
        return lines(" WHERE m.created_at >= ? AND m.created_at < ?", Timestamp.from(from), Timestamp.from(to), limit);
    }

    private List<TranscriptLine> lines(String where, Object... args) {
        String limit = args.length == 3 ? " LIMIT ?" : "";
        return jdbc.query("SELECT m.conversation_id, m.id, m.created_at, m.direction, m.channel, k.phone, m.status, m.provider_id, m.body"
                + " FROM message m JOIN conversation c ON c.id = m.conversation_id JOIN contact_card k ON k.id = c.contact_id" + where
                + " ORDER BY m.conversation_id, m.id" + limit,
                (rs, i) -> new TranscriptLine(rs.getLong(1), rs.getLong(2), SqlValues.instant(rs, 3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)),
                args);
    }

    /** A line as a CSV row keyed by {@link #TRANSCRIPT_COLUMNS}. */
    public static Map<String, Object> row(TranscriptLine l) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("conversation_id", l.conversationId());
        row.put("message_id", l.messageId());
        row.put("at", l.at().toString());
        row.put("direction", l.direction());
        row.put("channel", l.channel());
        row.put("phone", l.phone());
        row.put("status", l.status());
        row.put("provider_id", l.providerId());
        row.put("body", l.body());
        return row;
    }
}
