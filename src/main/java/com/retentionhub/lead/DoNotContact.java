package com.retentionhub.lead;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.platform.Channel;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff mark a lead do-not-contact: the lead's status says so, its running enrollments end at once,
 * and its phone is opted out on every channel in the consent ledger (source STAFF, with who and why),
 * so dispatch's last-hop consent check also stops what is already queued.
 */
@Component
public class DoNotContact {

    private static final List<String> CHANNELS = List.of(Channel.SMS.code(), Channel.EMAIL.code(), Channel.VOICE.code());

    private final JdbcTemplate jdbc;
    private final ConsentLedger consent;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public DoNotContact(JdbcTemplate jdbc, ConsentLedger consent, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.consent = consent;
        this.events = events;
        this.clock = clock;
    }

    /** False when there is no such lead. Marking a lead twice records nothing new. */
    @Transactional
    public boolean mark(long leadId, String by, String reason) {
        List<String> phone = jdbc.queryForList("SELECT phone FROM leads WHERE id = ? FOR UPDATE", String.class, leadId);
        if (phone.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        if (jdbc.update("UPDATE leads SET status = 'DO_NOT_CONTACT', updated_at = ? WHERE id = ? AND status <> 'DO_NOT_CONTACT'",
                Timestamp.from(now),
                leadId) == 0) {
            return true;
        }
        String why = "marked do-not-contact by " + by + (reason == null || reason.isBlank() ? "" : ": " + reason.trim());
        events.publishEvent(new LeadEvents.MarkedDoNotContact(leadId, why.length() > 200 ? why.substring(0, 200) : why));
        if (phone.get(0) != null) {
            for (String channel : CHANNELS) {
                consent.record(
                        new ConsentChange(phone.get(0), channel, ConsentChange.Action.OPT_OUT, ConsentChange.Source.STAFF, why, by, now));
            }
        }
        return true;
    }
}
