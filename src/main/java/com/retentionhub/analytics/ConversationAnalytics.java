package com.retentionhub.analytics;

import static com.retentionhub.analytics.Report.row;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.SqlValues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The conversations as they stand: who is talking now, how many texts today, who is hot, who asked to
 * book, and which services people ask about; and the warm leads the cold batches farmed. "Today"
 * and "this week" are the business's days. The campaign filter keeps the conversations of people the
 * campaign messaged. It reads the views the conversation, contact and dispatch modules publish
 * (conversation_messages, conversation_contacts, conversation_appointments, contact_card, outbox_sends).
 */
@Component
public class ConversationAnalytics {

    /** Words of a service's name that say nothing about which service it is. */
    private static final Set<String> GENERIC = Set.of("general", "treatment", "inspection", "service", "services", "yard", "visit",
            "control",
            "and", "the", "for", "per", "of", "home", "full", "plan", "basic", "premium");

    private final JdbcTemplate jdbc;
    private final BusinessProfile business;
    private final Clock clock;

    public ConversationAnalytics(JdbcTemplate jdbc, BusinessProfile business, Clock clock) {
        this.jdbc = jdbc;
        this.business = business;
        this.clock = clock;
    }

    private static AnalyticsFilter.Where messages(AnalyticsFilter f) {
        return new AnalyticsFilter.Where().andIf(f.channel(), "m.channel = ?").andIf(f.campaign(),
                "m.conversation_id IN (SELECT v.conversation_id"
                        + " FROM conversation_contacts v JOIN contact_card t ON t.id = v.contact_id"
                        + " WHERE t.phone IN (SELECT o.phone FROM outbox_sends o WHERE o.campaign = ?))");
    }

    /**
     * Active in the last 24 hours, texts in and out today, leads scoring over 70, booking requests and
     * appointments made (in the range), and inbound texts naming each service (in the range).
     */
    public Report conversations(AnalyticsFilter f) {
        Instant now = clock.instant();
        Instant today = LocalDate.ofInstant(clock.instant(), business.zone()).atStartOfDay(business.zone()).toInstant();
        AnalyticsFilter.Where recent = messages(f).and("m.created_at >= ?", now.minus(Duration.ofHours(24)));
        long active = jdbc.queryForObject("SELECT count(DISTINCT m.conversation_id) FROM conversation_messages m" + recent, Long.class,
                recent.argArray());
        AnalyticsFilter.Where texts = messages(f).and("m.created_at >= ?", today).and("m.channel = 'sms'");
        Map<String, Long> byDirection = new TreeMap<>();
        jdbc.query("SELECT m.direction, count(*) FROM conversation_messages m" + texts + " GROUP BY m.direction", rs -> {
            byDirection.put(rs.getString(1), rs.getLong(2));
        }, texts.argArray());
        AnalyticsFilter.Where hot = new AnalyticsFilter.Where().and("t.lead_score > 70").andIf(f.campaign(),
                "t.phone IN (SELECT o.phone FROM outbox_sends o WHERE o.campaign = ?)");
        long hotLeads = jdbc.queryForObject("SELECT count(*) FROM contact_card t" + hot, Long.class, hot.argArray());
        AnalyticsFilter.Where bookings = messages(f).and("m.direction = 'IN'").and("m.intent = 'booking'").range(f, "m.created_at");
        long bookingRequests = jdbc.queryForObject("SELECT count(*) FROM conversation_messages m" + bookings, Long.class,
                bookings.argArray());
        AnalyticsFilter.Where made = new AnalyticsFilter.Where().and("a.status = 'confirmed'").range(f, "a.created_at").andIf(f.campaign(),
                "a.phone IN (SELECT o.phone FROM outbox_sends o WHERE o.campaign = ?)");
        long appointments = jdbc.queryForObject("SELECT count(*) FROM conversation_appointments a" + made, Long.class, made.argArray());

        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("metric", "activeLast24h", "service", null, "value", active));
        rows.add(row("metric", "textsInToday", "service", null, "value", byDirection.getOrDefault("IN", 0L)));
        rows.add(row("metric", "textsOutToday", "service", null, "value", byDirection.getOrDefault("OUT", 0L)));
        rows.add(row("metric", "leadsScoringOver70", "service", null, "value", hotLeads));
        rows.add(row("metric", "bookingRequests", "service", null, "value", bookingRequests));
        rows.add(row("metric", "appointmentsMade", "service", null, "value", appointments));
        Map<String, Object> interest = interest(f);
        interest.forEach((service, n) -> rows.add(row("metric", "interest", "service", service, "value", n)));

