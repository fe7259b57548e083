package com.retentionhub.sequence;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.lead.Campaigns;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.InstantlyFake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
        EMAIL_AND_VOICE.stubFor(get(urlPathEqualTo("/v21.0/" + id)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + id
                        + "\",\"created_time\":\"2026-11-18T18:55:02+0000\",\"field_data\":[{\"name\":\"full_name\",\"values\":[\"Sam Lee\"]},"
                        + "{\"name\":\"email\",\"values\":[\"" + email + "\"]},{\"name\":\"phone_number\",\"values\":[\"" + phone
                        + "\"]}]}")));
        String body = "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"time\":1763492102,\"changes\":[{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\""
                + id + "\",\"page_id\":\"1\",\"form_id\":\"2\"}}]}]}";

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/meta"))
                        .header("Content-Type", "application/json").header("X-Hub-Signature-256", sign(body))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
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

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("meta-app-secret-1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
