package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.VapiFake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What providers and dispatch know shows in the conversation API (issue 22, items 9 and 10): a call
 * entry with VAPI's summary, transcript, recording and keywords; each inbound text's intent and
 * sentiment; a held message's reason and next attempt instead of a bare "queued".
 */
class ConversationEntriesTest extends HubIntegrationTest {

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Test
    void shouldShowACallWithItsSummaryTranscriptRecordingAndKeywords() throws Exception {
        toggle.setLive(true);
        String phone = newPhone();
        outbox.enqueue(Outbox.Message.call("entries-call:" + phone, phone, "Hi, Green Shield here."));
        workers.nudge();
        await().atMost(Duration.ofSeconds(10)).until(() -> VapiFake.callsTo(EMAIL_AND_VOICE, phone).size() == 1
                && count("SELECT count(*) FROM outbox WHERE phone = ? AND provider_id IS NOT NULL", phone) == 1);
        String callId = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE phone = ?", String.class, phone);
        String report = "{\"message\":{\"type\":\"end-of-call-report\",\"endedReason\":\"customer-ended-call\",\"call\":{\"id\":\"" + callId
                + "\"},"
                + "\"durationSeconds\":74.5,\"artifact\":{\"transcript\":\"AI: Hi, Green Shield here.\\nUser: I need a termite inspection next week.\","
                + "\"recordingUrl\":\"https://storage.vapi.ai/" + callId
                + ".wav\"},\"analysis\":{\"summary\":\"Wants a termite inspection next week.\","
                + "\"structuredData\":{\"keywords\":[\"Inspection\",\"next week\"]}}}}";
        HttpResponse<String> posted = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/vapi"))
                        .header("Content-Type", "application/json").header("X-Vapi-Secret", "vapi-hook-secret")
                        .POST(HttpRequest.BodyPublishers.ofString(report))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);

        JsonNode call = staff.conversation(phone).get("messages").get(0);
        assertThat(call.get("kind").asText()).isEqualTo("call");
        assertThat(call.get("channel").asText()).isEqualTo("voice");
        assertThat(call.at("/call/summary").asText()).isEqualTo("Wants a termite inspection next week.");
        assertThat(call.at("/call/transcript").asText()).contains("User: I need a termite inspection next week.");
        assertThat(call.at("/call/recordingUrl").asText()).isEqualTo("https://storage.vapi.ai/" + callId + ".wav");
        assertThat(call.at("/call/keywords").toString()).contains("inspection").contains("next week");
        assertThat(call.at("/call/durationSeconds").asDouble()).isEqualTo(74.5);
        assertThat(call.at("/call/endedReason").asText()).isEqualTo("customer-ended-call");
    }

    @Test
    void shouldShowEachInboundTextsIntentAndSentiment() {
        String phone = newPhone();
        twilio.text(phone, "Can I book an appointment for Tuesday?");
        twilio.text(phone, "Terrible service, the roaches came back. Very upset.");

        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone) != null && inbound(staff.conversation(phone)) == 2);
        JsonNode messages = staff.conversation(phone).get("messages");
        JsonNode booking = null;
        JsonNode angry = null;
        for (JsonNode m : messages) {
            if (m.get("direction").asText().equals("IN")) {
                if (m.get("body").asText().startsWith("Can I book")) {
                    booking = m;
                } else {
                    angry = m;
                }
            }
        }
        assertThat(booking.get("intent").asText()).isEqualTo("booking");
        assertThat(booking.get("kind").asText()).isEqualTo("text");
        assertThat(angry.get("sentiment").isInt()).isTrue();
        assertThat(angry.get("sentiment").asInt()).isNegative();
    }

    @Test
    void shouldShowWhyAndUntilWhenAMessageIsHeld() {
        toggle.setLive(true);
        clock.setTo(Instant.parse("2026-11-19T07:00:00Z")); // 2:00 in New York
        String phone = "+1646" + (2_000_000 + ThreadLocalRandom.current().nextInt(7_999_999));
        outbox.enqueue(Outbox.Message.sms("entries-held:" + phone, phone, "Your technician comes Friday."));
        workers.nudge();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> staff.conversation(phone).get("messages").get(0).get("status").asText().equals("held"));
        JsonNode held = staff.conversation(phone).get("messages").get(0);
        assertThat(held.get("heldReason").asText()).startsWith("quiet hours");
        assertThat(held.get("nextAttemptAt").asText()).isEqualTo("2026-11-19T13:00:00Z");
    }

    private static int inbound(JsonNode conversation) {
        int n = 0;
        for (JsonNode m : conversation.get("messages")) {
            n += m.get("direction").asText().equals("IN") ? 1 : 0;
        }
        return n;
    }
}
