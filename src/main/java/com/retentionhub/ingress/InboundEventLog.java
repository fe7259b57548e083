package com.retentionhub.ingress;

import com.retentionhub.conversation.InboundLog;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The stored texts as the conversation module processes and counts them ({@link InboundLog}); the callers own the transactions. */
@Component
class InboundEventLog implements InboundLog {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;

    InboundEventLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    @Override
    public Collection<Long> claim(Collection<Long> eventIds, Instant at) {
        Set<Long> open = new LinkedHashSet<>();
        named.query("SELECT id, processed_at FROM inbound_event WHERE id IN (:ids) FOR UPDATE", new MapSqlParameterSource("ids", eventIds),
                rs -> {
                    if (rs.getTimestamp(2) == null) {
                        open.add(rs.getLong(1));
                    }
                });
        if (!open.isEmpty()) {
            named.update("UPDATE inbound_event SET processed_at = :now WHERE id IN (:ids)",
                    new MapSqlParameterSource("now", Timestamp.from(at)).addValue("ids", open));
        }
        return open;
    }

    @Override
    public List<Received> receivedAfter(Collection<String> phones, Instant after, long upToId) {
        List<Object> args = new ArrayList<>(phones);
        args.add(Timestamp.from(after));
        args.add(upToId);
        return jdbc.query("SELECT phone, id, received_at FROM inbound_event WHERE phone IN (" + MultiRowInsert.placeholders(phones.size())
                + ") AND received_at > ? AND id <= ?",
                (rs, i) -> new Received(rs.getString("phone"), rs.getLong("id"), SqlValues.instant(rs.getObject("received_at"))),
                args.toArray());
    }

    @Override
    public int countAfter(String phone, Instant after) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM inbound_event WHERE phone = ? AND received_at > ?", Integer.class, phone,
                Timestamp.from(after));
        return n == null ? 0 : n;
    }

    @Override
    public List<Long> ids(String phone) {
        return jdbc.queryForList("SELECT id FROM inbound_event WHERE phone = ?", Long.class, phone);
    }
}
