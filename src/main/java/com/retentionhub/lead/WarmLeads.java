package com.retentionhub.lead;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Warm leads: contacts who answered a campaign text with a YES or an expression of interest. The
 * first such reply marks the contact (when, what they said, which campaign), and the mark stays;
 * the daily warm-lead batches and the console read it. A reply counts as an answer to the latest
 * campaign text that went to the phone within {@link #ANSWER_WINDOW} before it.
 */
@Component
public class WarmLeads {

    /** How long after a campaign text a reply still counts as its answer. */
    public static final Duration ANSWER_WINDOW = Duration.ofDays(7);

    /** An interested reply from a phone. */
    public record Reply(String phone, String text, Instant at) {}

    /** A contact's warm-lead mark. */
    public record Mark(Instant at, String text, String campaign) {}

    private final JdbcTemplate jdbc;
    private final ContactStore contacts;

    public WarmLeads(JdbcTemplate jdbc, ContactStore contacts) {
        this.jdbc = jdbc;
        this.contacts = contacts;
    }

    /** Marks the phones whose interested reply answered a campaign text; returns how many were newly marked. */
    public int note(List<Reply> replies) {
        if (replies.isEmpty()) {
            return 0;
        }
        Map<String, Reply> first = new LinkedHashMap<>();
        replies.forEach(r -> first.putIfAbsent(r.phone(), r));
        Instant earliest = replies.stream().map(Reply::at).min(Instant::compareTo).orElseThrow().minus(ANSWER_WINDOW);
        List<Object> args = new ArrayList<>(first.keySet());
        args.add(Timestamp.from(earliest));
        // The campaign texts each phone was sent in the window (few per phone: the caps see to that).
        Map<String, List<Object[]>> sent = new HashMap<>();
        jdbc.query("SELECT phone, campaign, sent_at FROM outbox_sends WHERE phone IN (" + MultiRowInsert.placeholders(first.size()) + ")"
                + " AND purpose = 'message' AND campaign IS NOT NULL AND sent_at IS NOT NULL AND sent_at >= ?", rs -> {
                    sent.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Object[] {rs.getString(2), SqlValues.instant(rs, 3)});
                }, args.toArray());
        int marked = 0;
        for (Reply r : first.values()) {
            Optional<String> campaign = sent.getOrDefault(r.phone(), List.of()).stream()
                    .filter(s -> !((Instant) s[1]).isAfter(r.at()) && ((Instant) s[1]).isAfter(r.at().minus(ANSWER_WINDOW)))
                    .max((a, b) -> ((Instant) a[1]).compareTo((Instant) b[1])).map(s -> (String) s[0]);
            if (campaign.isPresent() && contacts.markWarm(r.phone(), r.at(), r.text(), campaign.get())) {
                marked++;
            }
        }
        return marked;
    }

    public Optional<Mark> of(String phone) {
        return jdbc.query(
                "SELECT warm_lead_at, warm_lead_text, warm_lead_campaign FROM contact_card WHERE phone = ? AND warm_lead_at IS NOT NULL",
                (rs, i) -> new Mark(SqlValues.instant(rs, 1), rs.getString(2), rs.getString(3)), phone).stream().findFirst();
    }

    /** A warm lead as staff list them. */
    public record WarmLead(long contactId, String phone, String name, Instant at, String text, String campaign, Integer leadScore) {}

    /** Warm leads newest first, optionally of one campaign; {@code size} from {@code offset}, and how many in all. */
    public Map.Entry<Long, List<WarmLead>> list(String campaign, int offset, int size) {
        String where = " WHERE warm_lead_at IS NOT NULL" + (campaign == null ? "" : " AND warm_lead_campaign = ?");
        Object[] args = campaign == null ? new Object[0] : new Object[] {campaign};
        Long total = jdbc.queryForObject("SELECT count(*) FROM contact_card" + where, Long.class, args);
        List<Object> paged = new ArrayList<>(List.of(args));
        paged.add(size);
        paged.add(offset);
        List<WarmLead> leads = jdbc.query(
                "SELECT id, phone, name, warm_lead_at, warm_lead_text, warm_lead_campaign, lead_score FROM contact_card"
                        + where
                        + " ORDER BY warm_lead_at DESC, id DESC LIMIT ? OFFSET ?",
                (rs, i) -> new WarmLead(rs.getLong(1), rs.getString(2), rs.getString(3),
                        SqlValues.instant(rs, 4), rs.getString(5), rs.getString(6), SqlValues.intOrNull(rs, 7)),
                paged.toArray());
        return Map.entry(total == null ? 0L : total, leads);
    }

    /** Warm leads per local day from {@code since} (inclusive) to {@code today}, every day present. */
    public SortedMap<LocalDate, Integer> perDay(LocalDate since, LocalDate today, ZoneId zone) {
        SortedMap<LocalDate, Integer> days = new TreeMap<>();
        for (LocalDate d = since; !d.isAfter(today); d = d.plusDays(1)) {
            days.put(d, 0);
        }
        jdbc.query("SELECT warm_lead_at FROM contact_card WHERE warm_lead_at >= ? AND warm_lead_at < ?", rs -> {
            days.merge(LocalDate.ofInstant(SqlValues.instant(rs, 1), zone), 1, Integer::sum);
        }, Timestamp.from(since.atStartOfDay(zone).toInstant()), Timestamp.from(today.plusDays(1).atStartOfDay(zone).toInstant()));
        return days;
    }
}
