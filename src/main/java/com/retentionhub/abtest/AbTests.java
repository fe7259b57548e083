package com.retentionhub.abtest;

import com.retentionhub.platform.SqlValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A/B tests: variants of a campaign's messages on one channel (optionally one sequence step). A
 * lead's variant is a hash of the test and the lead, so it never changes; a sale records the
 * outcome of the lead's variant. The verdict uses the mSPRT by default, which stays valid however
 * often it is looked at, and ends the test when the ratio reaches 1/alpha; the seed systems' z-test
 * (at least 50 per arm, 95%) can be chosen instead. A sample-ratio mismatch raises an alarm.
 */
@Component
public class AbTests {

    public static final double ALPHA = 0.05;
    /** Mixing variance of the mSPRT over the difference in rates: effects of a few points are what a campaign hopes for. */
    public static final double TAU2 = 0.0004;
    /** Below this p-value the assignment counts are too uneven to be chance: assignment or logging is broken. */
    public static final double SRM_ALARM = 0.001;

    public record Variant(long id, String name, String script, long assigned, long converted) {}

    public record Verdict(long id, String name, String campaign, String channel, Long stepId, String rule, String status, String winner,
            List<Variant> variants, Double z, Double zPValue, double sequentialRatio, double sequentialPValue, double sampleRatioPValue,
            boolean sampleRatioAlarm) {}

