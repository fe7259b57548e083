package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.InstantlyCampaigns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every email step of a sequence reaches the lead on Instantly (issue 22, item 8). Instantly adds a
 * lead to a campaign once and skips a second add, so each step goes to a campaign the lead is not
 * in yet; with none left the step fails with that reason instead of silently never arriving.
 */
class EmailStepsReachInstantlyTest extends HubIntegrationTest {

    @Autowired
    Sequences sequences;

    @Autowired
    Enrollments enrollments;

    @Autowired
    SequenceProcessor processor;

    @Autowired
    Scripts scripts;

    @Autowired
    LeadIntake intake;

    @Autowired
    DispatchWorkers workers;

    @Test
    void shouldDeliverThreeEmailStepsAndSayWhyAFourthCannotArrive() {
        toggle.setLive(true);
        String tag = "mail-" + System.nanoTime();
        List<SequenceDefinition.Step> steps = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            scripts.create(new Scripts.Definition(tag + "-" + i, "EMAIL", null, "Note " + i + " for {{firstName}}",
                    "Hello {{firstName}}, note " + i, null));
            steps.add(new SequenceDefinition.Step("EMAIL", new SequenceDefinition.Delay(i == 1 ? 0 : 1, "days"), tag + "-" + i, List.of(),
                    0));
        }
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE", steps)).id();
        String phone = newPhone();
        String email = "m" + phone.substring(2) + "@example.com";
        long lead = intake.accept(new LeadIntake.NewLead("Rae Lin", phone, email, LeadIntake.Source.BULK, null, null, null)).id();
        enrollments.enroll(sequence, lead, null).orElseThrow();

        Instant start = clock.instant();
        for (int day = 0; day <= 3; day++) {
            clock.setTo(start.plus(Duration.ofDays(day)).plusSeconds(60));
            processor.processDue();
            workers.nudge();
            int expected = Math.min(day + 1, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> INSTANTLY_CAMPAIGNS.delivered(email).size() == expected);
        }

        List<InstantlyCampaigns.Added> delivered = INSTANTLY_CAMPAIGNS.delivered(email);
        assertThat(delivered).extracting(InstantlyCampaigns.Added::campaign).containsExactly("camp-default-0001", "camp-step-0002",
                "camp-step-0003");
        assertThat(delivered).extracting(InstantlyCampaigns.Added::subject).containsExactly("Note 1 for Rae", "Note 2 for Rae",
                "Note 3 for Rae");
        assertThat(INSTANTLY_CAMPAIGNS.skipped(email)).isEmpty();
        // The fourth has no campaign left: it fails with the reason, and nothing is sent to a campaign the lead is in.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE address = ? AND status = 'FAILED'", email) == 1);
        assertThat(jdbc.queryForObject("SELECT last_error FROM outbox WHERE address = ? AND status = 'FAILED'", String.class, email))
                .contains("already in every instantly campaign");
        assertThat(
                jdbc.queryForList("SELECT provider_ref FROM outbox WHERE address = ? AND status = 'SENT' ORDER BY id", String.class, email))
                .containsExactly("camp-default-0001", "camp-step-0002", "camp-step-0003");
    }
}
