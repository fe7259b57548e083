package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Prometheus scrape carries what ops watch: backlogs read from the database, opt-outs, dispatch, pacing and every route. */
class MetricsTest extends HubIntegrationTest {

    @Test
    void shouldReportTheOutboxDepthTheDatabaseHolds() {
        String key = "metrics-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Timestamp later = Timestamp.from(Instant.now().plus(Duration.ofDays(3650))); // never due: dispatch leaves them be
        for (int i = 0; i < 3; i++) {
            jdbc.update(
                    "INSERT INTO outbox (idempotency_key, phone, channel, body, purpose, status, next_attempt_at, attempt_id, created_at, updated_at)"
                            + " VALUES (?, ?, 'sms', 'later', 'message', 'PENDING', ?, ?, now(), now())",
                    key + i, newPhone(), later, key + i);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            double scraped = value(scrape(), "hub_outbox_depth").orElseThrow();
            assertThat(scraped).isEqualTo(count("SELECT count(*) FROM outbox WHERE status = 'PENDING'")).isGreaterThanOrEqualTo(3);
        });
        String metrics = scrape();
        for (String backlog : new String[] {"hub_inbound_backlog", "hub_replies_backlog", "hub_sequences_backlog", "hub_outbox_sending",
                "hub_events_waiting"}) {
            assertThat(value(metrics, backlog)).as(backlog).isPresent();
        }
    }

    @Test
    void shouldCountAnOptOutAndShowTheRoutesDispatchAndPacing() {
        double before = value(scrape(), "hub_consent_changes_total{action=\"OPT_OUT\",channel=\"sms\",source=\"KEYWORD\"}").orElse(0);
        String phone = newPhone();
        twilio.text(phone, "STOP");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM consent_state WHERE phone = ? AND status = 'OPTED_OUT'", phone) == 1);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                value(scrape(), "hub_consent_changes_total{action=\"OPT_OUT\",channel=\"sms\",source=\"KEYWORD\"}").orElse(0))
                .isEqualTo(before + 1));
        String metrics = scrape();
        assertThat(metrics).contains("camel_exchanges_total{", "routeId=\"ingress-twilio-sms\"")
                .contains("hub_dispatch_throttle_wait_seconds_count")
                .contains("hub_dispatch_breaker_open{");
    }

    /** The value of the first sample whose name and labels start with {@code series}. */
    private static OptionalDouble value(String metrics, String series) {
        return Arrays.stream(metrics.split("\n"))
                .filter(l -> l.startsWith(series.endsWith("}") ? series.substring(0, series.length() - 1) : series))
                .filter(l -> series.endsWith("}") || l.charAt(series.length()) == ' ' || l.charAt(series.length()) == '{')
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }

    private String scrape() {
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
