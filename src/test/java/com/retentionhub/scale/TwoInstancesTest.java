package com.retentionhub.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubProcess;
import com.retentionhub.support.SmsRetailGateway;
import com.retentionhub.support.TestDatabase;
import com.retentionhub.support.TwilioWebhookClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two hub instances in JVMs of their own share one PostgreSQL schema and an embedded KRaft broker,
 * as the production compose runs them behind its proxy (one public URL, so a signed webhook is
 * valid at either). Texts arrive at both; 5,000 sequence steps come due at once; one instance is
 * killed with SIGKILL in the middle. Every acknowledged text must be processed exactly once and
 * every step must reach the (stateful, loopback) SMS gateway exactly once.
 */
@EmbeddedKafka(kraft = true, partitions = 4, topics = {"hub.inbound", "hub.outbound", "hub.events", "hub.dead-letters"})
class TwoInstancesTest {

    private static final String SCHEMA = "hub_two_instances_test";
    private static final String PUBLIC_URL = "https://hub.example.test";
    private static final String TOKEN = "two-instances-token";
    private static final int TEXTS = 5_000;
    private static final int STEPS = 5_000;
    private static final Path LOGS = Path.of("target", "two-instances");

    private static SmsRetailGateway gateway;
    private static HubProcess a;
    private static HubProcess b;

