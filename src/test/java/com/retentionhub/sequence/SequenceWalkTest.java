package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.platform.Channel;
import com.retentionhub.support.HubIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The shipped "New Meta Lead Nurture" walked through eight days on the test clock: a new lead in a
 * campaign that names the sequence is enrolled, each step is handed to dispatch once at its time,
 * and the enrollment completes; a STOP ends it; pausing the campaign holds it and resuming continues.
 */
class SequenceWalkTest extends HubIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Autowired
    LeadIntake intake;

    @Autowired
    Campaigns campaigns;

    @Autowired
    SequenceProcessor processor;

    @Autowired
    ConsentLedger consent;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    DispatchWorkers workers;

    @BeforeEach
    void shippedScripts() {}

    @Test
    void shouldFireEachStepOnceAtItsTimeAndComplete() {
        toggle.setLive(true);
        Instant start = LocalDateTime.parse("2026-11-18T14:00").atZone(NEW_YORK).toInstant();
        clock.setTo(start);
        String phone = "+1212" + newPhone().substring(5);
        long enrollment = enrolledLead(phone);

        // Eight days in half-hour ticks, each processed twice (as two instances or two triggers would).
        for (Instant t = start; !t.isAfter(start.plus(Duration.ofDays(8))); t = t.plus(Duration.ofMinutes(30))) {
            clock.setTo(t);
            processor.processDue();
            processor.processDue();
            settled(phone);
        }

        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("COMPLETED");
        assertThat(count("SELECT count(*) FROM step_execution WHERE enrollment_id = ? AND status = 'EXECUTED'", enrollment)).isEqualTo(6);
        List<String> channels = jdbc.queryForList("SELECT o.channel FROM step_execution x JOIN outbox o ON o.id = x.outbox_id"
                + " WHERE x.enrollment_id = ? ORDER BY o.id", String.class, enrollment);
        assertThat(channels).containsExactly("email", "sms", "email", "voice", "sms", "email");
        List<Timestamp> created = jdbc.queryForList("SELECT o.created_at FROM step_execution x JOIN outbox o ON o.id = x.outbox_id"
                + " WHERE x.enrollment_id = ? ORDER BY o.id", Timestamp.class, enrollment);
        assertThat(created.stream().map(c -> Duration.between(start, c.toInstant()).toHours()).toList()).containsExactly(0L, 12L, 24L, 48L,
                120L, 168L);
        // The SMS due at 02:00 New York time was held by quiet hours until 08:00, not skipped.
        Timestamp smsAt = jdbc.queryForObject("SELECT o.sent_at FROM step_execution x JOIN outbox o ON o.id = x.outbox_id"
                + " WHERE x.enrollment_id = ? AND o.channel = 'sms' ORDER BY o.id LIMIT 1", Timestamp.class, enrollment);
        assertThat(smsAt.toInstant().atZone(NEW_YORK).getHour()).isEqualTo(8);
        assertThat(smsAt.toInstant()).isBefore(start.plus(Duration.ofHours(19)));
    }

    @Test
    void shouldEndTheEnrollmentOnStopAndSendNothingMore() {
        String phone = newPhone();
        long enrollment = enrolledLead(phone);
        processor.processDue();
        assertThat(count("SELECT count(*) FROM step_execution WHERE enrollment_id = ?", enrollment)).isEqualTo(1);

        tx.executeWithoutResult(s -> consent.record(new ConsentChange(phone, Channel.SMS.code(), ConsentChange.Action.OPT_OUT,
                ConsentChange.Source.KEYWORD, "STOP", null, clock.instant())));
        // Ended with the opt-out itself, not when the next step comes due (OutreachEnd).
        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("EXITED");
        clock.setTo(clock.instant().plus(Duration.ofDays(8)));
        processor.processDue();

        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("EXITED");
        assertThat(jdbc.queryForObject("SELECT exit_reason FROM enrollment WHERE id = ?", String.class, enrollment))
                .isEqualTo("opted out (sms)");
        assertThat(count("SELECT count(*) FROM step_execution WHERE enrollment_id = ?", enrollment)).isEqualTo(1);
    }

    @Test
    void shouldEndTheEnrollmentWhenTheLeadConvertsAndSendNothingMore() {
        String phone = newPhone();
        long enrollment = enrolledLead(phone);
        processor.processDue();

        jdbc.update("UPDATE leads SET status = 'CONVERTED' WHERE phone = ?", phone); // what a tracker's sale postback does
        clock.setTo(clock.instant().plus(Duration.ofDays(8)));
        processor.processDue();

        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("CONVERTED");
        assertThat(count("SELECT count(*) FROM step_execution WHERE enrollment_id = ?", enrollment)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", phone)).isEqualTo(1);
    }

    @Test
    void shouldHoldWhileTheCampaignIsPausedAndContinueWhenResumed() {
        String phone = newPhone();
        long enrollment = enrolledLead(phone);
        processor.processDue();
        String campaign = jdbc.queryForObject("SELECT campaign FROM enrollment WHERE id = ?", String.class, enrollment);
        long campaignId = campaigns.byName(campaign).orElseThrow().id();

        campaigns.update(campaignId, new Campaigns.Definition(campaign, "PAUSED", List.of("MANUAL"), 1, "New Meta Lead Nurture"));
        clock.setTo(clock.instant().plus(Duration.ofDays(2)));
        processor.processDue();
        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("PAUSED");
        assertThat(count("SELECT count(*) FROM step_execution WHERE enrollment_id = ?", enrollment)).isEqualTo(1);

        campaigns.update(campaignId, new Campaigns.Definition(campaign, "ACTIVE", List.of("MANUAL"), 1, "New Meta Lead Nurture"));
        processor.processDue();
        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("ACTIVE");
        assertThat(count("SELECT count(*) FROM step_execution WHERE enrollment_id = ?", enrollment)).isEqualTo(2); // the next step, not a skipped one
        assertThat(jdbc.queryForObject("SELECT next_position FROM enrollment WHERE id = ?", Integer.class, enrollment)).isEqualTo(3);
        // The steps missed while paused do not all go at once: the next keeps its 12 h spacing from the resumed one.
        assertThat(jdbc.queryForObject("SELECT next_run_at FROM enrollment WHERE id = ?", Timestamp.class, enrollment).toInstant())
                .isBetween(clock.instant().plus(Duration.ofHours(12)).minusSeconds(5), clock.instant().plus(Duration.ofHours(12))); // the test clock ticks
    }

    /** Waits until dispatch has dealt with everything due for the phone at the clock's time. */
    private void settled(String phone) {
        workers.nudge();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ?"
                        + " AND (status = 'SENDING' OR (status = 'PENDING' AND next_attempt_at <= ?))", phone,
                        Timestamp.from(clock.instant())) == 0);
    }

    /** A new lead from a source that only this test's campaign takes (limit 1), so it joins and is enrolled. */
    private long enrolledLead(String phone) {
        String campaign = "nurture-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        campaigns.create(new Campaigns.Definition(campaign, "ACTIVE", List.of("MANUAL"), 1, "New Meta Lead Nurture"));
        LeadIntake.Accepted lead = intake.accept(new LeadIntake.NewLead("Maya Chen", phone, "m" + phone.substring(2) + "@example.com",
                LeadIntake.Source.MANUAL, null, null, null));
        assertThat(lead.campaigns()).contains(campaign);
        campaigns.update(campaigns.byName(campaign).orElseThrow().id(), new Campaigns.Definition(campaign, "ACTIVE", List.of(), 1,
                "New Meta Lead Nurture")); // take no more leads: other tests' MANUAL leads stay out
        return jdbc.queryForObject("SELECT id FROM enrollment WHERE lead_id = ?", Long.class, lead.id());
    }
}
