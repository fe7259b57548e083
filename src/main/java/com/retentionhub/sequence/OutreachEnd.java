package com.retentionhub.sequence;

import com.retentionhub.consent.ConsentRenewed;
import com.retentionhub.consent.ConsentWithdrawn;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.lead.LeadStatus;
import com.retentionhub.lead.Leads;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
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
    private final Leads leads;
    private final Outbox outbox;
    private final Clock clock;

    public OutreachEnd(JdbcTemplate jdbc, Leads leads, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.leads = leads;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** An opt-out on any channel: nothing business-initiated goes to the person again until they re-consent. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ConsentWithdrawn withdrawn) {
        Instant at = clock.instant();
        Timestamp now = Timestamp.from(at);
        // Enrollments before leads, the order the sequence processor locks them in.
        jdbc.update(
                "UPDATE enrollment SET status = 'EXITED', exit_reason = ?, completed_at = ?, updated_at = ? WHERE status IN ('ACTIVE', 'PAUSED')"
                        + " AND lead_id IN (SELECT id FROM lead_card WHERE phone = ?)",
                withdrawn.reason(), now, now, withdrawn.phone());
        leads.markStatus(withdrawn.phone(), LeadStatus.DO_NOT_CONTACT, at);
        outbox.withdraw(withdrawn.phone(), withdrawn.reason(), List.of());
    }

    /**
     * Renewed consent lifts the do-not-contact mark an opt-out set, once no channel is opted out any
     * more; the ended enrollments stay ended (a new one starts only from a new campaign or staff).
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ConsentRenewed renewed) {
        leads.liftDoNotContact(renewed.phone(), clock.instant());
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
        jdbc.update(
                "UPDATE enrollment SET status = ?, exit_reason = ?, completed_at = ?, updated_at = ? WHERE lead_id = ? AND status IN ('ACTIVE', 'PAUSED')",
                status, reason, now, now, leadId);
        jdbc.queryForList("SELECT phone FROM lead_card WHERE id = ?", String.class, leadId)
                .forEach(phone -> outbox.withdraw(phone, reason, FOLLOW_UPS));
    }
}
