package com.retentionhub.sequence;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/** Per-step figures of a sequence: executed, skipped by reason, failed, and the conversions matched to a step's messages. */
@Component
public class StepFigures {

    /** How often one reason kept a step from running. */
    public record Reason(String reason, long count) {}

    /** One step's figures; {@code delay} as people say it. */
    public record Figures(long stepId, int position, String channel, long delayMinutes, String delay, String script, long executed,
            long skipped,
            List<Reason> skippedBy, long failed, long conversions, BigDecimal payout) {}

    private final JdbcTemplate jdbc;

    public StepFigures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Figures> of(Sequences.Sequence sequence) {
        Map<Long, long[]> counts = new LinkedHashMap<>();
        Map<Long, List<Reason>> reasons = new LinkedHashMap<>();
        Map<Long, BigDecimal> payouts = new LinkedHashMap<>();
        jdbc.query("SELECT x.step_id, x.status, x.detail, count(*) FROM step_execution x JOIN sequence_step st ON st.id = x.step_id"
                + " WHERE st.sequence_id = ? GROUP BY x.step_id, x.status, x.detail ORDER BY count(*) DESC", (RowCallbackHandler) rs -> {
                    long[] c = counts.computeIfAbsent(rs.getLong(1), k -> new long[4]);
                    long n = rs.getLong(4);
                    switch (rs.getString(2)) {
                        case "EXECUTED" -> c[0] += n;
                        case "SKIPPED" -> {
                            c[1] += n;
                            reasons.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                                    .add(new Reason(rs.getString(3) == null
                                            ? "no reason recorded"
                                            : rs.getString(3), n));
                        }
                        default -> c[2] += n;
                    }
                }, sequence.id());
        jdbc.query("SELECT x.step_id, count(*), sum(v.payout) FROM conversion_outcomes v JOIN step_execution x ON x.outbox_id = v.outbox_id"
                + " JOIN sequence_step st ON st.id = x.step_id WHERE st.sequence_id = ? GROUP BY x.step_id", (RowCallbackHandler) rs -> {
                    counts.computeIfAbsent(rs.getLong(1), k -> new long[4])[3] = rs.getLong(2);
                    payouts.put(rs.getLong(1), rs.getBigDecimal(3));
                }, sequence.id());
        return sequence.steps().stream().map(s -> {
            long[] c = counts.getOrDefault(s.id(), new long[4]);
            return new Figures(s.id(), s.position(), s.channel(), s.delayMinutes(), Delays.ofMinutes(s.delayMinutes()), s.script(), c[0],
                    c[1],
                    reasons.getOrDefault(s.id(), List.of()), c[2], c[3], payouts.get(s.id()));
        }).toList();
    }
}
