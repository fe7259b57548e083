package com.retentionhub.sequence;

import com.retentionhub.lead.LeadEvents;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Staff hold one lead's enrollment and let it go again. A staff pause is marked in {@code exit_reason}
 * ("paused by ..."), so resuming a paused campaign (which resumes only "campaign paused") leaves it held.
 */
@Component
public class EnrollmentHolds {

    private static final String STAFF_PAUSE = "paused by ";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public EnrollmentHolds(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** False when the enrollment is not running (unknown, paused already, or ended). */
    public boolean pause(long enrollmentId, String by) {
        return jdbc.update("UPDATE enrollment SET status = 'PAUSED', exit_reason = ?, updated_at = ? WHERE id = ? AND status = 'ACTIVE'",
                STAFF_PAUSE + who(by), Timestamp.from(clock.instant()), enrollmentId) == 1;
    }

    /** Resumes a staff pause where it stopped: a step that came due meanwhile runs at the next pass. False when it is not paused by staff. */
    public boolean resume(long enrollmentId) {
        return jdbc.update("UPDATE enrollment SET status = 'ACTIVE', exit_reason = NULL, updated_at = ? WHERE id = ? AND status = 'PAUSED'"
                + " AND exit_reason LIKE ?", Timestamp.from(clock.instant()), enrollmentId, STAFF_PAUSE + "%") == 1;
    }

    /** Ends a running or paused enrollment at once; nothing more of it is sent. False when it is not running. */
    public boolean end(long enrollmentId, String by) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.update("UPDATE enrollment SET status = 'EXITED', exit_reason = ?, completed_at = ?, updated_at = ? WHERE id = ?"
                + " AND status IN ('ACTIVE', 'PAUSED')", "ended by " + who(by), now, now, enrollmentId) == 1;
    }

    /** Whether there is such an enrollment, whatever its status: tells a refused hold from an unknown enrollment. */
    public boolean exists(long enrollmentId) {
        return jdbc.queryForObject("SELECT count(*) FROM enrollment WHERE id = ?", Integer.class, enrollmentId) > 0;
    }

    /** Ends every running enrollment of a lead marked do-not-contact, in the transaction that marked it. */
    @EventListener
    public void endAllOf(LeadEvents.MarkedDoNotContact marked) {
        long leadId = marked.leadId();
        String reason = marked.reason();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("UPDATE enrollment SET status = 'EXITED', exit_reason = ?, completed_at = ?, updated_at = ? WHERE lead_id = ?"
                + " AND status IN ('ACTIVE', 'PAUSED')", reason, now, now, leadId);
    }

    private static String who(String by) {
        return by == null || by.isBlank() ? "staff" : by;
    }
}
