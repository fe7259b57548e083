package com.retentionhub.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.platform.Channel;
import com.retentionhub.support.GatewayFake;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TestDatabase;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Failover between two HTTP gateways. The primary answers 500 to 30% of recipients and takes
 * longer than the client waits for 10%; the secondary accepts everything. Counted from the fakes'
 * own logs, every message is accepted exactly once across both, the primary's breaker opens and
 * closes again, and nothing reaches a phone that opted out.
 */
// A context of its own (own properties): closed when the class ends, so its pool does not stay open beside the shared one.
@DirtiesContext
class FailoverTest extends HubIntegrationTest {

    static final WireMockServer PRIMARY = new WireMockServer(options().dynamicPort().containerThreads(64));
    static final WireMockServer SECONDARY = new WireMockServer(options().dynamicPort().containerThreads(64));

    static {
        PRIMARY.start();
        SECONDARY.start();
    }

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("HUB_SMS_PROVIDER", () -> "sms-retail");
        registry.add("HUB_SMS_SECONDARY_PROVIDER", () -> "23telecom");
        registry.add("SMS_RETAIL_BASE_URL", PRIMARY::baseUrl);
        registry.add("TELECOM23_BASE_URL", SECONDARY::baseUrl);
        registry.add("SMS_RETAIL_FROM", () -> "+15550001111");
        registry.add("TELECOM23_FROM", () -> "+15550002222");
        registry.add("HUB_HTTP_TIMEOUT_MS", () -> "1000");
        registry.add("hub.dispatch.reconcile-after-seconds", () -> "1");
        registry.add("hub.dispatch.reconcile-period-ms", () -> "500");
        registry.add("hub.dispatch.breaker.failure-rate-percent", () -> "25");
        registry.add("hub.dispatch.breaker.wait-open-seconds", () -> "1");
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_failover_test"));
        registry.add("spring.flyway.schemas", () -> "hub_failover_test");
    }

    private static final Pattern TO_JSON = Pattern.compile("\"to\":\"(\\+\\d+)\"");
    private static final Pattern TO_FORM = Pattern.compile("destination=(%2B\\d+|\\+\\d+)");

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Autowired
    Providers providers;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ConsentLedger consent;

    @Autowired
    TransactionTemplate tx;

    @Test
    void shouldAcceptEveryMessageExactlyOnceAcrossPrimaryAndSecondary() {
        PRIMARY.resetAll();
        SECONDARY.resetAll();
        // Recipients ending 00-29 get a 500, 30-39 a slow answer (accepted, but after the client gave up).
        PRIMARY.stubFor(post(urlPathEqualTo(GatewayFake.SEND)).atPriority(5).willReturn(ok("rt")));
        PRIMARY.stubFor(
                post(urlPathEqualTo(GatewayFake.SEND)).atPriority(1).withRequestBody(matchingJsonPath("$.to", matching(".*[0-2][0-9]$")))
                        .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"internal\"}")));
        PRIMARY.stubFor(
                post(urlPathEqualTo(GatewayFake.SEND)).atPriority(1).withRequestBody(matchingJsonPath("$.to", matching(".*3[0-9]$")))
                        .willReturn(ok("rt-slow").withFixedDelay(2500)));
        PRIMARY.stubFor(get(urlPathMatching(GatewayFake.LOOKUP)).atPriority(5).willReturn(aResponse().withStatus(404)));
        PRIMARY.stubFor(get(urlPathMatching("/api/v1/sms/by-reference/.*3[0-9]")).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"message_id\":\"rt-slow-found\",\"status\":\"sent\"}")));
        SECONDARY.stubFor(
                post(urlPathEqualTo("/v2/messages")).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"data\":{\"id\":\"tc-{{randomValue length=20 type='ALPHANUMERIC'}}\",\"state\":\"ACCEPTD\"}}")));
        SECONDARY.stubFor(get(urlPathEqualTo("/v2/messages")).willReturn(aResponse().withStatus(404)));

        int base = 2_000_000 + ThreadLocalRandom.current().nextInt(7_000) * 1_000;
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            phones.add("+1415" + (base + i));
        }
        List<String> optedOut = phones.subList(40, 60);
        tx.executeWithoutResult(
                s -> optedOut.forEach(p -> consent.record(new ConsentChange(p, Channel.SMS.code(), ConsentChange.Action.OPT_OUT,
                        ConsentChange.Source.KEYWORD, "STOP", "customer", clock.instant()))));
        toggle.setLive(true);
        phones.forEach(
                p -> outbox.enqueue(Outbox.Message.sms("fo:" + p, p, "Spring special: 20% off your first visit").inCampaign("spring")));
        workers.nudge();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> count(
                "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'fo:%' AND status IN ('PENDING', 'SENDING', 'UNKNOWN')") == 0);

        // Slow answers finish after the hub stopped waiting for them: once the fakes' logs settle, each
        // number was accepted once (an opted-out one never), and stays so.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, Integer> accepted = new HashMap<>();
            countAccepted(PRIMARY, TO_JSON, accepted);
            countAccepted(SECONDARY, TO_FORM, accepted);
            for (String phone : phones) {
                assertThat(accepted.getOrDefault(phone, 0)).as("accepted for %s", phone).isEqualTo(optedOut.contains(phone) ? 0 : 1);
            }
        });
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'fo:%' AND status = 'SENT'")).isEqualTo(980);
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'fo:%' AND status = 'BLOCKED'")).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'fo:%' AND provider = '23telecom'"))
                .isGreaterThanOrEqualTo(300);
        assertThat(timesOpened("sms-retail")).isPositive();

        // The primary recovers: the breaker lets probes through and closes.
        PRIMARY.resetAll();
        PRIMARY.stubFor(post(urlPathEqualTo(GatewayFake.SEND)).willReturn(ok("rt")));
        for (int i = 0; i < 30; i++) {
            String phone = "+1415" + (base + 1_000 - 1 - i);
            outbox.enqueue(Outbox.Message.sms("fo-after:" + i + ":" + phone, phone, "Thanks!").withPurpose(Outbox.REPLY));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
            workers.nudge();
            return providers.breaker("sms-retail").getState() == CircuitBreaker.State.CLOSED;
        });
    }

    @Test
    void shouldCarryTrafficOnTheSecondaryWhileOpsDrainThePrimaryAndHoldItWhenBothAreDrained() throws Exception {
        PRIMARY.resetAll();
        SECONDARY.resetAll();
        PRIMARY.stubFor(post(urlPathEqualTo(GatewayFake.SEND)).willReturn(ok("rt")));
        SECONDARY.stubFor(
                post(urlPathEqualTo("/v2/messages")).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withTransformers("response-template")
                        .withBody("{\"data\":{\"id\":\"tc-{{randomValue length=20 type='ALPHANUMERIC'}}\",\"state\":\"ACCEPTD\"}}")));
        toggle.setLive(true);
        String key = "drain:" + ThreadLocalRandom.current().nextInt(1_000_000) + ":";
        try {
            var drained = StaffClient.json(staff.post("/api/providers/sms-retail/drain", "{\"reason\":\"carrier incident\"}"));
            assertThat(drained.get("drained").get("reason").asText()).isEqualTo("carrier incident");
            assertThat(drained.get("order")).extracting(Object::toString).containsExactly("\"sms-retail\"", "\"23telecom\"");

            outbox.enqueue(Outbox.Message.sms(key + "1", newPhone(), "Your appointment is confirmed").withPurpose(Outbox.REPLY));
            workers.nudge();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> count("SELECT count(*) FROM outbox WHERE idempotency_key = ? AND status = 'SENT'",
                            key + "1") == 1);
            assertThat(jdbc.queryForObject("SELECT provider FROM outbox WHERE idempotency_key = ?", String.class, key + "1"))
                    .isEqualTo("23telecom");
            assertThat(GatewayFake.sends(PRIMARY)).as("nothing new through a drained provider").isEmpty();
            assertThat(staff.get("/actuator/prometheus").body()).contains("hub_dispatch_provider_drained{provider=\"sms-retail\"} 1.0")
                    .contains("hub_dispatch_provider_drained{provider=\"23telecom\"} 0.0");

            staff.post("/api/providers/23telecom/drain", "{}");
            outbox.enqueue(Outbox.Message.sms(key + "2", newPhone(), "See you Tuesday").withPurpose(Outbox.REPLY));
            workers.nudge();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> jdbc.queryForObject("SELECT held_reason FROM outbox WHERE idempotency_key = ?",
                            String.class, key + "2") != null);
            assertThat(jdbc.queryForMap("SELECT status, attempts FROM outbox WHERE idempotency_key = ?", key + "2"))
                    .as("both drained: it waits, and the wait is no failed attempt").containsEntry("status", "PENDING")
                    .containsEntry("attempts", 0);

            staff.post("/api/providers/sms-retail/resume", "");
            jdbc.update("UPDATE outbox SET next_attempt_at = ? WHERE idempotency_key = ?", Timestamp.from(clock.instant()), key + "2");
            workers.nudge();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> count("SELECT count(*) FROM outbox WHERE idempotency_key = ? AND status = 'SENT'",
                            key + "2") == 1);
            assertThat(jdbc.queryForObject("SELECT provider FROM outbox WHERE idempotency_key = ?", String.class, key + "2"))
                    .isEqualTo("sms-retail");
            assertThat(staff.post("/api/providers/nope/drain", "{}").statusCode()).isEqualTo(404);
        } finally {
            staff.post("/api/providers/sms-retail/resume", "");
            staff.post("/api/providers/23telecom/resume", "");
        }
        assertThat(StaffClient.json(staff.get("/api/providers"))).allSatisfy(p -> assertThat(p.hasNonNull("drained")).isFalse());
    }

    private static ResponseDefinitionBuilder ok(String prefix) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"message_id\":\"" + prefix + "-{{randomValue length=20 type='ALPHANUMERIC'}}\",\"status\":\"accepted\"}");
    }

    /** A message counts as accepted by a fake when the fake answered its send with a 2xx (even after the client stopped waiting). */
    private static void countAccepted(WireMockServer server, Pattern to, Map<String, Integer> accepted) {
        for (ServeEvent e : server.getAllServeEvents()) {
            if (!e.getRequest().getMethod().getName().equals("POST") || e.getResponse().getStatus() >= 300) {
                continue;
            }
            Matcher m = to.matcher(e.getRequest().getBodyAsString());
            if (m.find()) {
                accepted.merge(m.group(1).replace("%2B", "+"), 1, Integer::sum);
            }
        }
    }

    /** How often the provider's breaker has opened in this context (what ops see as hub_dispatch_breaker_transitions_total). */
    private double timesOpened(String provider) {
        var opened = meters.find("hub.dispatch.breaker.transitions").tags("provider", provider, "to", "OPEN").counter();
        return opened == null ? 0 : opened.count();
    }
}
