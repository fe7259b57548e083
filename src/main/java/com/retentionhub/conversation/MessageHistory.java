package com.retentionhub.conversation;

import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * What the conversation log knows of one person's messages: what they wrote (texts, and email
 * replies a provider forwarded), and where the messages sent to them stand as the providers
 * reported it. A read model over the conversation tables; it writes nothing.
 */
@Component
public class MessageHistory {

    /** A message from the person. */
    public record Received(String channel, String body, Instant at) {}

    /** The direction of a message the person sent (the log's {@code message.direction}). */
    static final String INBOUND = "IN";

    /** Outbox ids per statement, well under the drivers' parameter limits. */
    private static final int CHUNK = 1000;

    private final JdbcTemplate jdbc;

    public MessageHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The messages the contact with this phone sent, oldest first. */
    public List<Received> receivedFrom(String phone) {
        return jdbc.query("SELECT m.channel, m.body, m.created_at FROM message m JOIN conversation c ON c.id = m.conversation_id"
                + " JOIN contact_card t ON t.id = c.contact_id WHERE t.phone = ? AND m.direction = '" + INBOUND + "' ORDER BY m.id",
                (rs, i) -> new Received(rs.getString("channel"), rs.getString("body"), SqlValues.instant(rs.getObject("created_at"))),
                phone);
    }

    /** The delivery status (queued, sent, delivered, read, failed...) of the log entry of each of these outbox rows that has one. */
    public Map<Long, String> deliveryStatuses(Collection<Long> outboxIds) {
        Map<Long, String> statuses = new HashMap<>();
        List<Long> ids = List.copyOf(outboxIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            jdbc.query("SELECT outbox_id, status FROM message WHERE outbox_id IN (" + MultiRowInsert.placeholders(chunk.size()) + ")",
                    (RowCallbackHandler) rs -> statuses.put(rs.getLong("outbox_id"), rs.getString("status")), chunk.toArray());
        }
        return statuses;
    }
}
