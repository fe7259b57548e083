package com.retentionhub.analytics;

import static com.retentionhub.analytics.Report.rate;
import static com.retentionhub.analytics.Report.round;
import static com.retentionhub.analytics.Report.row;

import com.retentionhub.abtest.Statistics;
import com.retentionhub.platform.BusinessProfile;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Word performance: which words and two-word phrases of the business's sent texts (SMS and email)
 * go with sales. The terms are counted per local day into {@code word_stat} by {@link #refresh}
 * (on a timer, route {@code analytics-words}); a day is rebuilt whole when it gains sends or when a
 * send of that day gains or loses a sale, so the rollup never drifts from the messages. The view
 * then compares each term's conversion rate with the rest of the messages: lift, a two-proportion
 * z-test, and a Benjamini-Hochberg correction, since hundreds of terms are tested at once and
 * 5% of them would look "significant" by chance alone.
 */
@Component("wordStats")
public class WordStats {

    private static final Logger LOG = LoggerFactory.getLogger(WordStats.class);

    /** Sends stamped this recently may still be committing: the next refresh reads them. */
    static final Duration SETTLE = Duration.ofMinutes(2);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BusinessProfile business;
    private final Clock clock;

    public WordStats(JdbcTemplate jdbc, TransactionTemplate tx, BusinessProfile business, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.business = business;
        this.clock = clock;
    }

    /** Rebuilds every day that changed since the last refresh; returns how many. One refresh at a time (the mark row is locked). */
    public int refresh() {
        Integer days = tx.execute(s -> {
            Timestamp[] mark = jdbc.queryForObject("SELECT sends_to, conversions_to FROM analytics_mark WHERE name = 'words' FOR UPDATE",
                    (rs, i) -> new Timestamp[] {rs.getTimestamp(1), rs.getTimestamp(2)});
            Timestamp sendsFrom = mark[0];
            Timestamp conversionsFrom = mark[1];
            Timestamp upTo = Timestamp.from(clock.instant().minus(SETTLE));
            ZoneId zone = business.zone();
            Set<LocalDate> dirty = new TreeSet<>();
            jdbc.query("SELECT MIN(sent_at), MAX(sent_at) FROM outbox_sends WHERE purpose = 'message' AND sent_at > ? AND sent_at <= ?",
                    rs -> {
                        if (rs.getTimestamp(1) != null) {
                            LocalDate last = day(rs.getTimestamp(2), zone);
                            for (LocalDate d = day(rs.getTimestamp(1), zone); !d.isAfter(last); d = d.plusDays(1)) {
                                dirty.add(d);
                            }
                        }
                    }, sendsFrom, upTo);
            jdbc.query("SELECT o.sent_at FROM conversion_outcomes c JOIN outbox_sends o ON o.id = c.outbox_id"
                    + " WHERE c.updated_at > ? AND c.updated_at <= ?"
                    + " AND o.purpose = 'message' AND o.sent_at IS NOT NULL", rs -> {
                        dirty.add(day(rs.getTimestamp(1), zone));
                    }, conversionsFrom, upTo);
            dirty.forEach(d -> rebuild(d, zone));
            jdbc.update("UPDATE analytics_mark SET sends_to = ?, conversions_to = ?, refreshed_at = ? WHERE name = 'words'", upTo, upTo,
                    Timestamp.from(clock.instant()));
            return dirty.size();
        });
        if (days != null && days > 0) {
            LOG.info("Word statistics rebuilt for {} day(s)", days);
        }
        return days == null ? 0 : days;
    }

    private static LocalDate day(Timestamp t, ZoneId zone) {
        return t.toInstant().atZone(zone).toLocalDate();
    }

    private void rebuild(LocalDate day, ZoneId zone) {
        Map<List<String>, int[]> counts = new HashMap<>(); // (campaign, channel, term) -> sends, conversions
        jdbc.query("SELECT o.campaign, o.channel, o.body,"
                + " CASE WHEN EXISTS (SELECT 1 FROM conversion_outcomes c WHERE c.outbox_id = o.id AND c.status = 'sale') THEN 1 ELSE 0 END"
                + " FROM outbox_sends o WHERE o.purpose = 'message' AND o.sent_at >= ? AND o.sent_at < ? AND o.channel IN ('sms', 'email')",
                rs -> {
                    String campaign = rs.getString(1) == null ? "" : rs.getString(1);
                    String channel = rs.getString(2);
                    int converted = rs.getInt(4);
                    count(counts, campaign, channel, "", converted); // the message itself
                    for (String term : Terms.of(rs.getString(3))) {
                        count(counts, campaign, channel, term, converted);
                    }
                }, Timestamp.from(day.atStartOfDay(zone).toInstant()), Timestamp.from(day.plusDays(1).atStartOfDay(zone).toInstant()));
        jdbc.update("DELETE FROM word_stat WHERE sent_on = ?", Date.valueOf(day));
        List<Object[]> rows = new ArrayList<>(counts.size());
        counts.forEach((k, v) -> rows.add(new Object[] {Date.valueOf(day), k.get(0), k.get(1), k.get(2), v[0], v[1]}));
        jdbc.batchUpdate("INSERT INTO word_stat (sent_on, campaign, channel, term, sends, conversions) VALUES (?, ?, ?, ?, ?, ?)", rows);
    }

    private static void count(Map<List<String>, int[]> counts, String campaign, String channel, String term, int converted) {
        int[] c = counts.computeIfAbsent(List.of(campaign, channel, term), k -> new int[2]);
        c[0]++;
        c[1] += converted;
    }

    /** One tested term. */
    public record Term(String term, long sends, long conversions, Double rate, Double lift, Double pValue, Double qValue,
            boolean significant) {}

    /** The terms with at least {@code minSample} sends in the filter, best lift first. The range is by whole local days. */
    public Report words(AnalyticsFilter f, int minSample, int limit) {
        if (minSample < 1 || limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("minSample must be at least 1 and limit between 1 and 1000");
        }
        ZoneId zone = business.zone();
        AnalyticsFilter.Where where = new AnalyticsFilter.Where().andIf(f.campaign(), "campaign = ?").andIf(f.channel(), "channel = ?");
        if (f.from() != null) {
            where.and("sent_on >= ?", Date.valueOf(f.from().atZone(zone).toLocalDate()));
        }
        if (f.to() != null) {
            Instant lastIncluded = f.to().minusNanos(1);
            where.and("sent_on <= ?", Date.valueOf(lastIncluded.atZone(zone).toLocalDate()));
        }
        List<Object> args = new ArrayList<>(where.args);
        args.add(minSample);
        long[] total = new long[2];
        List<long[]> counts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        jdbc.query(
                "SELECT term, SUM(sends), SUM(conversions) FROM word_stat" + where + " GROUP BY term HAVING SUM(sends) >= ? OR term = ''",
                rs -> {
                    if (rs.getString(1).isEmpty()) {
                        total[0] = rs.getLong(2);
                        total[1] = rs.getLong(3);
                    } else if (!Terms.isStopTerm(rs.getString(1))) { // "a", "to", "hi" would lead the list and say nothing
                        names.add(rs.getString(1));
                        counts.add(new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }, args.toArray());
        List<Term> terms = test(names, counts, total[0], total[1]);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Term t : terms.subList(0, Math.min(limit, terms.size()))) {
            rows.add(row("term", t.term(), "kind", t.term().indexOf(' ') > 0 ? "bigram" : "unigram", "sends", t.sends(), "conversions",
                    t.conversions(),
                    "conversionRate", t.rate(), "lift", t.lift(), "pValue", t.pValue(), "qValue", t.qValue(), "significant",
                    t.significant()));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("messages", total[0]);
        summary.put("conversions", total[1]);
        summary.put("conversionRate", rate(total[1], total[0]));
        summary.put("minSample", minSample);
        summary.put("termsTested", terms.size());
        summary.put("asOf", jdbc.queryForObject("SELECT refreshed_at FROM analytics_mark WHERE name = 'words'", Timestamp.class));
        summary.put("use",
                terms.stream().filter(t -> t.significant() && t.lift() != null && t.lift() > 1).limit(5).map(Term::term).toList());
        summary.put("avoid", terms.stream().filter(t -> t.significant() && t.lift() != null && t.lift() < 1)
                .sorted(Comparator.comparing(Term::lift)).limit(5).map(Term::term).toList());
        return new Report("words", f.describe(), summary, rows);
    }

    /**
     * Each term against the messages without it (two-proportion z-test), then Benjamini-Hochberg
     * q-values over all the terms tested; significant at a 5% false discovery rate. Best lift first.
     */
    static List<Term> test(List<String> names, List<long[]> counts, long messages, long conversions) {
        int m = names.size();
        double[] p = new double[m];
        for (int i = 0; i < m; i++) {
            long sends = counts.get(i)[0];
            long conv = counts.get(i)[1];
            p[i] = messages - sends <= 0 || conversions == 0
                    ? 1
                    : Statistics.zTest(conversions - conv, messages - sends, conv, sends).pValue();
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] q = new double[m];
        double running = 1;
        for (int r = m - 1; r >= 0; r--) {
            running = Math.min(running, p[order[r]] * m / (r + 1));
            q[order[r]] = running;
        }
        Double overall = rate(conversions, messages);
        List<Term> terms = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            long sends = counts.get(i)[0];
            long conv = counts.get(i)[1];
            Double rate = rate(conv, sends);
            Double lift = overall == null || overall == 0 || rate == null ? null : round(rate / overall);
            terms.add(new Term(names.get(i), sends, conv, rate, lift, round(p[i]), round(q[i]), q[i] < 0.05));
        }
        terms.sort(Comparator.comparing((Term t) -> t.lift() == null ? Double.NEGATIVE_INFINITY : t.lift()).reversed()
                .thenComparing(Term::sends, Comparator.reverseOrder()).thenComparing(Term::term));
        return terms;
    }
}
