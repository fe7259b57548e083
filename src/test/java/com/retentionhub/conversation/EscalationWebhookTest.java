package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Escalation through the real webhook: paused, one acknowledgement, one masked staff alert, flagged until staff resume. */
class EscalationWebhookTest extends HubIntegrationTest {

    @Test
    void shouldPauseAcknowledgeOnceAndAlertStaffOnceWhenATextEscalates() {
        String phone = newPhone();
        twilio.text(phone, "Hi, question about my treatment");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone) != null);

        twilio.text(phone, "I'm having an allergic reaction to the filler");
        JsonNode conversation = await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone),
                c -> c.has("escalation"));
        twilio.text(phone, "my throat is swelling, please call me");
        // The third text is processed, and neither it nor anything after it acknowledges or alerts again.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM inbound_event WHERE phone = ? AND processed_at IS NOT NULL",
                        phone) == 3);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(outbox("escalation-ack:", phone))
                    .containsExactly(phone + " Thank you for letting us know. Someone from our team will call you shortly.");
            assertThat(outbox("escalation-staff:", phone)).hasSize(1);
        });

        assertThat(conversation.get("state").asText()).isEqualTo("pause");
        assertThat(conversation.get("escalation").get("reason").asText()).isEqualTo("medical");
        List<String> alerts = outbox("escalation-staff:", phone);
        assertThat(alerts.get(0)).startsWith("+14155550111 Escalation (medical) from ***-***-" + phone.substring(phone.length() - 4));
        String alertText = alerts.get(0).substring(alerts.get(0).indexOf(' ') + 1);
        assertThat(alertText).doesNotContain(phone.substring(0, phone.length() - 4)).doesNotContain(phone.substring(2, phone.length() - 4));
    }

    @Test
    void shouldClearTheFlagAndAuditTheChangeWhenStaffResume() {
        String phone = newPhone();
        twilio.text(phone, "We will sue if the damage isn't fixed");
        JsonNode escalated = await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone),
                c -> c != null && c.has("escalation"));

        HttpResponse<String> resumed = staff.put("/api/conversations/" + escalated.get("id").asLong() + "/state",
                "{\"state\":\"follow_up\",\"actor\":\"maria@greenshield\",\"reason\":\"called the customer, damage claim logged\"}");

        assertThat(resumed.statusCode()).isEqualTo(200);
        JsonNode after = StaffClient.json(resumed);
        assertThat(after.get("state").asText()).isEqualTo("follow_up");
        assertThat(after.has("escalation")).isFalse();
        JsonNode last = after.get("stateChanges").get(after.get("stateChanges").size() - 1);
        assertThat(last.get("from").asText()).isEqualTo("pause");
        assertThat(last.get("actor").asText()).isEqualTo("maria@greenshield");
    }

    @Test
    void shouldTellTheOwnerOnceWhenACustomerStartsAConversationWithTheTextAndTheAnswer() {
        String phone = newPhone();
        twilio.text(phone, "Hi, do you treat for carpenter ants?");
        JsonNode conversation = await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null
                && c.get("messages").size() >= 2);
        twilio.text(phone, "And how much is it?");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone).get("messages").size() >= 4);

        String answer = jdbc.queryForObject("SELECT o.body FROM outbox o JOIN reply_task t ON o.idempotency_key = 'reply:' || t.sid"
                + " WHERE t.phone = ? ORDER BY t.id LIMIT 1", String.class, phone);
        List<String> alerts = jdbc.queryForList("SELECT phone || ' ' || body FROM outbox WHERE idempotency_key = ?", String.class,
                "new-conversation:" + conversation.get("id").asLong());
        assertThat(alerts).containsExactly("+14155550111 New conversation from ***-***-" + phone.substring(phone.length() - 4)
                + ": \"Hi, do you treat for carpenter ants?\" Bot replied: \"" + answer + "\"");
    }

    @Test
    void shouldAlertAnEscalatingFirstTextAsAnEscalationOnly() {
        String phone = newPhone();
        twilio.text(phone, "My lawyer will be in touch about the damage");
        JsonNode conversation = await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone),
                c -> c != null && c.has("escalation"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM inbound_event WHERE phone = ? AND processed_at IS NOT NULL",
                        phone) == 1);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(outbox("escalation-staff:", phone)).hasSize(1);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE idempotency_key = ?", Integer.class,
                    "new-conversation:" + conversation.get("id").asLong())).isZero();
        });
    }

    /** Outbox rows keyed on one of this customer's inbound events, as "recipient body". */
    private List<String> outbox(String keyPrefix, String customerPhone) {
        return jdbc.queryForList("SELECT o.phone || ' ' || o.body FROM outbox o JOIN inbound_event e ON o.idempotency_key = ? || e.id"
                + " WHERE e.phone = ? ORDER BY o.id", String.class, keyPrefix, customerPhone);
    }
}