    public record Definition(String name, String campaign, String channel, Long stepId, String rule, List<String[]> variants) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AbTests(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public long create(Definition d) {
        if (d.variants() == null || d.variants().size() < 2) {
            throw new IllegalArgumentException("an A/B test needs at least two variants");
        }
        String rule = d.rule() == null ? "MSPRT" : d.rule().toUpperCase(Locale.ROOT);
        if (!List.of("MSPRT", "ZTEST").contains(rule)) {
            throw new IllegalArgumentException("rule must be MSPRT or ZTEST");
        }
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("INSERT INTO ab_test (name, campaign, channel, step_id, rule, status, created_at) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?)",
                d.name(),
                d.campaign(), d.channel().toUpperCase(Locale.ROOT), d.stepId(), rule, now);
        long id = jdbc.queryForObject("SELECT id FROM ab_test WHERE name = ?", Long.class, d.name());
        for (int i = 0; i < d.variants().size(); i++) {
            jdbc.update("INSERT INTO ab_variant (test_id, position, name, script) VALUES (?, ?, ?, ?)", id, i + 1, d.variants().get(i)[0],
                    d.variants().get(i)[1]);
        }
        return id;
    }

    /**
     * The script a running test gives this lead for a message of {@code campaign} on {@code channel}
     * (at {@code stepId}), recording the assignment the first time; empty when no test applies.
     */
    public Optional<String> scriptFor(long leadId, String campaign, String channel, Long stepId) {
        List<Map<String, Object>> tests = jdbc.queryForList("SELECT id FROM ab_test WHERE status = 'RUNNING' AND channel = ?"
                + " AND (campaign IS NULL OR campaign = ?) AND (step_id IS NULL OR step_id = ?) ORDER BY step_id NULLS LAST, id LIMIT 1",
                channel, campaign, stepId);
        if (tests.isEmpty()) {
            return Optional.empty();
        }
        long testId = SqlValues.toLong(tests.get(0).get("id"));
        List<Map<String, Object>> variants = jdbc.queryForList("SELECT id, script FROM ab_variant WHERE test_id = ? ORDER BY position",
                testId);
        Map<String, Object> variant = variants.get(bucket(testId, leadId, variants.size()));
        jdbc.update("INSERT INTO ab_assignment (test_id, lead_id, variant_id, assigned_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                testId, leadId,
                variant.get("id"), Timestamp.from(clock.instant()));
        return Optional.of((String) variant.get("script"));
    }

    /** A stable bucket in [0, k) from the test and the lead: the same lead always gets the same variant. */
    static int bucket(long testId, long leadId, int k) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((testId + ":" + leadId).getBytes(StandardCharsets.UTF_8));
            long v = ((long) (h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
            return (int) (v % k);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sale by this lead: the outcome of its variant in every test it is in, then the verdicts, which may end a test. */
    @Transactional
    public void converted(long leadId) {
        jdbc.update("UPDATE ab_assignment SET converted_at = ? WHERE lead_id = ? AND converted_at IS NULL", Timestamp.from(clock.instant()),
                leadId);
        jdbc.queryForList(
                "SELECT test_id FROM ab_assignment a JOIN ab_test t ON t.id = a.test_id WHERE a.lead_id = ? AND t.status = 'RUNNING'",
                Long.class, leadId).forEach(this::evaluate);
    }

    /** The test's figures and verdict; a decisive result ends it with the winner. */
    @Transactional
    public Optional<Verdict> evaluate(long testId) {
        List<Map<String, Object>> rows = jdbc
                .queryForList("SELECT id, name, campaign, channel, step_id, rule, status, winner, max_ratio FROM ab_test"
                        + " WHERE id = ? FOR UPDATE", testId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> t = rows.get(0);
        List<Variant> variants = jdbc.query("SELECT v.id, v.name, v.script, count(a.lead_id), count(a.converted_at) FROM ab_variant v"
                + " LEFT JOIN ab_assignment a ON a.variant_id = v.id WHERE v.test_id = ? GROUP BY v.id, v.name, v.script, v.position ORDER BY v.position",
                (rs, i) -> new Variant(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)), testId);
        long[] assigned = variants.stream().mapToLong(Variant::assigned).toArray();
        double srm = Statistics.sampleRatioPValue(assigned);
        Variant a = variants.get(0);
        // Two variants are compared directly; with more, the best against the first (the control).
        Variant b = variants.stream().skip(1).max((x, y) -> Double.compare(rate(x), rate(y))).orElse(variants.get(1));
        Double z = null;
        Double zp = null;
        double ratio = 1;
        if (a.assigned() > 0 && b.assigned() > 0) {
            Statistics.ZTest test = Statistics.zTest(a.converted(), a.assigned(), b.converted(), b.assigned());
            z = test.z();
            zp = test.pValue();
            ratio = Statistics.mixtureLikelihoodRatio(a.converted(), a.assigned(), b.converted(), b.assigned(), TAU2);
        }
        double maxRatio = Math.max(SqlValues.toDouble(t.get("max_ratio")), ratio);
        String status = (String) t.get("status");
        String winner = (String) t.get("winner");
        if ("RUNNING".equals(status)) {
            boolean decided = "ZTEST".equals(t.get("rule"))
                    ? zp != null && a.assigned() >= 50 && b.assigned() >= 50 && zp < ALPHA
                    : maxRatio >= 1 / ALPHA;
            if (decided && srm >= SRM_ALARM) {
                status = "ENDED";
                winner = rate(b) > rate(a) ? b.name() : a.name();
                jdbc.update("UPDATE ab_test SET status = 'ENDED', winner = ?, ended_at = ? WHERE id = ?", winner,
                        Timestamp.from(clock.instant()), testId);
            }
        }
        jdbc.update("UPDATE ab_test SET max_ratio = ? WHERE id = ?", maxRatio, testId);
        return Optional.of(new Verdict(testId, (String) t.get("name"), (String) t.get("campaign"), (String) t.get("channel"),
                t.get("step_id") == null ? null : SqlValues.toLong(t.get("step_id")), (String) t.get("rule"), status, winner, variants, z,
                zp, maxRatio,
                Math.min(1, 1 / maxRatio), srm, srm < SRM_ALARM));
    }

    public List<Verdict> all() {
        List<Verdict> out = new ArrayList<>();
        jdbc.queryForList("SELECT id FROM ab_test ORDER BY id", Long.class).forEach(id -> evaluate(id).ifPresent(out::add));
        return out;
    }

    private static double rate(Variant v) {
        return v.assigned() == 0 ? 0 : (double) v.converted() / v.assigned();
    }
}