        Map<String, Object> summary = new LinkedHashMap<>();
        for (Map<String, Object> r : rows.subList(0, 6)) {
            summary.put((String) r.get("metric"), r.get("value"));
        }
        summary.put("interestByService", interest);
        return new Report("conversations", f.describe(), summary, rows);
    }

    /** Inbound texts in the range that name a service by one of its distinctive words (one scan for every service). */
    private Map<String, Object> interest(AnalyticsFilter f) {
        List<String> services = new ArrayList<>();
        List<List<String>> words = new ArrayList<>();
        for (BusinessProfile.Service s : business.services()) {
            List<String> w = keywords(s.name());
            if (!w.isEmpty()) {
                services.add(s.name());
                words.add(w);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (services.isEmpty()) {
            return result;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("SUM(CASE WHEN ");
            for (int j = 0; j < words.get(i).size(); j++) {
                sql.append(j == 0 ? "" : " OR ").append("LOWER(m.body) LIKE ?");
                args.add("%" + words.get(i).get(j) + "%");
            }
            sql.append(" THEN 1 ELSE 0 END)");
        }
        AnalyticsFilter.Where inbound = messages(f).and("m.direction = 'IN'").range(f, "m.created_at");
        args.addAll(inbound.args);
        jdbc.query(sql + " FROM conversation_messages m" + inbound, rs -> {
            for (int i = 0; i < services.size(); i++) {
                result.put(services.get(i), rs.getLong(i + 1));
            }
        }, args.toArray());
        return result;
    }

    /** The words of a service's name that tell it apart ("Termite inspection": termite). */
    static List<String> keywords(String serviceName) {
        List<String> out = new ArrayList<>();
        for (String w : serviceName.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            if (w.length() > 2 && !GENERIC.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /** Warm leads today, in the last 7 days (today included) and in the range, with a row per day of the week. */
    public Report warmLeads(AnalyticsFilter f) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), business.zone());
        Instant weekStart = today.minusDays(6).atStartOfDay(business.zone()).toInstant();
        AnalyticsFilter.Where week = new AnalyticsFilter.Where().and("t.warm_lead_at >= ?", weekStart).andIf(f.campaign(),
                "t.warm_lead_campaign = ?");
        Map<LocalDate, Long> byDay = new TreeMap<>();
        for (int d = 6; d >= 0; d--) {
            byDay.put(today.minusDays(d), 0L);
        }
        jdbc.query("SELECT t.warm_lead_at FROM contact_card t" + week, rs -> {
            byDay.merge(SqlValues.instant(rs, 1).atZone(business.zone()).toLocalDate(), 1L, Long::sum);
        }, week.argArray());
        Long inRange = null;
        if (f.from() != null || f.to() != null) {
            AnalyticsFilter.Where range = new AnalyticsFilter.Where().and("t.warm_lead_at IS NOT NULL").range(f, "t.warm_lead_at")
                    .andIf(f.campaign(), "t.warm_lead_campaign = ?");
            inRange = jdbc.queryForObject("SELECT count(*) FROM contact_card t" + range, Long.class, range.argArray());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        byDay.forEach((day, n) -> rows.add(row("day", day.toString(), "warmLeads", n)));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("today", byDay.getOrDefault(today, 0L));
        summary.put("last7Days", byDay.values().stream().mapToLong(Long::longValue).sum());
        summary.put("inRange", inRange);
        return new Report("warm-leads", f.describe(), summary, rows);
    }
}