    @BeforeAll
    static void startTwoHubs(EmbeddedKafkaBroker kafka) throws Exception {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA);
        gateway = new SmsRetailGateway();
        Files.createDirectories(LOGS);
        Path openHours = Files.writeString(LOGS.resolve("quiet-hours-open.yaml"), "default: \"00:00-24:00\"\nstates: {}\n");
        Map<String, String> env = new HashMap<>();
        env.put("SPRING_PROFILES_ACTIVE", "postgres,kafka");
        env.put("DATABASE_URL", TestDatabase.url(SCHEMA));
        env.put("DATABASE_USER", TestDatabase.user());
        env.put("DATABASE_PASSWORD", TestDatabase.password());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString());
        env.put("PUBLIC_BASE_URL", PUBLIC_URL);
        env.put("TWILIO_AUTH_TOKEN", TOKEN);
        env.put("HUB_API_KEYS", "two-instances-key");
        env.put("HUB_OPS_PASSWORD", "two-instances-ops");
        env.put("SMS_BOT_ENABLED", "false");
        env.put("OUTBOUND_LIVE_TOGGLE", "1");
        env.put("HUB_SMS_PROVIDER", "sms-retail");
        env.put("SMS_RETAIL_BASE_URL", gateway.baseUrl());
        env.put("SMS_RETAIL_API_KEY", "two-instances");
        env.put("SMS_RETAIL_FROM", "+15550001111");
        // Paced, so the steps are still going out when an instance is killed (each instance paces its own sends).
        env.put("SMS_RETAIL_RATE_PER_SECOND", "100");
        env.put("HUB_QUIET_HOURS_FILE", openHours.toAbsolutePath().toString());
        env.put("HUB_SEQUENCES_CRON", "0/2+*+*+*+*+?");
        // A pool of 12 each (the postgres profile's 24 is for production): see the connection budget in application-test.yaml.
        List<String> args = List.of("--spring.flyway.schemas=" + SCHEMA, "--spring.datasource.hikari.maximum-pool-size=12",
                "--hub.recovery.grace-seconds=5", "--hub.recovery.interval-seconds=3", "--hub.dispatch.stuck-after-seconds=20");
        // One after the other: two hubs booting at once on an empty database can both try to store the
        // sequence route's Quartz job, and the second then fails to start (a known first-boot race, see
        // docs/operations.md); what this test is about is two running instances sharing the work.
        a = HubProcess.start("hub-a", freePort(), env, args, LOGS);
        a.awaitReady(Duration.ofMinutes(5));
        b = HubProcess.start("hub-b", freePort(), env, args, LOGS);
        b.awaitReady(Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (HubProcess hub : new HubProcess[] {a, b}) {
            if (hub != null) {
                hub.close();
            }
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldProcessEveryTextAndSendEveryStepOnceWhenOneOfTwoInstancesIsKilledMidway() throws Exception {
        long sequence = createOneStepSequence();
        sql("INSERT INTO " + SCHEMA + ".leads (phone, name, source, status, created_at, updated_at)"
                + " SELECT '+1' || (2000000000 + g), 'Lead ' || g, 'BULK', 'NEW', now(), now() FROM generate_series(1, " + STEPS + ") g",
                "INSERT INTO " + SCHEMA + ".enrollment (sequence_id, lead_id, status, next_position, next_run_at, enrolled_at, updated_at)"
                        + " SELECT " + sequence + ", id, 'ACTIVE', 1, now() - interval '1 minute', now(), now() FROM " + SCHEMA + ".leads");

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger redirected = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(12);
        List<Future<?>> load = new ArrayList<>();
        TwilioWebhookClient[] clients = {new TwilioWebhookClient(a.port(), PUBLIC_URL, TOKEN),
                new TwilioWebhookClient(b.port(), PUBLIC_URL, TOKEN)};
        for (int i = 0; i < TEXTS; i++) {
            int n = i;
            load.add(senders.submit(() -> deliver(clients, n, acknowledged, redirected)));
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= TEXTS / 5);
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.arrivals() >= STEPS / 5);
        long textsProcessedByA = counter(a, "hub_inbound_processed_total");
        long textsProcessedByB = counter(b, "hub_inbound_processed_total");
        long sendsByA = counter(a, "hub_dispatch_outcome_total");
        long sendsByB = counter(b, "hub_dispatch_outcome_total");
        b.kill();
        int ackedAtKill = acknowledged.size();
        long sentAtKill = gateway.arrivals();
        for (Future<?> f : load) {
            f.get(120, TimeUnit.SECONDS);
        }
        senders.shutdown();

        assertThat(textsProcessedByA).as("texts processed by A before the kill").isPositive();
        assertThat(textsProcessedByB).as("texts processed by B before the kill").isPositive();
        assertThat(sendsByA).as("sends by A before the kill").isPositive();
        assertThat(sendsByB).as("sends by B before the kill").isPositive();
        assertThat(ackedAtKill).as("killed while texts were still arriving").isLessThan(TEXTS);
        assertThat(sentAtKill).as("killed while steps were still going out").isLessThan(STEPS);
        assertThat(acknowledged).as("every text acknowledged by one instance or the other").hasSize(TEXTS);

        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() -> query("SELECT count(*) FROM " + SCHEMA
                + ".inbound_event WHERE processed_at IS NULL") == 0 && gateway.recipients() >= STEPS);
        // A late duplicate would arrive now: the gateway goes on seeing each step once.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gateway.recipientsReachedTwice()).as("no step sent twice").isZero();
            assertThat(query("SELECT count(*) FROM " + SCHEMA + ".message WHERE direction = 'IN'")).as("processed once each")
                    .isEqualTo(TEXTS);
        });

        assertThat(query("SELECT count(*) FROM " + SCHEMA + ".inbound_event")).as("stored once each").isEqualTo(TEXTS);
        assertThat(query("SELECT count(DISTINCT dedupe_key) FROM " + SCHEMA + ".inbound_event")).isEqualTo(TEXTS);
        assertThat(query("SELECT count(*) FROM " + SCHEMA + ".message WHERE direction = 'IN'")).as("processed once each").isEqualTo(TEXTS);
        assertThat(query("SELECT count(DISTINCT inbound_event_id) FROM " + SCHEMA + ".message WHERE direction = 'IN'")).isEqualTo(TEXTS);
        assertThat(gateway.recipients()).as("every step reached the gateway").isEqualTo(STEPS);
        assertThat(gateway.recipientsReachedTwice()).as("no step sent twice").isZero();
        assertThat(query("SELECT count(*) FROM " + SCHEMA + ".outbox WHERE status = 'SENT'")).isEqualTo(STEPS);
        assertThat(query("SELECT count(*) FROM " + SCHEMA + ".step_execution")).as("one execution per step").isEqualTo(STEPS);
        System.out.printf("two instances: %d texts (%d redirected after the kill), %d steps; at the kill %d acknowledged, %d sent;"
                + " gateway arrivals %d%n", TEXTS, redirected.get(), STEPS, ackedAtKill, sentAtKill, gateway.arrivals());
    }

    /** Like the proxy: half the texts go to each instance, and a request the dead one cannot answer goes to the other. */
    private static void deliver(TwilioWebhookClient[] clients, int n, Set<String> acknowledged, AtomicInteger redirected) {
        String sid = "SM" + String.format("%032d", n);
        String phone = "+1415" + String.format("%07d", 5_550_000 + n % 1_000);
        // No digits in the text: "911" in it would rightly escalate, and an acknowledgement would join the sends.
        Map<String, String> form = TwilioWebhookClient.inbound(sid, phone, "Hi, do you treat for ants this week?");
        for (int attempt = 0; attempt < 6; attempt++) {
            TwilioWebhookClient client = clients[(n + attempt) % 2];
            try {
                if (client.post("/sms", form).statusCode() == 200) {
                    acknowledged.add(sid);
                    if (attempt > 0) {
                        redirected.incrementAndGet();
                    }
                    return;
                }
            } catch (IllegalStateException e) {
                // no answer: try the other instance, as the proxy would
            }
        }
        throw new IllegalStateException("no instance acknowledged " + sid);
    }

    private long createOneStepSequence() throws Exception {
        api("/api/scripts",
                "{\"name\":\"two-instances-offer\",\"channel\":\"SMS\",\"body\":\"Hi {{firstName}}, {{business}} has a spring offer.\"}");
        String created = api("/api/sequences", "{\"name\":\"two-instances\",\"status\":\"ACTIVE\",\"steps\":[{\"channel\":\"SMS\","
                + "\"delay\":{\"value\":0,\"unit\":\"minutes\"},\"script\":\"two-instances-offer\"}]}");
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(created);
        assertThat(id.find()).as("sequence created: " + created).isTrue();
        return Long.parseLong(id.group(1));
    }

    private String api(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(a.url(path))).header("X-API-Key", "two-instances-key")
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 201);
        return r.body();
    }

    /** The sum of a counter's series on one instance's Prometheus page. */
    private static long counter(HubProcess hub, String name) throws Exception {
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/prometheus"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.url(null), TestDatabase.user(), TestDatabase.password());
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static long query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.url(null), TestDatabase.user(), TestDatabase.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
