package com.retentionhub.sequence;

import com.retentionhub.consent.ConsentWithdrawn;
import com.retentionhub.dispatch.Outbox;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * When a person's outreach ends, it ends at once and everywhere: an opt-out on any channel, a sale
 * or a rejection ends every enrollment the lead is in (with the reason), withdraws the queued
 * messages whose reason has gone, and sets the lead's status. Without this an opted-out lead stayed
 * CONTACTED and ACTIVE until its next step came due, and a callback queued for tomorrow was still
 * placed to a lead who had bought today. Dispatch's last-hop consent check stays as the backstop.
 * (A deleted customer is handled by each module's {@code PersonErased} listener.)
 */
@Component
public class OutreachEnd {

    /** What a sale or a rejection withdraws: later sequence steps and re-engagements (callbacks, follow-ups). */
    static final List<String> FOLLOW_UPS = List.of("seq:", "reengage:");

    private final JdbcTemplate jdbc;
    private final Outbox outbox;
    private final Clock clock;

    public OutreachEnd(JdbcTemplate jdbc, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** An opt-out on any channel: nothing business-initiated goes to the person again until they re-consent. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ConsentWithdrawn withdrawn) {
        Timestamp now = Timestamp.from(clock.instant());
        // Enrollments before leads, the order the sequence processor locks them in.
        jdbc.update("UPDATE enrollment SET status = 'EXITED', exit_reason = ?, completed_at = ?, updated_at = ? WHERE status IN ('ACTIVE', 'PAUSED')"
                + " AND lead_id IN (SELECT id FROM leads WHERE phone = ?)", withdrawn.reason(), now, now, withdrawn.phone());
        jdbc.update("UPDATE leads SET status = 'DO_NOT_CONTACT', updated_at = ? WHERE phone = ? AND status <> 'DO_NOT_CONTACT'", now,
                withdrawn.phone());
        outbox.withdraw(withdrawn.phone(), withdrawn.reason(), List.of());
    }

    /**
     * Renewed consent lifts the do-not-contact mark an opt-out set, once no channel is opted out any
     * more; the ended enrollments stay ended (a new one starts only from a new campaign or staff).
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(com.retentionhub.consent.ConsentRenewed renewed) {
        jdbc.update("UPDATE leads SET status = 'CONTACTED', updated_at = ? WHERE phone = ? AND status = 'DO_NOT_CONTACT'"
                + " AND NOT EXISTS (SELECT 1 FROM consent_opted_out s WHERE s.phone = ?)", Timestamp.from(clock.instant()),
                renewed.phone(), renewed.phone());
    }

    /** A sale: the lead's enrollments end as CONVERTED and its queued follow-ups are withdrawn. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void converted(long leadId) {
        end(leadId, "CONVERTED", "converted");
    }

    /** A rejected lead (the tracker's "rejected"): its enrollments end and its queued follow-ups are withdrawn. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void rejected(long leadId) {
        end(leadId, "EXITED", "lead rejected");
    }

    private void end(long leadId, String status, String reason) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("UPDATE enrollment SET status = ?, exit_reason = ?, completed_at = ?, updated_at = ? WHERE lead_id = ? AND status IN ('ACTIVE', 'PAUSED')",
                status, reason, now, now, leadId);
        jdbc.queryForList("SELECT phone FROM leads WHERE id = ?", String.class, leadId).forEach(phone -> outbox.withdraw(phone, reason, FOLLOW_UPS));
    }
}
