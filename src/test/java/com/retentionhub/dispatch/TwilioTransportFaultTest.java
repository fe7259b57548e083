package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.platform.OutboundToggle;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.ShiftableClock;
import com.retentionhub.support.TestDatabase;
import com.retentionhub.support.TwilioTransportFake;
import com.retentionhub.support.TwilioTransportFake.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 1,000 texts through the real Twilio SDK, camel-twilio and the twilio-sms-sink Kamelet, to a
 * Twilio fake on a raw socket whose first answer to a recipient goes wrong: on 10% it accepts the
 * message and then never answers, on 10% it never answers and never accepts, on 5% it resets the
 * connection (after accepting on half of them, before on the other half), and once 300 are in it
 * refuses every connection for 5 s. Counted from the fake's own log, every text is accepted exactly
 * once, and each is SENT with the id Twilio gave it.
 */
@Import(HubIntegrationTest.CleanDatabase.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS) // its own fake and timeouts: do not keep its connections open
class TwilioTransportFaultTest {

    /** Longer than the hub's read timeout, so a stalled request is one the hub gave up on. */
    static final TwilioTransportFake TWILIO = start();

    static TwilioTransportFake start() {
        try {
            return new TwilioTransportFake(new ShiftableClock(), Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        String schema = System.getenv().getOrDefault("SPRING_FLYWAY_SCHEMAS", "hub_test") + "_twilio_faults";
        registry.add("spring.datasource.url", () -> TestDatabase.url(schema));
        registry.add("spring.flyway.schemas", () -> schema);
        registry.add("hub.twilio.api-base-url", TWILIO::baseUrl);
        // Short waits so 1,000 texts with 25% faults finish in seconds; the shipped defaults are the SDK's.
        registry.add("hub.twilio.connect-timeout-ms", () -> "1000");
        registry.add("hub.twilio.read-timeout-ms", () -> "800");
        registry.add("hub.dispatch.reconcile-after-seconds", () -> "1");
        registry.add("hub.dispatch.reconcile-period-ms", () -> "300");
        registry.add("hub.dispatch.backoff-base-seconds", () -> "1");
        registry.add("hub.dispatch.max-attempts", () -> "10");
        registry.add("hub.dispatch.parallel-calls", () -> "64"); // a claimed batch's calls in one round: a stall costs one read timeout per batch
        registry.add("hub.dispatch.breaker.wait-open-seconds", () -> "1");
        registry.add("INSTANTLY_BASE_URL", () -> "http://127.0.0.1:9");
        registry.add("VAPI_BASE_URL", () -> "http://127.0.0.1:9");
        registry.add("META_GRAPH_BASE_URL", () -> "http://127.0.0.1:9/v21.0");
    }

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Autowired
    Providers providers;

    @Autowired
    MeterRegistry meters;

    @Autowired
    OutboundToggle toggle;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void offline() {
        toggle.setLive(false);
    }

    @AfterAll
    static void stop() throws IOException {
        TWILIO.close();
    }

    @Test
    void shouldAcceptEveryTextExactlyOnceWhenTwilioTimesOutResetsAndRefusesConnections() throws IOException {
        int base = 2_000_000 + ThreadLocalRandom.current().nextInt(7_000) * 1_000;
        Map<String, Integer> index = new HashMap<>();
        List<Outbox.Message> texts = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String phone = "+1415" + (base + i);
            index.put(phone, i);
            texts.add(Outbox.Message.sms("tf:" + phone, phone, "Your visit #" + i + " is confirmed").withPurpose(Outbox.REPLY));
        }
        // Spread over the run (one in 20 each), so the faults come mixed with good answers as they would.
        TWILIO.faults((to, attempt) -> attempt > 1 || !index.containsKey(to) ? Fault.NONE : switch (index.get(to) % 20) {
            case 0, 1 -> Fault.TIMEOUT_AFTER_ACCEPTING;
            case 2, 3 -> Fault.TIMEOUT_BEFORE_ACCEPTING;
            case 4 -> index.get(to) / 20 % 2 == 0 ? Fault.RESET_AFTER_ACCEPTING : Fault.RESET_BEFORE_ACCEPTING;
            default -> Fault.NONE;
        });
        toggle.setLive(true);
        outbox.enqueueAll(texts);
        workers.nudge();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> TWILIO.accepted().size() >= 300);
        TWILIO.refuseConnectionsFor(Duration.ofSeconds(5));
        assertThat(TWILIO.listening()).as("connections are refused").isFalse();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> count(
                "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'tf:%' AND status IN ('PENDING', 'SENDING', 'UNKNOWN')") == 0);

        assertThat(jdbc.queryForList("SELECT status, count(*) AS n FROM outbox WHERE idempotency_key LIKE 'tf:%' GROUP BY status").stream()
                .collect(Collectors.toMap(r -> (String) r.get("status"), r -> ((Number) r.get("n")).intValue())))
                .as("outbox rows by status")
                .isEqualTo(Map.of("SENT", 1_000));
        Map<String, List<String>> sids = TWILIO.accepted().stream()
                .collect(Collectors.groupingBy(TwilioTransportFake.Accepted::to,
                        Collectors.mapping(TwilioTransportFake.Accepted::sid, Collectors.toList())));
        Map<String, Map<String, Object>> rows = new HashMap<>();
        jdbc.queryForList("SELECT phone, status, provider_id, last_error FROM outbox WHERE idempotency_key LIKE 'tf:%'")
                .forEach(r -> rows.put((String) r.get("phone"), r));
        for (String phone : index.keySet()) {
            assertThat(sids.getOrDefault(phone, List.of())).as("accepted by Twilio for %s", phone).hasSize(1);
            assertThat(rows.get(phone)).as("the hub's row for %s", phone).containsEntry("status", "SENT")
                    .containsEntry("provider_id", sids.get(phone).get(0));
        }
        // The faults did happen: texts were sent again after a lookup found nothing, and the refusals opened the breaker.
        assertThat(TWILIO.creates()).isGreaterThan(1_000);
        assertThat(TWILIO.lists()).isGreaterThanOrEqualTo(250);
        assertThat(timesOpened("twilio")).isPositive();
    }

    private int count(String sql) {
        return jdbc.queryForObject(sql, Integer.class);
    }

    /** How often the provider's breaker has opened in this context (what ops see as hub_dispatch_breaker_transitions_total). */
    private double timesOpened(String provider) {
        var opened = meters.find("hub.dispatch.breaker.transitions").tags("provider", provider, "to", "OPEN").counter();
        return opened == null ? 0 : opened.count();
    }
}
