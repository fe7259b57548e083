package com.retentionhub.consent;

import com.retentionhub.platform.SqlValues;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who is opted out now, newest first: the list staff keep as their do-not-contact register and
 * export. One row per phone and channel whose current state is OPTED_OUT, with the latest opt-out's
 * source and words as evidence.
 */
@Component
public class OptOutList {

    /** One opted-out phone on one channel. */
    @Schema(name = "OptOut")
    public record OptOut(String phone, String name, String channel, Instant optedOutAt, String source, String text) {}

    /** What to list: channel null for every channel; from (inclusive) and to (exclusive) null for no bound. */
    public record Query(String channel, Instant from, Instant to, int page, int size) {}

    /** A page of the list and how many there are in all. */
    public record Page(List<OptOut> items, long total) {}

    private final JdbcTemplate jdbc;

    public OptOutList(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Page find(Query q) {
        StringBuilder where = new StringBuilder(" WHERE s.status = ?");
        List<Object> args = new ArrayList<>(List.of(ConsentStatus.OPTED_OUT.name()));
        if (q.channel() != null) {
            where.append(" AND s.channel = ?");
            args.add(q.channel());
        }
        if (q.from() != null) {
            where.append(" AND s.updated_at >= ?");
            args.add(Timestamp.from(q.from()));
        }
        if (q.to() != null) {
            where.append(" AND s.updated_at < ?");
            args.add(Timestamp.from(q.to()));
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM consent_state s" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(q.size());
        pageArgs.add((long) q.page() * q.size());
        String latest = " FROM consent_event e WHERE e.phone = s.phone AND e.channel = s.channel AND e.action = 'OPT_OUT' ORDER BY e.id DESC LIMIT 1)";
        List<OptOut> items = jdbc.query(
                "SELECT s.phone, (SELECT k.name FROM contact_card k WHERE k.phone = s.phone), s.channel, s.updated_at,"
                        + " (SELECT e.source" + latest + ", (SELECT e.text" + latest + " FROM consent_state s" + where
                        + " ORDER BY s.updated_at DESC, s.phone, s.channel LIMIT ? OFFSET ?",
                (rs, i) -> new OptOut(rs.getString(1), rs.getString(2), rs.getString(3), SqlValues.instant(rs, 4),
                        rs.getString(5) == null ? null : rs.getString(5).toLowerCase(Locale.ROOT), rs.getString(6)),
                pageArgs.toArray());
        return new Page(items, total == null ? 0 : total);
    }
}
