package com.retentionhub.sequence;

import com.retentionhub.analytics.BestHours;
import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.LeadEvents;
import com.retentionhub.lead.LeadStatus;
import com.retentionhub.lead.Leads;
import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Leads walking through sequences. Status ACTIVE, PAUSED, COMPLETED, CONVERTED, EXITED. A lead is
 * not enrolled again in the same sequence within the cooldown; different sequences may overlap.
 */
@Component
public class Enrollments {

    /** No re-enrollment in the same sequence within this long. */
    public static final Duration COOLDOWN = Duration.ofDays(30);

    public record Enrollment(long id, long sequenceId, long leadId, String campaign, String status, int nextPosition, Instant nextRunAt,
            int completedSteps, String exitReason, String retryReason, Instant enrolledAt, Instant completedAt) {}

    private final JdbcTemplate jdbc;
    private final Leads leads;
    private final Campaigns campaigns;
    private final Clock clock;
    private final BestHours bestHours;

    public Enrollments(JdbcTemplate jdbc, Leads leads, Campaigns campaigns, Clock clock, BestHours bestHours) {
        this.jdbc = jdbc;
        this.leads = leads;
        this.campaigns = campaigns;
        this.clock = clock;
        this.bestHours = bestHours;
    }

    /** Enrolls a lead; empty when the sequence is not active, has no steps, or the lead is in its cooldown. */
    @Transactional
    public Optional<Long> enroll(long sequenceId, long leadId, String campaign) {
        List<Map<String, Object>> first = jdbc
                .queryForList("SELECT st.position, st.delay_minutes, st.channel, st.conditions FROM sequence s JOIN sequence_step st"
                        + " ON st.sequence_id = s.id WHERE s.id = ? AND s.status = 'ACTIVE' ORDER BY st.position LIMIT 1", sequenceId);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        // Serialise enrollments of one lead, so two concurrent intakes cannot both pass the cooldown check.
        leads.lock(leadId);
        Integer recent = jdbc.queryForObject("SELECT count(*) FROM enrollment WHERE sequence_id = ? AND lead_id = ? AND enrolled_at > ?",
                Integer.class, sequenceId, leadId, Timestamp.from(now.minus(COOLDOWN)));
        if (recent != null && recent > 0) {
            return Optional.empty();
        }
        int position = SqlValues.toInt(first.get(0).get("position"));
        long delay = SqlValues.toLong(first.get(0).get("delay_minutes"));
        Timestamp ts = Timestamp.from(now);
        Instant due = SequenceProcessor.timed(bestHours, first.get(0), now.plus(Duration.ofMinutes(delay)));
        jdbc.update("INSERT INTO enrollment (sequence_id, lead_id, campaign, status, next_position, next_run_at, enrolled_at, updated_at)"
                + " VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?, ?)", sequenceId, leadId, campaign, position, Timestamp.from(due), ts, ts);
        leads.markStatus(leadId, LeadStatus.IN_PROGRESS, now);
        return Optional.of(jdbc.queryForObject("SELECT max(id) FROM enrollment WHERE sequence_id = ? AND lead_id = ?", Long.class,
                sequenceId, leadId));
    }

    /** Enrolls a new lead in the sequences its campaigns name, in the transaction that took the lead in. */
    @EventListener
    @Transactional
    public void forCampaigns(LeadEvents.JoinedCampaigns joined) {
        for (String campaign : joined.campaigns()) {
            campaigns.sequenceOf(campaign).ifPresent(sequence -> jdbc.queryForList("SELECT id FROM sequence WHERE name = ?", Long.class,
                    sequence).forEach(sequenceId -> enroll(sequenceId, joined.leadId(), campaign)));
        }
    }

    /** Holds, resumes or ends a campaign's enrollments when its status changes. */
    @EventListener
    @Transactional
    public void campaignStatusChanged(LeadEvents.CampaignStatusChanged changed) {
        String campaign = changed.campaign();
        String status = changed.status();
        Timestamp now = Timestamp.from(clock.instant());
        switch (status) {
            case "PAUSED" -> jdbc.update("UPDATE enrollment SET status = 'PAUSED', exit_reason = 'campaign paused', updated_at = ?"
                    + " WHERE campaign = ? AND status = 'ACTIVE'", now, campaign);
            // Resumed where they stopped: a step that came due meanwhile runs at the next pass.
            case "ACTIVE" -> jdbc.update("UPDATE enrollment SET status = 'ACTIVE', exit_reason = NULL, updated_at = ?"
                    + " WHERE campaign = ? AND status = 'PAUSED' AND exit_reason = 'campaign paused'", now, campaign);
            case "ENDED" ->
                jdbc.update("UPDATE enrollment SET status = 'EXITED', exit_reason = 'campaign ended', completed_at = ?, updated_at = ?"
                        + " WHERE campaign = ? AND status IN ('ACTIVE', 'PAUSED')", now, now, campaign);
            default -> {
            }
        }
    }

    /** Staff take a lead out of a sequence: nothing more of it is sent. False when there is no such running enrollment. */
    @Transactional
    public boolean remove(long sequenceId, long enrollmentId, String by) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.update(
                "UPDATE enrollment SET status = 'EXITED', exit_reason = ?, completed_at = ?, updated_at = ? WHERE id = ? AND sequence_id = ?"
                        + " AND status IN ('ACTIVE', 'PAUSED')",
                "removed by " + (by == null || by.isBlank() ? "staff" : by), now, now, enrollmentId,
                sequenceId) == 1;
    }

    public List<Enrollment> ofSequence(long sequenceId) {
        return jdbc.query(
                "SELECT id, sequence_id, lead_id, campaign, status, next_position, next_run_at, completed_steps, exit_reason, retry_reason,"
                        + " enrolled_at, completed_at FROM enrollment WHERE sequence_id = ? ORDER BY id",
                (rs, i) -> new Enrollment(rs.getLong(1), rs.getLong(2),
                        rs.getLong(3), rs.getString(4), rs.getString(5), rs.getInt(6), instant(rs.getTimestamp(7)), rs.getInt(8),
                        rs.getString(9),
                        rs.getString(10), instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12))),
                sequenceId);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A deleted customer leaves every sequence at once. */
    @EventListener
    public void on(PersonErased erased) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("UPDATE enrollment SET status = 'EXITED', exit_reason = 'customer deleted', completed_at = ?, updated_at = ?"
                + " WHERE status IN ('ACTIVE', 'PAUSED') AND lead_id IN (SELECT id FROM lead_card WHERE phone = ?)", now, now,
                erased.phone());
    }
}
