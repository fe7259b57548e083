package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioFake;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** PUT /api/conversations/{id}/state: declared moves only, audited; a staff STOP is a real opt-out with one confirmation. */
class ConversationStateApiTest extends HubIntegrationTest {

    @Test
    void shouldMoveAlongADeclaredTransitionAndAuditWhoDidIt() {
        long id = conversationFor(newPhone());

        HttpResponse<String> response = setState(id, "interested", "jane");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode c = StaffClient.json(response);
        assertThat(c.get("state").asText()).isEqualTo("interested");
        assertThat(c.get("stateChanges").get(0).get("actor").asText()).isEqualTo("jane");
        assertThat(c.get("stateChanges").get(0).get("from").asText()).isEqualTo("start");
    }

    @Test
    void shouldRefuseAnUndeclaredTransitionWith409() {
        long id = conversationFor(newPhone());
        setState(id, "done", "jane");

        HttpResponse<String> response = setState(id, "action_sqft", "jane");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("done -> action_sqft is not allowed");
        assertThat(jdbc.queryForObject("SELECT state FROM conversation WHERE id = ?", String.class, id)).isEqualTo("done");
    }

    @Test
    void shouldRefuseAnUnknownStateWith400() {
        HttpResponse<String> response = setState(conversationFor(newPhone()), "thinking", "jane");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("unknown state 'thinking'");
    }

    @Test
    void shouldOptOutAndSendExactlyTheCustomerStopConfirmationWhenStaffStop() {
        String phone = newPhone();
        long id = conversationFor(phone);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 1);
        toggle.setLive(true);

        HttpResponse<String> response = setState(id, "stop", "jane");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ?", String.class, phone)).isEqualTo("OPTED_OUT");
        assertThat(jdbc.queryForObject("SELECT actor FROM consent_event WHERE phone = ? AND source = 'STAFF'", String.class, phone))
                .isEqualTo("jane");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
        assertThat(TwilioFake.requestsTo(TWILIO, phone).get(0).getBodyAsString()).contains("Body=Messages+Stopped");
        assertThat(staff.sendText(phone, "one more thing").statusCode()).isEqualTo(409);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
    }

    @Test
    void shouldSendRenewedConsentThroughTheConsentEndpointNotAStateChange() {
        String phone = newPhone();
        long id = conversationFor(phone);
        setState(id, "stop", "jane");

        HttpResponse<String> refused = setState(id, "start", "jane");
        HttpResponse<String> consent = staff.post("/api/consent/" + phone,
                "{\"confirmedBy\":\"jane\",\"evidence\":\"customer called in\"}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("POST /api/consent/");
        assertThat(consent.statusCode()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT state FROM conversation WHERE id = ?", String.class, id)).isEqualTo("start");
    }

    private HttpResponse<String> setState(long id, String state, String actor) {
        return staff.put("/api/conversations/" + id + "/state",
                "{\"state\":\"" + state + "\",\"actor\":\"" + actor + "\",\"reason\":\"test\"}");
    }

    private long conversationFor(String phone) {
        twilio.text(phone, "hello");
        return await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null).get("id").asLong();
    }
}
