package com.retentionhub.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioFake;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Re-consent under the "staff" rule (issue 22, item 2): START after STOP is a request, answered once,
 * and nothing else is sent until staff confirm renewed consent. The "keyword" rule (START re-subscribes
 * at once) is OptOutWebhookTest's.
 */
class ReConsentTest extends HubIntegrationTest {

    @Autowired
    ReConsent reConsent;

    @AfterEach
    void keywordRule() {
        reConsent.use(ReConsent.Rule.KEYWORD);
    }

    @Test
    void shouldHoldStartAsARequestUntilStaffConfirmRenewedConsent() {
        reConsent.use(ReConsent.Rule.STAFF);
        toggle.setLive(true);
        String phone = newPhone();
        twilio.text(phone, "STOP");

        HttpResponse<String> start = twilio.text(phone, "START");

        assertThat(start.body()).contains("<Message>").contains("A team member will confirm it").doesNotContain("subscribed again");
        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ? AND channel = 'sms'", String.class, phone))
                .isEqualTo("OPTED_OUT");
        assertThat(twilio.text(phone, "START").body()).contains("A team member will confirm it"); // asked twice, one request
        JsonNode requests = StaffClient.json(staff.get("/api/consent/requests?size=200"));
        assertThat(requests.get("rule").asText()).isEqualTo("staff");
        assertThat(requests.get("items").findValuesAsText("phone").stream().filter(phone::equals)).hasSize(1);
        // Nothing but the keyword's confirmation: a staff text is refused, and no reply is written to the START.
        assertThat(staff.sendText(phone, "Welcome back!").statusCode()).isEqualTo(409);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(TwilioFake.requestsTo(TWILIO, phone)).isEmpty();
            assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", phone)).isZero();
        });

        HttpResponse<String> confirmed = staff.post("/api/consent/" + phone,
                "{\"confirmedBy\":\"Ana\",\"evidence\":\"called back and asked for reminders\"}");

        assertThat(confirmed.statusCode()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT confirmed_by FROM consent_request WHERE phone = ?", String.class, phone)).isEqualTo("Ana");
        assertThat(StaffClient.json(staff.get("/api/consent/requests?size=200")).get("items").findValuesAsText("phone"))
                .doesNotContain(phone);
        assertThat(staff.sendText(phone, "Welcome back!").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> TwilioFake.requestsTo(TWILIO, phone).size() == 1);
    }

    @Test
    void shouldReSubscribeAtOnceUnderTheKeywordRuleAndLiftTheLeadsDoNotContact() {
        toggle.setLive(true);
        String phone = newPhone();
        jdbc.update(
                "INSERT INTO leads (phone, name, source, status, created_at, updated_at) VALUES (?, 'Lee', 'BULK', 'CONTACTED', now(), now())",
                phone);
        twilio.text(phone, "STOP");
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE phone = ?", String.class, phone)).isEqualTo("DO_NOT_CONTACT");

        assertThat(twilio.text(phone, "START").body()).contains("subscribed again");

        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ? AND channel = 'sms'", String.class, phone))
                .isEqualTo("OPTED_IN");
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE phone = ?", String.class, phone)).isEqualTo("CONTACTED");
        assertThat(count("SELECT count(*) FROM consent_request WHERE phone = ?", phone)).isZero();
    }
}
