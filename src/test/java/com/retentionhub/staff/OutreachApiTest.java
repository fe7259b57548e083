package com.retentionhub.staff;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioFake;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Staff-started conversations and the demo endpoints, on templates (no model configured). */
class OutreachApiTest extends HubIntegrationTest {

    @Test
    void shouldStartAConversationWithAGeneratedFirstTextThroughTheOutbox() {
        toggle.setLive(true);
        String phone = newPhone();

        HttpResponse<String> response = staff.post("/api/conversations",
                "{\"phone\":\"" + phone + "\",\"type\":\"welcome\",\"name\":\"Maria Lopez\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = StaffClient.json(response);
        assertThat(body.get("text").asText()).isEqualTo(
                "Hi Maria, welcome to Green Shield Pest Control! Text us here anytime with questions or to book. Reply STOP to opt out.");
        assertThat(body.get("source").asText()).isEqualTo("template");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(TWILIO.findAll(postRequestedFor(urlPathMatching(TwilioFake.MESSAGES)))
                        .stream().map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8))
                        .filter(f -> f.contains("To=" + phone)).count())
                        .isEqualTo(1));
        JsonNode conversation = staff.conversation(phone);
        assertThat(conversation.get("id").asLong()).isEqualTo(body.get("conversationId").asLong());
        assertThat(conversation.get("contact").get("name").asText()).isEqualTo("Maria Lopez");
    }

    @Test
    void shouldRefuseToStartAConversationWithAnOptedOutPhone() {
        String phone = newPhone();
        twilio.text(phone, "STOP");

        HttpResponse<String> response = staff.post("/api/conversations", "{\"phone\":\"" + phone + "\",\"type\":\"promotional\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldRefuseAnUnknownMessageType() {
        HttpResponse<String> response = staff.post("/api/conversations", "{\"phone\":\"" + newPhone() + "\",\"type\":\"newsletter\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("unknown message type 'newsletter'");
    }

    @Test
    void shouldGenerateDemoTextsWithoutSendingAnything() {
        HttpResponse<String> initial = staff.post("/api/demo/initial", "{\"type\":\"reminder\"}");
        HttpResponse<String> ongoing = staff.post("/api/demo/ongoing",
                "{\"state\":\"interested\",\"messages\":[{\"direction\":\"IN\",\"body\":\"how much for mosquitoes?\"}]}");

        assertThat(initial.statusCode()).isEqualTo(200);
        assertThat(StaffClient.json(initial).get("text").asText())
                .startsWith("Hi there, a friendly reminder from Green Shield Pest Control");
        assertThat(ongoing.statusCode()).isEqualTo(200);
        assertThat(StaffClient.json(ongoing).get("text").asText()).contains("can get that scheduled");
        assertThat(StaffClient.json(ongoing).get("nextState").asText()).isEqualTo("interested");
        assertThat(count("SELECT count(*) FROM outbox WHERE body LIKE 'Hi there, a friendly reminder%'")).isZero();
    }

    @Test
    void shouldRefuseADemoMessageWithABadDirection() {
        assertThat(staff.post("/api/demo/ongoing", "{\"messages\":[{\"direction\":\"SIDEWAYS\",\"body\":\"hi\"}]}").statusCode())
                .isEqualTo(400);
    }
}
