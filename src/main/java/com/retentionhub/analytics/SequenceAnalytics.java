package com.retentionhub.analytics;

import static com.retentionhub.analytics.Report.rate;
import static com.retentionhub.analytics.Report.round;
import static com.retentionhub.analytics.Report.row;

import com.retentionhub.platform.SqlDialect;
import com.retentionhub.platform.SqlValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where sequences win and lose leads. Every view here works on one cohort: the leads that arrived in
 * the filter's range, through their enrollments (of the filter's campaign and sequence). A lead's
 * conversion is its first sale at or after its first enrollment in the cohort; it belongs to the
 * executed step whose window holds it (from that step's execution to the next step's), so the step
 * figures, the funnel and the time to conversion count the same conversions. Leads are counted once
 * per figure, however often they were enrolled. It reads the views the sequence, lead, conversion,
 * conversation and dispatch modules publish, never their tables.
 */
@Component
public class SequenceAnalytics {

    /** What counts as a response to a step, by step channel: an SMS delivered or answered, an email opened, a call answered. */
    private static final String RESPONDED = "(CASE x.channel WHEN 'EMAIL' THEN CASE WHEN m.status IN ('read', 'replied') THEN 1 END"
            + " ELSE CASE WHEN m.status IN ('delivered', 'read', 'replied') THEN 1 END END) = 1";

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final Clock clock;

