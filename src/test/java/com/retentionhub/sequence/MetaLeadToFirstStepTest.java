package com.retentionhub.sequence;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.lead.Campaigns;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.InstantlyFake;
import com.retentionhub.support.MetaFake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A signed Meta leadgen delivery becomes a lead, fetched from the fake Graph API, auto-assigned, enrolled, and its first step goes out. */
class MetaLeadToFirstStepTest extends HubIntegrationTest {

    @Autowired
    Campaigns campaigns;

    @Autowired
    SequenceProcessor processor;

    @Test
    void shouldTakeAMetaLeadToTheFirstStepOfItsCampaignsSequence() throws Exception {
        toggle.setLive(true);
        String campaign = "meta-ads-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        campaigns.create(new Campaigns.Definition(campaign, "ACTIVE", List.of("META"), 1, "New Meta Lead Nurture"));
        String id = String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L));
        String phone = newPhone();
        String email = "meta" + id + "@example.com";
        MetaFake.lead(EMAIL_AND_VOICE, id, "Sam Lee", email, phone);
        assertThat(MetaFake.notify(port, id, "meta-app-secret-1").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM enrollment e JOIN leads l ON l.id = e.lead_id WHERE l.external_id = ?",
                        id) == 1);
        // Nothing more joins this campaign than the one lead (its limit), so other tests' Meta leads stay out.
        processor.processDue();

        await().atMost(Duration.ofSeconds(10)).until(() -> InstantlyFake.leadsFor(EMAIL_AND_VOICE, email).size() == 1);
        assertThat(InstantlyFake.leadsFor(EMAIL_AND_VOICE, email).get(0).getBodyAsString()).contains("Thanks for your request, Sam")
                .contains("Green Shield Pest Control");
        assertThat(jdbc.queryForObject("SELECT e.campaign FROM enrollment e JOIN leads l ON l.id = e.lead_id WHERE l.external_id = ?",
                String.class, id))
                .isEqualTo(campaign);
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE external_id = ?", String.class, id)).isEqualTo("CONTACTED");

        // Then the rest of the sequence, eight days of the test clock in half-hour ticks.
        Instant start = clock.instant();
        for (Instant t = start; !t.isAfter(start.plus(Duration.ofDays(8))); t = t.plus(Duration.ofMinutes(30))) {
            clock.setTo(t);
            processor.processDue();
        }
        assertThat(jdbc.queryForObject("SELECT e.status FROM enrollment e JOIN leads l ON l.id = e.lead_id WHERE l.external_id = ?",
                String.class, id))
                .isEqualTo("COMPLETED");
        assertThat(
                count("SELECT count(*) FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id JOIN leads l ON l.id = e.lead_id"
                        + " WHERE l.external_id = ? AND x.status = 'EXECUTED'", id))
                .isEqualTo(6);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", phone)).isEqualTo(6);
    }

}
