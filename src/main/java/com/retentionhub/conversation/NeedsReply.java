package com.retentionhub.conversation;

import com.retentionhub.lead.Customers;
import com.retentionhub.platform.SqlValues;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The inbox's "needs reply" view: conversations whose last message came from the customer and has
 * not been answered (by the assistant or by staff), longest waiting first, so campaign sends never
 * bury an answer someone is waiting for. A query the conversation module owns; the staff inbox shows it.
 */
@Component
public class NeedsReply {

    /** One waiting conversation: who, what they wrote last, since when. */
    public record Waiting(long conversationId, String phone, String name, String state, String lastText, String channel,
            Instant waitingSince) {}

    // The conversation's last message (highest id) is inbound.
    private static final String WAITING = " FROM conversation c JOIN contact_card k ON k.id = c.contact_id"
            + " JOIN message m ON m.id = (SELECT max(x.id) FROM message x WHERE x.conversation_id = c.id)"
            + " WHERE m.direction = '" + MessageHistory.INBOUND + "'";

    private final JdbcTemplate jdbc;

    public NeedsReply(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT count(*)" + WAITING, Long.class);
        return n == null ? 0 : n;
    }

    public Customers.Page<Waiting> page(int page, int size) {
        List<Waiting> items = jdbc.query("SELECT c.id, k.phone, k.name, c.state, m.body, m.channel, m.created_at" + WAITING
                + " ORDER BY m.created_at, c.id LIMIT ? OFFSET ?",
                (rs, i) -> new Waiting(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), SqlValues.instant(rs, 7)),
                size, (long) page * size);
        return new Customers.Page<>(items, page, size, count());
    }
}
