package com.retentionhub.conversation;

import com.retentionhub.platform.Channel;
import com.retentionhub.platform.SqlValues;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A conversation's log as staff read it: each message with what the providers and the hub know
 * about it. An inbound text carries its intent and sentiment; a message the outbox holds (quiet
 * hours, a cap, a drained provider) shows status "held" with the reason and the next attempt
 * instead of a bare "queued"; a blocked, withdrawn or failed one says why; a call carries VAPI's
 * end-of-call report (summary, transcript, recording, keywords).
 */
@Component
public class ConversationEntries {

    /** A call's report from VAPI. */
    @Schema(name = "CallReport")
    public record Call(String endedReason, String summary, String transcript, String recordingUrl, List<String> keywords,
            Double durationSeconds,
            Instant reportedAt) {}

    /**
     * One entry. {@code kind}: text, email or call. {@code heldReason} and {@code nextAttemptAt} while
     * the outbox holds it; {@code reason} why it was blocked, withdrawn, expired or failed.
     */
    @Schema(name = "ConversationEntry")
    public record Entry(long id, String kind, String direction, String channel, String body, int segments, String encoding, String provider,
            String providerId, String status, String errorCode, Instant createdAt, Instant updatedAt, String intent, Integer sentiment,
            String heldReason, Instant nextAttemptAt, String reason, Call call) {}

    private final JdbcTemplate jdbc;

    public ConversationEntries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The first {@code limit} entries, oldest first. */
    public List<Entry> of(long conversationId, int limit) {
        return jdbc.query(
                "SELECT m.id, m.direction, m.channel, m.body, m.segments, m.encoding, m.provider, m.provider_id, m.status, m.error_code,"
                        + " m.created_at, m.updated_at, m.intent, m.sentiment, o.status, o.held_reason, o.next_attempt_at, o.last_error,"
                        + " r.ended_reason, r.summary, r.transcript, r.recording_url, r.keywords, r.duration_seconds, r.received_at"
                        + " FROM message m LEFT JOIN outbox_sends o ON o.id = m.outbox_id LEFT JOIN ended_calls r ON r.outbox_id = m.outbox_id"
                        + " WHERE m.conversation_id = ? ORDER BY m.id LIMIT ?",
                (rs, i) -> {
                    String channel = rs.getString(3);
                    String status = rs.getString(9);
                    String outbox = rs.getString(15);
                    String held = rs.getString(16);
                    boolean waiting = "PENDING".equals(outbox);
                    if (waiting && held != null) {
                        status = "held";
                    }
                    String reason = !waiting && outbox != null && List.of("BLOCKED", "FAILED", "EXPIRED").contains(outbox)
                            ? (rs.getString(18) != null ? rs.getString(18) : held)
                            : null;
                    Call call = null;
                    if (Channel.VOICE.code().equals(channel) && rs.getTimestamp(25) != null) {
                        String keywords = rs.getString(23);
                        Double duration = rs.getObject(24) == null ? null : rs.getDouble(24);
                        call = new Call(rs.getString(19), rs.getString(20), rs.getString(21), rs.getString(22),
                                keywords == null || keywords.isBlank()
                                        ? List.of()
                                        : Arrays.stream(keywords.split(",")).map(String::trim)
                                                .filter(k -> !k.isEmpty()).toList(),
                                duration, SqlValues.instant(rs, 25));
                    }
                    Integer sentiment = rs.getObject(14) == null ? null : rs.getInt(14);
                    return new Entry(rs.getLong(1), kind(channel), rs.getString(2), channel, rs.getString(4), rs.getInt(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), status, rs.getString(10), SqlValues.instant(rs, 11),
                            SqlValues.instant(rs, 12),
                            rs.getString(13), sentiment, waiting ? strip(held) : null, waiting ? SqlValues.instant(rs, 17) : null, reason,
                            call);
                }, conversationId, limit);
    }

    private static String kind(String channel) {
        return switch (channel == null ? Channel.SMS : Channel.ofCode(channel)) {
            case VOICE -> "call";
            case EMAIL -> "email";
            case SMS -> "text";
        };
    }

    private static String strip(String held) {
        return held != null && held.startsWith("held: ") ? held.substring(6) : held;
    }
}