    public SequenceAnalytics(JdbcTemplate jdbc, SqlDialect dialect, Clock clock) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.clock = clock;
    }

    private static AnalyticsFilter.Where cohort(AnalyticsFilter f) {
        return cohort(f, "e");
    }

    /** The cohort as conditions on {@code alias}, an enrollment or a step run (which carries its enrollment's campaign and sequence). */
    private static AnalyticsFilter.Where cohort(AnalyticsFilter f, String alias) {
        return new AnalyticsFilter.Where().range(f, "l.created_at").andIf(f.campaign(), alias + ".campaign = ?")
                .andIf(f.sequence(), alias + ".sequence_id = ?");
    }

    /**
     * The cohort's first enrollment per lead ({@code k}), its first sale after it ({@code sale}) and
     * its step executions with the time of the next one in the same enrollment ({@code x}).
     */
    private String with(AnalyticsFilter f, AnalyticsFilter.Where cohort) {
        return with(f, cohort, true);
    }

    /** {@code withNext}: whether x needs the next execution's time (a window over every execution, so only when used). */
    private String with(AnalyticsFilter f, AnalyticsFilter.Where cohort, boolean withNext) {
        String from = " FROM sequence_enrollments e" + leads(f, "e") + cohort;
        String once = dialect.materialized();
        return "WITH k AS " + once + "(SELECT e.lead_id, MIN(e.enrolled_at) AS at" + from + " GROUP BY e.lead_id),"
                + " sale AS " + once
                + "(SELECT c.lead_id, MIN(c.received_at) AS at FROM conversion_outcomes c JOIN k ON k.lead_id = c.lead_id"
                + " WHERE c.status = 'sale' AND c.received_at >= k.at GROUP BY c.lead_id),"
                + " x AS (SELECT r.step_id, r.sequence_id, r.position, r.channel, r.status, r.executed_at, r.outbox_id, r.lead_id,"
                + " r.enrollment_status AS e_status"
                + (withNext ? ", LEAD(r.executed_at) OVER (PARTITION BY r.enrollment_id ORDER BY r.position) AS next_at" : "")
                + " FROM sequence_step_runs r" + leads(f, "r") + cohort(f, "r") + ")";
    }

    /**
     * The join of {@code alias}'s lead to its arrival, only when the cohort is bounded by the leads'
     * arrival (a join of every execution otherwise).
     */
    private static String leads(AnalyticsFilter f, String alias) {
        return f.from() != null || f.to() != null ? " JOIN lead_arrivals l ON l.id = " + alias + ".lead_id" : "";
    }

    /**
     * The filter's channel as a condition on the executions, its argument added to {@code args}. It
     * applies after the window, so a step's next step is found whatever its channel.
     */
    private static String onChannel(AnalyticsFilter f, List<Object> args) {
        if (f.channel() == null) {
            return "";
        }
        args.add(f.stepChannel());
        return " WHERE x.channel = ?";
    }

    /** Arguments of {@link #with}: the cohort's twice (k and x). */
    private static List<Object> withArgs(AnalyticsFilter.Where cohort) {
        List<Object> args = new ArrayList<>(cohort.args);
        args.addAll(cohort.args);
        return args;
    }

    private static final String CONVERTED_HERE = "x.status = 'EXECUTED' AND sale.at >= x.executed_at AND (x.next_at IS NULL OR sale.at < x.next_at)";

    /** Per step: entered, executed, responded, converted before the next step, dropped; their rates and the lift over the previous step. */
    public Report steps(AnalyticsFilter f) {
        AnalyticsFilter.Where cohort = cohort(f);
        List<Object> args = withArgs(cohort);
        String channel = onChannel(f, args);
        Map<Long, long[]> counts = new HashMap<>();
        // Each lead once per step: flags per (step, lead) by hashing, then sums (cheaper than five DISTINCT counts).
        jdbc.query(with(f, cohort)
                + " SELECT step_id, count(*), SUM(executed), SUM(responded), SUM(converted), SUM(dropped) FROM (SELECT x.step_id, x.lead_id,"
                + " MAX(CASE WHEN x.status = 'EXECUTED' THEN 1 ELSE 0 END) AS executed,"
                + " MAX(CASE WHEN x.status = 'EXECUTED' AND " + RESPONDED + " THEN 1 ELSE 0 END) AS responded,"
                + " MAX(CASE WHEN " + CONVERTED_HERE + " THEN 1 ELSE 0 END) AS converted,"
                + " MAX(CASE WHEN x.e_status = 'EXITED' AND x.next_at IS NULL THEN 1 ELSE 0 END) AS dropped"
                + " FROM x LEFT JOIN sale ON sale.lead_id = x.lead_id LEFT JOIN conversation_messages m ON m.outbox_id = x.outbox_id"
                + channel
                + " GROUP BY x.step_id, x.lead_id) p GROUP BY step_id", rs -> {
                    counts.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
                }, args.toArray());

        List<Map<String, Object>> rows = new ArrayList<>();
        Long previousSequence = null;
        Double previousRate = null;
        for (Map<String, Object> s : stepsOf(f)) {
            long id = SqlValues.toLong(s.get("id"));
            long sequence = SqlValues.toLong(s.get("sequence_id"));
            long[] c = counts.getOrDefault(id, new long[5]);
            Double conversionRate = rate(c[3], c[1]);
            if (previousSequence == null || previousSequence != sequence) {
                previousRate = null;
            }
            rows.add(row("sequenceId", sequence, "sequence", s.get("name"), "stepId", id, "position", s.get("position"), "channel",
                    s.get("channel"),
                    "script", s.get("script"), "entered", c[0], "executed", c[1], "responded", c[2], "converted", c[3], "dropped", c[4],
                    "executionRate", rate(c[1], c[0]), "responseRate", rate(c[2], c[1]), "stepConversionRate", conversionRate,
                    "marginalLift", previousRate == null || conversionRate == null ? null : round(conversionRate - previousRate)));
            previousSequence = sequence;
            previousRate = conversionRate;
        }
        return new Report("steps", f.describe(), Map.of("steps", rows.size()), rows);
    }

    /** The filter's steps, in sequence and position order. */
    private List<Map<String, Object>> stepsOf(AnalyticsFilter f) {
        AnalyticsFilter.Where steps = new AnalyticsFilter.Where().andIf(f.sequence(), "s.sequence_id = ?").andIf(f.stepChannel(),
                "s.channel = ?");
        return jdbc.queryForList("SELECT s.id, s.sequence_id, q.name, s.position, s.channel, s.script FROM sequence_steps s"
                + " JOIN sequence_names q ON q.id = s.sequence_id" + steps + " ORDER BY s.sequence_id, s.position", steps.argArray());
    }

    /**
     * Per step, only who reached it and who left the sequence there, as in {@link #steps}: for the
     * weakest-step insight, without the deliveries and sales the full view joins.
     */
    public List<Map<String, Object>> dropOff(AnalyticsFilter f) {
        AnalyticsFilter.Where cohort = cohort(f);
        List<Object> args = withArgs(cohort);
        String channel = onChannel(f, args);
        Map<Long, long[]> counts = new HashMap<>();
        jdbc.query(with(f, cohort) + " SELECT step_id, count(*), SUM(dropped) FROM (SELECT x.step_id, x.lead_id,"
                + " MAX(CASE WHEN x.e_status = 'EXITED' AND x.next_at IS NULL THEN 1 ELSE 0 END) AS dropped FROM x" + channel
                + " GROUP BY x.step_id, x.lead_id) p GROUP BY step_id", rs -> {
                    counts.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }, args.toArray());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> s : stepsOf(f)) {
            long[] c = counts.getOrDefault(SqlValues.toLong(s.get("id")), new long[2]);
            rows.add(row("sequence", s.get("name"), "position", s.get("position"), "channel", s.get("channel"), "script", s.get("script"),
                    "entered", c[0], "dropped", c[1]));
        }
        return rows;
    }

    /** Leads, enrolled, executed at each step position, responded, converted (with revenue), and the drop-off between stages. */
    public Report funnel(AnalyticsFilter f) {
        AnalyticsFilter.Where cohort = cohort(f);
        AnalyticsFilter.Where leads = new AnalyticsFilter.Where().range(f, "l.created_at").andIf(f.campaign(),
                "l.id IN (SELECT cm.lead_id FROM campaign_members cm WHERE cm.campaign = ?)");
        long leadCount = jdbc.queryForObject("SELECT count(*) FROM lead_arrivals l" + leads, Long.class, leads.argArray());
        Map<String, Object> won = jdbc
                .queryForMap(
                        with(f, cohort, false) + " SELECT (SELECT count(*) FROM k) AS enrolled, (SELECT count(*) FROM sale) AS converted,"
                                + " (SELECT COALESCE(SUM(c.payout), 0) FROM conversion_outcomes c JOIN k ON k.lead_id = c.lead_id"
                                + " WHERE c.status IN ('sale', 'rebill') AND c.received_at >= k.at) AS revenue",
                        withArgs(cohort).toArray());
        long enrolled = SqlValues.toLong(won.get("enrolled"));
        long converted = SqlValues.toLong(won.get("converted"));
        BigDecimal revenue = SendAnalytics.money(won.get("revenue"));

        // One pass over the executions, each lead once: a flag per step position and one for a response.
        AnalyticsFilter.Where steps = new AnalyticsFilter.Where().andIf(f.sequence(), "s.sequence_id = ?").andIf(f.stepChannel(),
                "s.channel = ?");
        List<Integer> positions = jdbc.queryForList("SELECT DISTINCT s.position FROM sequence_steps s" + steps + " ORDER BY s.position",
                Integer.class,
                steps.argArray());
        List<Object> args = withArgs(cohort);
        String channel = onChannel(f, args);
        StringBuilder flags = new StringBuilder();
        StringBuilder sums = new StringBuilder("SELECT SUM(responded)");
        for (int p : positions) {
            flags.append(", MAX(CASE WHEN x.position = ").append(p).append(" AND x.status = 'EXECUTED' THEN 1 ELSE 0 END) AS p").append(p);
            sums.append(", SUM(p").append(p).append(")");
        }
        Map<Integer, Long> byPosition = new TreeMap<>();
        long responded = jdbc.query(
                with(f, cohort, false) + " " + sums + " FROM (SELECT x.lead_id, MAX(CASE WHEN x.status = 'EXECUTED' AND " + RESPONDED
                        + " THEN 1 ELSE 0 END) AS responded" + flags
                        + " FROM x LEFT JOIN conversation_messages m ON m.outbox_id = x.outbox_id" + channel
                        + " GROUP BY x.lead_id) p",
                rs -> {
                    rs.next();
                    for (int i = 0; i < positions.size(); i++) {
                        byPosition.put(positions.get(i), rs.getLong(2 + i));
                    }
                    return rs.getLong(1);
                }, args.toArray());

        List<Map<String, Object>> rows = new ArrayList<>();
        List<Object[]> stages = new ArrayList<>();
        stages.add(new Object[] {"leads", leadCount});
        stages.add(new Object[] {"enrolled", enrolled});
        byPosition.forEach((position, n) -> stages.add(new Object[] {"step " + position + " executed", n}));
        stages.add(new Object[] {"responded", responded});
        stages.add(new Object[] {"converted", converted});
        Long previous = null;
        for (Object[] stage : stages) {
            long n = (Long) stage[1];
            rows.add(row("stage", stage[0], "leads", n, "dropOff", previous == null ? null : previous - n,
                    "dropOffRate", previous == null ? null : rate(previous - n, previous), "shareOfLeads", rate(n, leadCount),
                    "revenue", stage[0].equals("converted") ? revenue : null));
            previous = n;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("leads", leadCount);
        summary.put("enrolled", enrolled);
        summary.put("converted", converted);
        summary.put("revenue", revenue);
        summary.put("conversionRate", rate(converted, enrolled));
        return new Report("funnel", f.describe(), summary, rows);
    }

    /** Hours from first enrollment to first sale: overall (median, mean, 90th percentile) and by the step whose window held the sale. */
    public Report timeToConversion(AnalyticsFilter f) {
        AnalyticsFilter.Where cohort = cohort(f);
        List<Double> all = new ArrayList<>();
        Map<Integer, List<Double>> byStep = new TreeMap<>(); // by position; 0: no executed step held the sale
        // A join, not a subquery per sale: the executions' window would be computed again for every sale.
        jdbc.query(with(f, cohort) + " SELECT k.at, sale.at, MIN(CASE WHEN " + CONVERTED_HERE + " THEN x.position END)"
                + " FROM sale JOIN k ON k.lead_id = sale.lead_id LEFT JOIN x ON x.lead_id = sale.lead_id GROUP BY sale.lead_id, k.at, sale.at",
                rs -> {
                    double hours = Duration.between(SqlValues.instant(rs, 1), SqlValues.instant(rs, 2)).toSeconds() / 3600d;
                    all.add(hours);
                    int position = rs.getInt(3);
                    byStep.computeIfAbsent(rs.wasNull() ? 0 : position, s -> new ArrayList<>()).add(hours);
                }, withArgs(cohort).toArray());
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(durationRow("all", all));
        byStep.forEach((position, hours) -> rows.add(durationRow(position == 0 ? "no executed step" : "step " + position, hours)));
        return new Report("time-to-conversion", f.describe(), new LinkedHashMap<>(rows.get(0)), rows);
    }

    private static Map<String, Object> durationRow(String step, List<Double> hours) {
        List<Double> sorted = hours.stream().sorted().toList();
        return row("convertingStep", step, "conversions", sorted.size(), "medianHours", quantile(sorted, 0.5),
                "meanHours", sorted.isEmpty() ? null : round(sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0)),
                "p90Hours", quantile(sorted, 0.9));
    }

    /** Linear interpolation between order statistics (the common "type 7" definition). */
    static Double quantile(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return null;
        }
        double pos = q * (sorted.size() - 1);
        int lower = (int) Math.floor(pos);
        int upper = Math.min(lower + 1, sorted.size() - 1);
        return round(sorted.get(lower) + (pos - lower) * (sorted.get(upper) - sorted.get(lower)));
    }

    /** Per sequence: leads enrolled, converted, conversion rate, revenue per enrolled lead, completion rate; best first. */
    public Report leaderboard(AnalyticsFilter f) {
        AnalyticsFilter.Where cohort = cohort(f).andIf(f.stepChannel(),
                "e.sequence_id IN (SELECT s.sequence_id FROM sequence_steps s WHERE s.channel = ?)");
        String ks = "WITH ks AS " + dialect.materialized() + "(SELECT e.sequence_id, e.lead_id, MIN(e.enrolled_at) AS at,"
                + " MAX(CASE WHEN e.status = 'COMPLETED' THEN 1 ELSE 0 END) AS completed"
                + " FROM sequence_enrollments e" + leads(f, "e") + cohort + " GROUP BY e.sequence_id, e.lead_id)";
        Map<Long, Object[]> won = new HashMap<>();
        jdbc.query(ks + " SELECT ks.sequence_id, count(DISTINCT CASE WHEN c.status = 'sale' THEN c.lead_id END), COALESCE(SUM(c.payout), 0)"
                + " FROM ks JOIN conversion_outcomes c ON c.lead_id = ks.lead_id AND c.received_at >= ks.at AND c.status IN ('sale', 'rebill')"
                + " GROUP BY ks.sequence_id", rs -> {
                    won.put(rs.getLong(1), new Object[] {rs.getLong(2), SendAnalytics.money(rs.getBigDecimal(3))});
                }, cohort.argArray());
        List<Map<String, Object>> rows = new ArrayList<>();
        jdbc.query(ks + " SELECT ks.sequence_id, q.name, count(*), SUM(ks.completed) FROM ks JOIN sequence_names q ON q.id = ks.sequence_id"
                + " GROUP BY ks.sequence_id, q.name", rs -> {
                    long enrolled = rs.getLong(3);
                    Object[] w = won.getOrDefault(rs.getLong(1), new Object[] {0L, BigDecimal.ZERO.setScale(2)});
                    long converted = (Long) w[0];
                    BigDecimal revenue = (BigDecimal) w[1];
                    rows.add(row("sequenceId", rs.getLong(1), "sequence", rs.getString(2), "enrolled", enrolled, "converted", converted,
                            "conversionRate", rate(converted, enrolled), "revenue", revenue,
                            "revenuePerEnrolled",
                            enrolled == 0 ? null : revenue.divide(BigDecimal.valueOf(enrolled), 2, RoundingMode.HALF_UP),
                            "completed", rs.getLong(4), "completionRate", rate(rs.getLong(4), enrolled)));
                }, cohort.argArray());
        rows.sort((a, b) -> {
            int byRate = Double.compare(value(b.get("conversionRate")), value(a.get("conversionRate")));
            return byRate != 0 ? byRate : SqlValues.decimal(b.get("revenue")).compareTo(SqlValues.decimal(a.get("revenue")));
        });
        return new Report("leaderboard", f.describe(), Map.of("sequences", rows.size()), rows);
    }

    private static double value(Object rate) {
        return rate == null ? -1 : (Double) rate;
    }

    /**
     * The machinery: active enrollments, steps processed per hour, the failed share of send attempts
     * and the scheduled backlog. The range (default: the last 24 hours) applies to steps and attempts.
     */
    public Report operations(AnalyticsFilter f) {
        Instant now = clock.instant();
        Instant from = f.from() != null ? f.from() : now.minus(Duration.ofHours(24));
        Instant to = f.to() != null ? f.to() : now;
        AnalyticsFilter window = new AnalyticsFilter(f.campaign(), f.channel(), from, to, f.sequence());
        double hours = Math.max(Duration.between(from, to).toSeconds() / 3600d, 1d / 60);

        AnalyticsFilter.Where enrollments = new AnalyticsFilter.Where().andIf(f.campaign(), "e.campaign = ?")
                .andIf(f.sequence(), "e.sequence_id = ?")
                .andIf(f.stepChannel(), "e.sequence_id IN (SELECT s.sequence_id FROM sequence_steps s WHERE s.channel = ?)");
        Map<String, Object> e = jdbc.queryForMap("SELECT SUM(CASE WHEN e.status = 'ACTIVE' THEN 1 ELSE 0 END) AS active,"
                + " SUM(CASE WHEN e.status = 'ACTIVE' AND e.next_run_at <= ? THEN 1 ELSE 0 END) AS overdue,"
                + " SUM(CASE WHEN e.status = 'ACTIVE' AND e.next_run_at > ? AND e.next_run_at <= ? THEN 1 ELSE 0 END) AS due_next_24h"
                + " FROM sequence_enrollments e" + enrollments,
                concat(List.of(Timestamp.from(now), Timestamp.from(now), Timestamp.from(now.plus(Duration.ofHours(24)))),
                        enrollments.args));

        AnalyticsFilter.Where steps = new AnalyticsFilter.Where().range(window, "r.executed_at").andIf(f.campaign(), "r.campaign = ?")
                .andIf(f.sequence(), "r.sequence_id = ?").andIf(f.stepChannel(), "r.channel = ?");
        long stepsProcessed = jdbc.queryForObject("SELECT count(*) FROM sequence_step_runs r" + steps, Long.class, steps.argArray());

        AnalyticsFilter.Where attempts = new AnalyticsFilter.Where().and("o.purpose = 'message'").range(window, "o.created_at")
                .andIf(f.campaign(), "o.campaign = ?").andIf(f.channel(), "o.channel = ?");
        Map<String, Long> byStatus = new TreeMap<>();
        jdbc.query("SELECT o.status, count(*) FROM outbox_sends o" + attempts + " GROUP BY o.status", rs -> {
            byStatus.put(rs.getString(1), rs.getLong(2));
        }, attempts.argArray());
        long failed = byStatus.getOrDefault("FAILED", 0L) + byStatus.getOrDefault("UNKNOWN", 0L);
        long settled = failed + byStatus.getOrDefault("SENT", 0L) + byStatus.getOrDefault("SIMULATED", 0L);
        AnalyticsFilter.Where pending = new AnalyticsFilter.Where().and("o.status = 'PENDING'").and("o.purpose = 'message'")
                .andIf(f.campaign(), "o.campaign = ?").andIf(f.channel(), "o.channel = ?");
        long queued = jdbc.queryForObject("SELECT count(*) FROM outbox_sends o" + pending, Long.class, pending.argArray());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("activeEnrollments", number(e.get("active")));
        summary.put("stepsProcessed", stepsProcessed);
        summary.put("stepsPerHour", round(stepsProcessed / hours));
        summary.put("attempts", settled);
        summary.put("failedAttempts", failed);
        summary.put("failedAttemptRate", rate(failed, settled));
        summary.put("overdueSteps", number(e.get("overdue")));
        summary.put("stepsDueNext24h", number(e.get("due_next_24h")));
        summary.put("queuedMessages", queued);
        summary.put("outboxByStatus", byStatus);
        List<Map<String, Object>> rows = new ArrayList<>();
        summary.forEach((k, v) -> {
            if (!(v instanceof Map)) {
                rows.add(row("metric", k, "value", v));
            }
        });
        return new Report("operations", window.describe(), summary, rows);
    }

    private static long number(Object v) {
        return v == null ? 0 : SqlValues.toLong(v);
    }

    private static Object[] concat(List<Object> first, List<Object> second) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray();
    }
}
