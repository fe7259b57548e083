package com.retentionhub.sequence;

import com.retentionhub.platform.SqlValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * One lead's enrollments and what each of their steps did, as the lead's page and timeline show
 * them. A read model over the sequence tables (and dispatch's {@code outbox_sends} for a step's
 * message); it writes nothing.
 */
@Component
public class LeadEnrollments {

    /** One enrollment of the lead, with its sequence's name. */
    public record Enrollment(long id, long sequenceId, String sequence, String campaign, EnrollmentStatus status, int nextPosition,
            Instant nextRunAt, String exitReason, String retryReason, Instant enrolledAt, Instant completedAt, Instant updatedAt) {}

    /** What a step's run did. */
    public enum Run {
        /** Its message was handed to the outbox (or the step needed none). */
        EXECUTED,
        /** A condition kept it from running; the detail says which. */
        SKIPPED,
        /** It could not run; the detail says why. */
        FAILED
    }

    /**
     * One step of an enrollment's sequence. {@code run} is null for a step not run yet; then the
     * step's own script applies. {@code send*} describe the message the run queued, when there is one
     * (its outbox status, held reason, last error and text).
     */
    public record Step(int position, String channel, long delayMinutes, String script, Run run, String detail, Instant executedAt,
            String sendStatus, String heldReason, String lastError, String body) {}

    /** An enrollment and every step of its sequence, in order. */
    public record History(Enrollment enrollment, List<Step> steps) {}

    private static final String ENROLLMENT = "SELECT e.id, e.sequence_id, s.name, e.campaign, e.status, e.next_position, e.next_run_at,"
            + " e.exit_reason, e.retry_reason, e.enrolled_at, e.completed_at, e.updated_at FROM enrollment e JOIN sequence s ON s.id = e.sequence_id";

    private final JdbcTemplate jdbc;

    public LeadEnrollments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The lead's enrollments, oldest first. */
    public List<Enrollment> of(long leadId) {
        return jdbc.query(ENROLLMENT + " WHERE e.lead_id = ? ORDER BY e.id", LeadEnrollments::enrollment, leadId);
    }

    /** The lead's enrollments, oldest first, each with its steps: two queries however many enrollments there are. */
    public List<History> history(long leadId) {
        Map<Long, List<Step>> steps = new LinkedHashMap<>();
        List<Enrollment> enrollments = of(leadId);
        if (enrollments.isEmpty()) {
            return List.of();
        }
        jdbc.query(
                "SELECT e.id, st.position, st.channel, st.delay_minutes, st.script, x.status AS run, x.detail, x.executed_at, x.script AS used,"
                        + " o.status AS sent, o.held_reason, o.last_error, o.body FROM enrollment e JOIN sequence_step st ON st.sequence_id = e.sequence_id"
                        + " LEFT JOIN step_execution x ON x.step_id = st.id AND x.enrollment_id = e.id LEFT JOIN outbox_sends o ON o.id = x.outbox_id"
                        + " WHERE e.lead_id = ? ORDER BY e.id, st.position",
                (RowCallbackHandler) rs -> {
                    String run = rs.getString("run");
                    String used = rs.getString("used");
                    steps.computeIfAbsent(rs.getLong("id"), k -> new ArrayList<>())
                            .add(new Step(rs.getInt("position"), rs.getString("channel"),
                                    rs.getLong("delay_minutes"), used != null ? used : rs.getString("script"),
                                    run == null ? null : Run.valueOf(run),
                                    rs.getString("detail"), SqlValues.instant(rs.getObject("executed_at")), rs.getString("sent"),
                                    rs.getString("held_reason"),
                                    rs.getString("last_error"), rs.getString("body")));
                }, leadId);
        return enrollments.stream().map(e -> new History(e, List.copyOf(steps.getOrDefault(e.id(), List.of())))).toList();
    }

    private static Enrollment enrollment(ResultSet rs, int row) throws SQLException {
        return new Enrollment(rs.getLong("id"), rs.getLong("sequence_id"), rs.getString("name"), rs.getString("campaign"),
                EnrollmentStatus.valueOf(rs.getString("status")), rs.getInt("next_position"),
                SqlValues.instant(rs.getObject("next_run_at")),
                rs.getString("exit_reason"), rs.getString("retry_reason"), SqlValues.instant(rs.getObject("enrolled_at")),
                SqlValues.instant(rs.getObject("completed_at")), SqlValues.instant(rs.getObject("updated_at")));
    }
}
