package com.retentionhub.sequence;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.lead.Campaigns;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.InstantlyFake;
import com.retentionhub.support.MetaFake;
import com.retentionhub.support.TwilioFake;
import com.retentionhub.support.VapiFake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Story (b) of issue 22: a Meta lead runs through the shipped "New Meta Lead Nurture" sequence on
 * the test clock; its call ends with "call me back", which queues a callback for a day later; a
 * Keitaro sale arrives; and neither the callback nor any later step goes out.
 */
class MetaLeadSaleStoryTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    Campaigns campaigns;

    @Autowired
    SequenceProcessor processor;

    @Autowired
    DispatchWorkers workers;

    @Test
    void shouldSendNothingMoreAfterTheSaleNotEvenTheRequestedCallback() throws Exception {
        toggle.setLive(true);
        String campaign = "meta-sale-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        campaigns.create(new Campaigns.Definition(campaign, "ACTIVE", List.of("META"), 1, "New Meta Lead Nurture"));
        String id = String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L));
        String phone = newPhone();
        String email = "sale" + id + "@example.com";
        MetaFake.lead(EMAIL_AND_VOICE, id, "Dana Cole", email, phone);
        assertThat(MetaFake.notify(port, id, "meta-app-secret-1").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM enrollment e JOIN leads l ON l.id = e.lead_id WHERE l.external_id = ?",
                        id) == 1);

        // Two and a half days of the sequence: welcome email, SMS, follow-up email, then the intro call.
        Instant start = clock.instant();
        tick(start, start.plus(Duration.ofHours(60)));
        await().atMost(Duration.ofSeconds(20)).until(() -> VapiFake.callsTo(EMAIL_AND_VOICE, phone).size() == 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(InstantlyFake.leadsFor(EMAIL_AND_VOICE, email)).hasSize(2);
            assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1);
        });

        String callId = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE phone = ? AND channel = 'voice'", String.class, phone);
        String report = "{\"message\":{\"type\":\"end-of-call-report\",\"endedReason\":\"customer-ended-call\",\"call\":{\"id\":\"" + callId
                + "\"},"
                + "\"analysis\":{\"summary\":\"Dana is at work and asked us to call me back tomorrow.\"}}}";
        assertThat(send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/vapi")).header("Content-Type", "application/json")
                        .header("X-Vapi-Secret", "vapi-hook-secret").POST(HttpRequest.BodyPublishers.ofString(report)))
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE idempotency_key = ?", "reengage:callback:" + callId) == 1);

        // The sale, attributed to the call's tracking id.
        String attempt = jdbc.queryForObject("SELECT attempt_id FROM outbox WHERE provider_id = ?", String.class, callId);
        HttpResponse<String> sale = send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/keitaro?token=keitaro-token-1&subid="
                        + attempt + "&tid=SALE-" + id + "&status=sale&payout=120")).GET());
        assertThat(sale.body()).startsWith("created");

        // The rest of the eight days: the callback's day, the check-in SMS and the last-chance email all pass.
        tick(clock.instant(), start.plus(Duration.ofDays(8)));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            assertThat(VapiFake.callsTo(EMAIL_AND_VOICE, phone)).hasSize(1);
            assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1);
            assertThat(InstantlyFake.leadsFor(EMAIL_AND_VOICE, email)).hasSize(2);
        });
        assertThat(jdbc.queryForObject("SELECT status || ' ' || last_error FROM outbox WHERE idempotency_key = ?", String.class,
                "reengage:callback:" + callId)).isEqualTo("BLOCKED withdrawn: converted");
        assertThat(jdbc.queryForObject("SELECT e.status FROM enrollment e JOIN leads l ON l.id = e.lead_id WHERE l.external_id = ?",
                String.class, id))
                .isEqualTo("CONVERTED");
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE external_id = ?", String.class, id)).isEqualTo("CONVERTED");
        // The callback is shown to staff as withdrawn, with the reason.
        assertThat(staff.conversation(phone).get("messages").toString()).contains("blocked");
    }

    /** The test clock from {@code from} to {@code to} in half-hour ticks, the sequence and dispatch running at each. */
    private void tick(Instant from, Instant to) {
        for (Instant t = from; !t.isAfter(to); t = t.plus(Duration.ofMinutes(30))) {
            clock.setTo(t);
            processor.processDue();
            workers.nudge();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
