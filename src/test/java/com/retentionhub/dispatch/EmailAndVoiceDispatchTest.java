package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.platform.Channel;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.InstantlyFake;
import com.retentionhub.support.VapiFake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Email through Instantly and AI calls through VAPI leave by the same dispatch path as texts: the
 * sinks speak each API's wire format (against WireMock fakes), and each provider's webhook moves
 * the right message forward only, verified by its secret.
 */
class EmailAndVoiceDispatchTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Autowired
    ConsentLedger consent;

    @Autowired
    TransactionTemplate tx;

    @BeforeEach
    void live() {
        toggle.setLive(true);
    }

    @Test
    void shouldAddTheLeadToTheCampaignsInstantlyCampaignWithSubjectBodyAndAttempt() throws Exception {
        String phone = newPhone();
        String email = "Dana." + phone.substring(2) + "@Example.com";
        jdbc.update("INSERT INTO contact (phone, name, created_at) VALUES (?, 'Dana Reyes', now())", phone);

        long id = queue(Outbox.Message.email("em:" + phone, phone, email, "Spring is here", "Hi Dana, time for your spring spray.")
                .inCampaign("spring-promo"));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        List<LoggedRequest> adds = InstantlyFake.leadsFor(EMAIL_AND_VOICE, email.toLowerCase());
        assertThat(adds).hasSize(1);
        assertThat(adds.get(0).getHeader("Authorization")).isEqualTo("Bearer test-instantly-key");
        JsonNode lead = JSON.readTree(adds.get(0).getBodyAsString());
        assertThat(lead.path("campaign").asText()).isEqualTo("camp-spring-0001"); // the hub campaign's target, not the default
        assertThat(lead.path("first_name").asText()).isEqualTo("Dana");
        assertThat(lead.path("last_name").asText()).isEqualTo("Reyes");
        assertThat(lead.path("skip_if_in_campaign").asBoolean()).isTrue();
        assertThat(lead.path("custom_variables").path("subject").asText()).isEqualTo("Spring is here");
        assertThat(lead.path("custom_variables").path("body").asText()).isEqualTo("Hi Dana, time for your spring spray.");
        assertThat(lead.path("custom_variables").path("hub_attempt_id").asText()).isEqualTo(column(id, "attempt_id"));
        assertThat(column(id, "provider")).isEqualTo("instantly");
        assertThat(column(id, "provider_ref")).isEqualTo("camp-spring-0001");
        assertThat(jdbc.queryForObject("SELECT channel FROM message WHERE outbox_id = ?", String.class, id)).isEqualTo("email");
    }

    @Test
    void shouldMoveAnEmailForwardOnlyOnInstantlyEventsAndRecordAnUnsubscribe() throws Exception {
        String phone = newPhone();
        String email = "lee" + phone.substring(2) + "@example.com";
        long id = sentEmail("em2:" + phone, phone, email, "Hello");
        assertThat(column(id, "provider_ref")).isEqualTo("camp-default-0001");

        assertThat(instantly("wrong-token", event("email_sent", email, "camp-default-0001")).statusCode()).isEqualTo(403);
        assertThat(messageStatus(id)).isEqualTo("queued");

        assertThat(instantly("instantly-hook-secret", event("email_sent", email, "camp-default-0001")).statusCode()).isEqualTo(200);
        assertThat(messageStatus(id)).isEqualTo("sent");
        instantly("instantly-hook-secret", event("reply_received", email, "camp-default-0001"));
        instantly("instantly-hook-secret", event("email_opened", email, "camp-default-0001")); // late
        instantly("instantly-hook-secret", event("email_sent", email, "camp-default-0001")); // again
        assertThat(messageStatus(id)).isEqualTo("replied");
        assertThat(count("SELECT count(*) FROM status_event WHERE provider = 'instantly' AND provider_id = ?", column(id, "provider_id")))
                .isEqualTo(3);

        // Another campaign's event for the same address is not this message's.
        instantly("instantly-hook-secret", event("email_bounced", email, "camp-other-9999"));
        assertThat(messageStatus(id)).isEqualTo("replied");

        assertThat(instantly("instantly-hook-secret", event("lead_unsubscribed", email, "camp-default-0001")).statusCode()).isEqualTo(200);
        assertThat(consent.current(phone, Channel.EMAIL.code()).allowsSending()).isFalse();
        long next = queue(Outbox.Message.email("em3:" + phone, phone, email, "Again", "Body"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(next), "BLOCKED"::equals);
        assertThat(InstantlyFake.leadsFor(EMAIL_AND_VOICE, email)).hasSize(1);
    }

    @Test
    void shouldShowAnEmailReplyInTheContactsConversationOnceHoweverOftenItIsDelivered() throws Exception {
        String phone = newPhone();
        String email = "ana" + phone.substring(2) + "@example.com";
        long id = sentEmail("em4:" + phone, phone, email, "Spring tune-up");
        String reply = event("reply_received", email, "camp-default-0001").replace("\"is_first\":true}",
                "\"is_first\":true,\"email_id\":\"0199a7c2-5b1e-7d3a-9f00-3c2a1b4d5e6f\",\"reply_subject\":\"Re: Spring tune-up\","
                        + "\"reply_text_snippet\":\"Thursday works\",\"reply_text\":\"Thursday works for us, after 3 please.\"}");

        assertThat(instantly("instantly-hook-secret", reply).statusCode()).isEqualTo(200);
        assertThat(instantly("instantly-hook-secret", reply).statusCode()).isEqualTo(200); // Instantly retries

        assertThat(messageStatus(id)).isEqualTo("replied");
        List<JsonNode> inbound = new ArrayList<>();
        staff.conversation(phone).get("messages").forEach(m -> {
            if ("IN".equals(m.get("direction").asText())) {
                inbound.add(m);
            }
        });
        assertThat(inbound).hasSize(1);
        assertThat(inbound.get(0).get("body").asText()).isEqualTo("Re: Spring tune-up\n\nThursday works for us, after 3 please.");
        assertThat(inbound.get(0).get("provider").asText()).isEqualTo("instantly");
    }

    @Test
    void shouldPlaceAVapiCallWithTheScriptAndFollowItsStatusToTheEndOfCallReport() throws Exception {
        String phone = newPhone();
        long id = queue(Outbox.Message.call("call:" + phone, phone, "Hi, this is Acme Pest calling about your spring treatment."));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        List<LoggedRequest> calls = VapiFake.callsTo(EMAIL_AND_VOICE, phone);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getHeader("Authorization")).isEqualTo("Bearer test-vapi-key");
        JsonNode call = JSON.readTree(calls.get(0).getBodyAsString());
        assertThat(call.path("assistantId").asText()).isEqualTo("asst-default-0001");
        assertThat(call.path("phoneNumberId").asText()).isEqualTo("pn-test-0001");
        assertThat(call.path("assistantOverrides").path("firstMessage").asText()).startsWith("Hi, this is Acme Pest");
        assertThat(call.path("assistantOverrides").path("server").path("url").asText()).isEqualTo("https://hub.example.com/webhooks/vapi");
        assertThat(call.path("assistantOverrides").path("server").path("secret").asText()).isEqualTo("vapi-hook-secret");
        String callId = column(id, "provider_id");
        assertThat(messageStatus(id)).isEqualTo("queued");

        assertThat(vapi(null, statusUpdate(callId, "ringing", null)).statusCode()).isEqualTo(403);
        assertThat(vapi("nope", statusUpdate(callId, "ringing", null)).statusCode()).isEqualTo(403);
        assertThat(messageStatus(id)).isEqualTo("queued");

        assertThat(vapi("vapi-hook-secret", statusUpdate(callId, "ringing", null)).statusCode()).isEqualTo(200);
        assertThat(messageStatus(id)).isEqualTo("sending");
        vapi("vapi-hook-secret", statusUpdate(callId, "in-progress", null));
        String report = "{\"message\":{\"type\":\"end-of-call-report\",\"endedReason\":\"customer-ended-call\",\"call\":{\"id\":\"" + callId
                + "\"},"
                + "\"durationSeconds\":94.5,\"cost\":0.21,\"artifact\":{\"transcript\":\"AI: Hi Dana. User: Yes, book the termite inspection for Friday.\","
                + "\"recordingUrl\":\"https://storage.vapi.ai/rec.wav\"},\"analysis\":{\"summary\":\"Customer booked a spray for Friday.\","
                + "\"structuredData\":{\"keywords\":[\"Booking\",\"friday\"]}}}}";
        assertThat(vapi("vapi-hook-secret", report).statusCode()).isEqualTo(200);
        assertThat(vapi("vapi-hook-secret", report).statusCode()).isEqualTo(200); // repeated
        vapi("vapi-hook-secret", statusUpdate(callId, "in-progress", null)); // late
        assertThat(messageStatus(id)).isEqualTo("delivered");
        Map<String, Object> saved = jdbc.queryForMap("SELECT * FROM call_report WHERE provider_id = ?", callId);
        assertThat(saved.get("outbox_id")).isEqualTo(id);
        assertThat(saved.get("summary")).isEqualTo("Customer booked a spray for Friday.");
        assertThat((String) saved.get("transcript")).contains("book the termite inspection");
        assertThat(saved.get("keywords")).isEqualTo("booking,friday,termite inspection");
        assertThat(saved.get("ended_reason")).isEqualTo("customer-ended-call");
        assertThat(count("SELECT count(*) FROM call_report WHERE provider_id = ?", callId)).isEqualTo(1);
    }

    @Test
    void shouldCountAnUnansweredCallAsFailed() throws Exception {
        String phone = newPhone();
        long id = queue(Outbox.Message.call("call2:" + phone, phone, ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        assertThat(JSON.readTree(VapiFake.callsTo(EMAIL_AND_VOICE, phone).get(0).getBodyAsString()).path("assistantOverrides")
                .has("firstMessage"))
                .isFalse(); // no script: the assistant's own opening

        vapi("vapi-hook-secret", statusUpdate(column(id, "provider_id"), "ended", "customer-did-not-answer"));

        assertThat(messageStatus(id)).isEqualTo("failed");
        assertThat(jdbc.queryForObject("SELECT error_code FROM message WHERE outbox_id = ?", String.class, id)).isEqualTo("no-answer");
    }

    @Test
    void shouldNeverCallAPhoneThatTextedStop() {
        String phone = newPhone();
        tx.executeWithoutResult(s -> consent.record(new ConsentChange(phone, Channel.SMS.code(), ConsentChange.Action.OPT_OUT,
                ConsentChange.Source.KEYWORD, "STOP", null, clock.instant())));

        long id = queue(Outbox.Message.call("call3:" + phone, phone, "Hello"));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "BLOCKED"::equals);
        assertThat(VapiFake.callsTo(EMAIL_AND_VOICE, phone)).isEmpty();
    }

    @Test
    void shouldAdoptTheCallVapiCreatedDespiteA5xxInsteadOfPlacingItAgain() {
        VapiFake.refuse(EMAIL_AND_VOICE, 502, "Bad Gateway");
        String phone = newPhone();
        // VAPI created it and then failed to answer: the list has it under the hub's key (and another call to the same number).
        VapiFake.listCalls(EMAIL_AND_VOICE, "call-other", "call5:" + phone, phone, "ended", "call-created", "call4:" + phone, phone,
                "ringing");

        long id = queue(Outbox.Message.call("call4:" + phone, phone, "Hello"));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        assertThat(column(id, "provider_id")).isEqualTo("call-created");
        assertThat(messageStatus(id)).isEqualTo("sending");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(VapiFake.callsTo(EMAIL_AND_VOICE, phone)).hasSize(1));
        assertThat(VapiFake.lookups(EMAIL_AND_VOICE).get(0).getHeader("Authorization")).isEqualTo("Bearer test-vapi-key");
    }

    @Test
    void shouldPlaceACallAgainOnlyWhenVapiHasNoRecordOfIt() {
        VapiFake.refuseOnceThenAccept(EMAIL_AND_VOICE, 502);
        VapiFake.listCalls(EMAIL_AND_VOICE); // an empty list: the first attempt never became a call
        String phone = newPhone();

        long id = queue(Outbox.Message.call("call6:" + phone, phone, "Hello"));

        await().atMost(Duration.ofSeconds(15)).until(() -> status(id), "SENT"::equals);
        assertThat(VapiFake.callsTo(EMAIL_AND_VOICE, phone)).hasSize(2);
        assertThat(VapiFake.lookups(EMAIL_AND_VOICE)).isNotEmpty();
    }

    @Test
    void shouldNotPlaceACallAgainWhileItCannotBeLookedUp() {
        VapiFake.refuse(EMAIL_AND_VOICE, 502, "Bad Gateway");
        VapiFake.failLookups(EMAIL_AND_VOICE);
        String phone = newPhone();

        long id = queue(Outbox.Message.call("call7:" + phone, phone, "Hello"));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "UNKNOWN"::equals);
        assertThat(column(id, "last_error")).contains("lookup failed");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(VapiFake.callsTo(EMAIL_AND_VOICE, phone)).hasSize(1));
    }

    @Test
    void shouldHoldACallButNotAnEmailInQuietHours() {
        clock.setTo(LocalDateTime.parse("2026-11-18T22:30").atZone(ZoneId.of("America/New_York")).toInstant());
        String phone = "+1212" + newPhone().substring(5);

        long call = queue(Outbox.Message.call("qh-call:" + phone, phone, "Hello"));
        long mail = queue(Outbox.Message.email("qh-mail:" + phone, phone, "qh" + phone.substring(2) + "@example.com", "Hi", "Body"));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(mail), "SENT"::equals);
        await().atMost(Duration.ofSeconds(10)).until(() -> column(call, "held_reason") != null);
        assertThat(status(call)).isEqualTo("PENDING");
        assertThat(column(call, "held_reason")).contains("quiet hours");
    }

    private long queue(Outbox.Message message) {
        long id = outbox.enqueue(message).id();
        workers.nudge();
        return id;
    }

    private String status(long id) {
        return column(id, "status");
    }

    private String column(long id, String column) {
        return jdbc.queryForObject("SELECT " + column + " FROM outbox WHERE id = ?", String.class, id);
    }

    /** An email queued and handed to Instantly. */
    private long sentEmail(String key, String phone, String email, String subject) {
        long id = queue(Outbox.Message.email(key, phone, email, subject, "Body"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        return id;
    }

    private String messageStatus(long id) {
        return jdbc.queryForObject("SELECT status FROM message WHERE outbox_id = ?", String.class, id);
    }

    private static String event(String type, String email, String campaign) {
        return "{\"timestamp\":\"2026-11-18T19:05:00.000Z\",\"event_type\":\"" + type + "\",\"workspace\":\"ws-1\",\"campaign_id\":\""
                + campaign
                + "\",\"campaign_name\":\"Spring\",\"lead_email\":\"" + email
                + "\",\"email_account\":\"sales@acme.example\",\"step\":1,\"variant\":1,"
                + "\"is_first\":true}";
    }

    private static String statusUpdate(String callId, String status, String endedReason) {
        return "{\"message\":{\"type\":\"status-update\",\"status\":\"" + status + "\""
                + (endedReason == null ? "" : ",\"endedReason\":\"" + endedReason + "\"")
                + ",\"call\":{\"id\":\"" + callId + "\",\"type\":\"outboundPhoneCall\"}}}";
    }

    private HttpResponse<String> instantly(String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/instantly?token=" + token))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> vapi(String secret, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/vapi"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("X-Vapi-Secret", secret);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
