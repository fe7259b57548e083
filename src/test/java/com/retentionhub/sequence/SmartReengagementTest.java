package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** An opened sequence email earns a follow-up text; a sequence call that asks to be called back earns a callback a day later. */
class SmartReengagementTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    @BeforeEach
    void scripts() {
        toggle.setLive(true);
        if (scripts.resolve(SmartReengagement.OPENED_EMAIL_SCRIPT, "SMS", null).isEmpty()) {
            scripts.create(new Scripts.Definition(SmartReengagement.OPENED_EMAIL_SCRIPT, "SMS", null, null,
                    "Saw you read our note, {{firstName}}!", null));
        }
    }

    @Test
    void shouldTextOnceAfterASequenceEmailIsOpened() throws Exception {
        String tag = "open-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag, "EMAIL", null, "Spring", "Hello {{firstName}}", null));
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE",
                List.of(new SequenceDefinition.Step("EMAIL", new SequenceDefinition.Delay(0, "minutes"), tag, List.of(), 0)))).id();
        String phone = newPhone();
        String email = "o" + phone.substring(2) + "@example.com";
        long enrollment = enroll(sequence, phone, email);
        processor.processDue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND provider_id IS NOT NULL", phone) == 1);

        String opened = "{\"timestamp\":\"2026-11-18T20:00:00Z\",\"event_type\":\"email_opened\",\"workspace\":\"w\",\"campaign_id\":\"camp-default-0001\","
                + "\"lead_email\":\"" + email + "\"}";
        assertThat(post("/webhooks/instantly?token=instantly-hook-secret", opened, null).statusCode()).isEqualTo(200);
        post("/webhooks/instantly?token=instantly-hook-secret", opened, null); // repeated

        assertThat(jdbc.queryForList("SELECT channel FROM outbox WHERE idempotency_key = ?", String.class, "reengage:opened:" + enrollment))
                .containsExactly("sms");
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", phone)).isEqualTo(2);
    }

    @Test
    void shouldScheduleACallbackWhenTheCallAsksForOne() throws Exception {
        String tag = "call-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag, "CALL", null, null, "Hi, Green Shield here.", null));
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE",
                List.of(new SequenceDefinition.Step("CALL", new SequenceDefinition.Delay(0, "minutes"), tag, List.of(), 0)))).id();
        String asks = newPhone();
        String declines = newPhone();
        enroll(sequence, asks, null);
        enroll(sequence, declines, null);
        processor.processDue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone IN (?, ?) AND provider_id IS NOT NULL", asks,
                        declines) == 2);

        String askId = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE phone = ?", String.class, asks);
        String declineId = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE phone = ?", String.class, declines);
        post("/webhooks/vapi", report(askId, "The customer is driving and asked us to call back later this week."), "vapi-hook-secret");
        post("/webhooks/vapi", report(declineId, "The customer is not interested."), "vapi-hook-secret");

        List<Timestamp> callback = jdbc.queryForList("SELECT next_attempt_at FROM outbox WHERE idempotency_key = ?", Timestamp.class,
                "reengage:callback:" + askId);
        assertThat(callback).hasSize(1);
        assertThat(callback.get(0).toInstant()).isAfter(clock.instant().plus(Duration.ofHours(23)));
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", declines)).isEqualTo(1);
    }

    private long enroll(long sequence, String phone, String email) {
        long lead = intake.accept(new LeadIntake.NewLead("Kim Tran", phone, email, LeadIntake.Source.BULK, null, null, null)).id();
        return enrollments.enroll(sequence, lead, null).orElseThrow();
    }

    private static String report(String callId, String summary) {
        return "{\"message\":{\"type\":\"end-of-call-report\",\"endedReason\":\"customer-ended-call\",\"call\":{\"id\":\"" + callId + "\"},"
                + "\"analysis\":{\"summary\":\"" + summary + "\"}}}";
    }

    private HttpResponse<String> post(String path, String body, String vapiSecret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (vapiSecret != null) {
            request.header("X-Vapi-Secret", vapiSecret);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
