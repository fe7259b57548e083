package com.retentionhub.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.support.HubIntegrationTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A YES or interest answering a campaign text marks a warm lead; the same words without a campaign text do not. */
class WarmLeadsTest extends HubIntegrationTest {

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Test
    void shouldMarkAWarmLeadWhenAYesAnswersACampaignText() {
        String phone = newPhone();
        campaignText(phone, "spring-promo");

        twilio.text(phone, "YES");
        twilio.text(phone, "Sure, I'm interested in the termite inspection");

        await().atMost(Duration.ofSeconds(10)).until(() -> warm(phone) != null);
        JsonNode mark = staff.conversation(phone).path("warmLead");
        assertThat(mark.path("campaign").asText()).isEqualTo("spring-promo");
        assertThat(mark.path("text").asText()).isEqualTo("YES"); // the first interested reply stays the mark
    }

    @Test
    void shouldMarkAWarmLeadWhenInterestComesWithAPriceQuestion() {
        String interested = newPhone();
        String priceOnly = newPhone();
        campaignText(interested, "fall-promo");
        campaignText(priceOnly, "fall-promo");

        twilio.text(interested, "Interested! how much?");
        twilio.text(priceOnly, "not interested, how much was it anyway?");

        await().atMost(Duration.ofSeconds(10)).until(() -> warm(interested) != null);
        assertThat(staff.conversation(interested).path("warmLead").path("text").asText()).isEqualTo("Interested! how much?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", priceOnly) == 1);
        assertThat(warm(priceOnly)).isNull();
    }

    @Test
    void shouldAnswerWhoIsThisWithTheBusinessNameAndWhyItTexted() {
        String phone = newPhone();
        campaignText(phone, "spring-promo");

        twilio.text(phone, "who is this?");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND purpose = 'reply'", phone) == 1);
        String reply = jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ? AND purpose = 'reply'", String.class, phone);
        assertThat(reply).contains("Green Shield Pest Control", "Spring special: reply YES to book", "STOP")
                .isNotEqualTo("Reply STOP to stop messages.");
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ?", phone)).isZero();
        assertThat(warm(phone)).isNull();
    }

    @Test
    void shouldNotMarkInterestThatAnswersNoCampaignText() {
        String withoutCampaign = newPhone();
        String answeredReplyOnly = newPhone();
        String notInterested = newPhone();
        outbox.enqueue(
                Outbox.Message.sms("warm-reply:" + answeredReplyOnly, answeredReplyOnly, "Happy to help!").withPurpose(Outbox.REPLY));
        workers.nudge();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND sent_at IS NOT NULL", answeredReplyOnly) == 1);
        campaignText(notInterested, "spring-promo");

        twilio.text(withoutCampaign, "Yes I'm interested");
        twilio.text(answeredReplyOnly, "Yes I'm interested");
        twilio.text(notInterested, "what does the spray cost?");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id"
                        + " JOIN contact t ON t.id = c.contact_id WHERE m.direction = 'IN' AND t.phone IN (?, ?, ?)", withoutCampaign,
                        answeredReplyOnly,
                        notInterested) == 3);
        assertThat(warm(withoutCampaign)).isNull();
        assertThat(warm(answeredReplyOnly)).isNull();
        assertThat(warm(notInterested)).isNull();
    }

    /** A campaign text that has gone out (recorded as simulated: outbound is not live in tests). */
    private void campaignText(String phone, String campaign) {
        outbox.enqueue(Outbox.Message.sms("warm-campaign:" + phone, phone, "Spring special: reply YES to book").inCampaign(campaign));
        workers.nudge();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND sent_at IS NOT NULL", phone) == 1);
    }

    private String warm(String phone) {
        List<String> rows = jdbc.queryForList("SELECT warm_lead_campaign FROM contact WHERE phone = ?", String.class, phone);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
