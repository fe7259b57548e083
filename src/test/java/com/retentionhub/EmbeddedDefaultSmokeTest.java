package com.retentionhub;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.retentionhub.platform.OutboundToggle;
import com.retentionhub.platform.RouteFailures;
import com.retentionhub.support.InstantlyFake;
import com.retentionhub.support.MetaFake;
import com.retentionhub.support.OpenApiConformance;
import com.retentionhub.support.ShiftableClock;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioFake;
import com.retentionhub.support.TwilioWebhookClient;
import com.retentionhub.support.VapiFake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.JobKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default as a newcomer starts it (profile default: an H2 file database in PostgreSQL
 * mode, SEDA, the shipped config/), walked through every capability, so a dialect difference
 * cannot hide a whole feature again. Only the fake providers' addresses, their secrets and a test
 * clock are injected; the database lives in a temporary folder deleted afterwards. Nothing here
 * creates a script, a sequence or a campaign: the Meta lead is nurtured by what ships.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({EmbeddedDefaultSmokeTest.TestClock.class, OpenApiConformance.class})
@ExtendWith(OpenApiConformance.Check.class)
// The context (and its H2 file) closes before the temporary folder is deleted.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDefaultSmokeTest {

    private static final String META_SECRET = "smoke-meta-secret";
    private static final String KEITARO_TOKEN = "smoke-keitaro-token";
    /** Twilio, Instantly, VAPI and Meta Graph on one fake: their paths do not overlap. */
    private static final WireMockServer PROVIDERS = new WireMockServer(options().dynamicPort());

    @TempDir
    static Path data;

    static {
        PROVIDERS.start();
        TwilioFake.acceptMessages(PROVIDERS);
        InstantlyFake.acceptLeads(PROVIDERS);
        VapiFake.acceptCalls(PROVIDERS);
    }

    @DynamicPropertySource
    static void fakesAndSecrets(DynamicPropertyRegistry registry) {
        // application.yaml's own URL, only with the folder moved out of HUB_HOME's data/.
        registry.add("spring.datasource.url", () -> shippedDatabaseUrl().replace(SHIPPED_DATA, data.toAbsolutePath() + "/"));
        // The PostgreSQL tests' schema (SPRING_FLYWAY_SCHEMAS in the environment) is not the newcomer's: H2's default schema.
        registry.add("spring.flyway.schemas", () -> "");
        registry.add("TWILIO_API_BASE_URL", PROVIDERS::baseUrl);
        registry.add("TWILIO_ACCOUNT_SID", () -> "ACsmokesmokesmokesmokesmokesmoke00");
        registry.add("TWILIO_AUTH_TOKEN", () -> "smoke-token");
        registry.add("TWILIO_FROM", () -> "+15017122661");
        registry.add("INSTANTLY_BASE_URL", PROVIDERS::baseUrl);
        registry.add("INSTANTLY_API_KEY", () -> "smoke-instantly-key");
        registry.add("INSTANTLY_CAMPAIGN_ID", () -> "camp-smoke-0001");
        registry.add("VAPI_BASE_URL", PROVIDERS::baseUrl);
        registry.add("VAPI_API_KEY", () -> "smoke-vapi-key");
        registry.add("VAPI_PHONE_NUMBER_ID", () -> "pn-smoke-0001");
        registry.add("VAPI_ASSISTANT_ID", () -> "asst-smoke-0001");
        registry.add("META_GRAPH_BASE_URL", () -> PROVIDERS.baseUrl() + "/v21.0");
        registry.add("META_APP_SECRET", () -> META_SECRET);
        registry.add("META_VERIFY_TOKEN", () -> "smoke-verify");
        registry.add("META_ACCESS_TOKEN", () -> "smoke-page-token");
        registry.add("KEITARO_POSTBACK_TOKEN", () -> KEITARO_TOKEN);
        registry.add("HUB_API_KEYS", () -> "smoke-key");
    }

    /** Where the shipped H2 file lives: data/ under HUB_HOME (the working directory by default). */
    private static final String SHIPPED_DATA = "${HUB_HOME:.}/data/";

    private static String shippedDatabaseUrl() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new FileSystemResource("src/main/resources/application.yaml"));
        Properties p = yaml.getObject();
        String url = p.getProperty("spring.datasource.url");
        assertThat(url).startsWith("jdbc:h2:file:" + SHIPPED_DATA);
        return url;
    }

    @AfterAll
    static void stopFakes() {
        PROVIDERS.stop();
    }

    /** The hub's clock, set by the test (the sequence's delays are hours and days). */
    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        ShiftableClock testClock() {
            return new ShiftableClock();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ShiftableClock clock;

    @Autowired
    OutboundToggle toggle;

    @Autowired
    CamelContext camel;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RouteFailures routeFailures;

    @Test
    @Order(1)
    void shouldRunOnAnH2FileUnderTheTemporaryFolder() throws Exception {
        assertThat(jdbc.queryForObject("SELECT H2VERSION()", String.class)).isNotBlank();
        try (var files = Files.list(data)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(f -> f.startsWith("retention-hub"));
        }
    }

    @Test
    @Order(2)
    void shouldAnswerATextTakeAStaffTextAndHonourStop() {
        TwilioWebhookClient twilio = new TwilioWebhookClient(port, "http://localhost:8080", "smoke-token");
        StaffClient staff = staff();
        String phone = "+14155550199";

        assertThat(twilio.text(phone, "Hi there").statusCode()).isEqualTo(200);
        // The answer first: a staff text takes the conversation over, and a reply still pending then is not sent.
        await().atMost(Duration.ofSeconds(30)).until(() -> staff.conversation(phone),
                c -> c != null && c.get("messages").findValuesAsText("body").stream().anyMatch(b -> b.startsWith("Thanks for texting")));
        assertThat(staff.sendText(phone, "Thanks for writing").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> statusOf(staff, phone, "Thanks for writing"), "simulated"::equals);
        assertThat(twilio.text(phone, "stop").statusCode()).isEqualTo(200);

        JsonNode conversation = await().atMost(Duration.ofSeconds(30))
                .until(() -> staff.conversation(phone), c -> c != null && "stop".equals(c.get("state").asText()));
        assertThat(conversation.get("messages").findValuesAsText("body")).contains("Hi there", "Thanks for writing", "stop",
                "Messages Stopped");
        assertThat(staff.sendText(phone, "one more?").statusCode()).isEqualTo(409);
        assertThat(statusOf(staff, phone, "Messages Stopped")).isEqualTo("simulated");
    }

    @Test
    @Order(3)
    void shouldRunAReachOutAndMessageTheWarmLeadItFinds() {
        StaffClient staff = staff();
        TwilioWebhookClient twilio = new TwilioWebhookClient(port, "http://localhost:8080", "smoke-token");
        String phone = "+14155550177";
        assertThat(staff
                .post("/api/customers",
                        "{\"phone\":\"" + phone + "\",\"name\":\"Rita Moss\",\"serviceStatus\":\"cancelled\",\"tags\":[\"smoke\"]}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> launched = staff.post("/api/reach-out/runs",
                "{\"rule\":{\"tags\":[\"smoke\"]},\"template\":\"Hi {{firstName}},"
                        + " we miss you at {{business}}! Reply STOP to opt out.\",\"pacePerMinute\":600}");
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(201);
        long run = StaffClient.json(launched).get("id").asLong();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> StaffClient.json(staff.get("/api/reach-out/runs/" + run)).get("sent").asInt() == 1);
        assertThat(staff.conversation(phone).get("messages").findValuesAsText("body"))
                .contains("Hi Rita, we miss you at Green Shield Pest Control!"
                        + " Reply STOP to opt out.");

        assertThat(twilio.text(phone, "YES").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> StaffClient.json(staff.get("/api/warm-leads")).get("total").asInt() == 1);
        assertThat(StaffClient.json(staff.get("/api/warm-leads/counts")).get("today").asInt()).isEqualTo(1);
        HttpResponse<String> warm = staff.post("/api/warm-leads/message",
                "{\"template\":\"Hi {{firstName}}, {{business}} here: want us to book"
                        + " your visit this week? Reply STOP to opt out.\",\"pacePerMinute\":600}");
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(201);
        long warmRun = StaffClient.json(warm).get("id").asLong();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> StaffClient.json(staff.get("/api/reach-out/runs/" + warmRun)).get("sent").asInt() == 1);
    }

    @Test
    @Order(4)
    void shouldNurtureAMetaLeadWithWhatShipsAndCountItsSale() throws Exception {
        toggle.setLive(true);
        try {
            String leadgen = "918273645501234";
            String phone = "+14155550166";
            String email = "sam.lee@example.com";
            MetaFake.lead(PROVIDERS, leadgen, "Sam Lee", email, phone);
            assertThat(MetaFake.notify(port, leadgen, META_SECRET).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM enrollment e JOIN leads l ON l.id = e.lead_id"
                    + " WHERE l.external_id = ? AND e.status = 'ACTIVE'", leadgen) == 1);

            // The minute tick of the sequence route, fired now rather than waited for.
            runSequenceTick();
            await().atMost(Duration.ofSeconds(15)).until(() -> InstantlyFake.leadsFor(PROVIDERS, email).size() == 1);
            String first = InstantlyFake.leadsFor(PROVIDERS, email).get(0).getBodyAsString();
            assertThat(first).contains("Green Shield Pest Control").contains("Sam").contains("Reply STOP to opt out");

            // Twelve hours on: the second step (an SMS) is handed to dispatch.
            clock.advance(Duration.ofHours(12).plusMinutes(1));
            runSequenceTick();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> count("SELECT count(*) FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id"
                            + " JOIN leads l ON l.id = e.lead_id WHERE l.external_id = ? AND x.status = 'EXECUTED'", leadgen) == 2);
            assertThat(jdbc.queryForList("SELECT channel FROM outbox WHERE phone = ? ORDER BY id", String.class, phone))
                    .containsExactly("email", "sms");
            assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ? AND channel = 'sms'", String.class, phone))
                    .contains("Green Shield Pest Control");

            // A sale reported by Keitaro for the email's attempt converts the lead and ends the sequence.
            String attempt = jdbc.queryForObject("SELECT attempt_id FROM outbox WHERE phone = ? AND channel = 'email'", String.class,
                    phone);
            HttpResponse<String> postback = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/webhooks/keitaro?token=" + KEITARO_TOKEN + "&subid=" + attempt + "&tid=T-1&status=sale&payout=129.00&currency=usd"))
                    .GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(postback.statusCode()).isEqualTo(200);
            assertThat(postback.body()).startsWith("created");
            runSequenceTick();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> jdbc.queryForObject("SELECT e.status FROM enrollment e JOIN leads l ON l.id = e.lead_id"
                            + " WHERE l.external_id = ?", String.class, leadgen), "CONVERTED"::equals);
        } finally {
            toggle.setLive(false);
        }
    }

    @Test
    @Order(5)
    void shouldAnswerEveryAnalyticsViewAndHaveDeadLetteredNothing() {
        StaffClient staff = staff();
        assertThat(staff.post("/api/analytics/words/refresh", "").statusCode()).isEqualTo(200);
        for (JsonNode view : StaffClient.json(staff.get("/api/analytics")).get("views")) {
            HttpResponse<String> json = staff.get("/api/analytics/" + view.asText() + "?from=2020-01-01");
            assertThat(json.statusCode()).as(view.asText() + ": " + json.body()).isEqualTo(200);
            assertThat(staff.get("/api/analytics/" + view.asText() + "?channel=sms&from=2020-01-01").statusCode()).as(view.asText())
                    .isEqualTo(200);
            assertThat(staff.get("/api/analytics/" + view.asText() + "?format=csv&campaign=x").statusCode()).as(view.asText())
                    .isEqualTo(200);
        }
        // Every capability above ran without a route giving up on an exchange.
        JsonNode letters = StaffClient.json(staff.get("/api/dead-letters"));
        assertThat(letters.isArray()).isTrue();
        assertThat(letters).as(letters.toString()).isEmpty();
        // And no route is failing pass after pass: the check that would have shown sequence-process's ClassCastException.
        assertThat(camel.getManagementStrategy().getEventNotifiers()).contains(routeFailures);
        assertThat(routeFailures.health().getStatus()).as(routeFailures.health().getDetails().toString()).isEqualTo(Status.UP);
    }

    @Test
    @Order(6)
    void shouldNameTheBusinessInAFirstTextAnswerWhoIsThisAndBookAndCancelByTextWithoutPromisingAnInvite() {
        StaffClient staff = staff();
        TwilioWebhookClient twilio = new TwilioWebhookClient(port, "http://localhost:8080", "smoke-token");
        String reached = "+14155550144";
        assertThat(staff.sendText(reached, "Spring special this week").statusCode()).isEqualTo(202);
        assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ?", String.class, reached))
                .isEqualTo("Green Shield Pest Control: Spring special this week. Reply STOP to opt out.");

        String phone = "+14155550133";
        twilio.text(phone, "who is this?");
        await().atMost(Duration.ofSeconds(30)).until(() -> replies(phone).size() == 1);
        assertThat(replies(phone).get(0)).startsWith("This is Green Shield Pest Control.").contains("STOP");
        twilio.text(phone, "can you come sunday at 10am?");
        await().atMost(Duration.ofSeconds(30)).until(() -> replies(phone).size() == 2);
        assertThat(replies(phone).get(1)).startsWith("We're closed Sundays; the first opening is ");
        twilio.text(phone, "yes");
        await().atMost(Duration.ofSeconds(30)).until(() -> replies(phone).size() == 3);
        assertThat(replies(phone).get(2)).startsWith("You're booked for").doesNotContain("invite"); // no SMTP here: no invite promised
        twilio.text(phone, "I need to cancel my appointment");
        await().atMost(Duration.ofSeconds(30)).until(() -> replies(phone).size() == 4);
        assertThat(replies(phone).get(3)).startsWith("Your appointment on").contains("is cancelled");
        assertThat(count("SELECT count(*) FROM appointment WHERE phone = ? AND status = 'cancelled'", phone)).isEqualTo(1);
    }

    private List<String> replies(String phone) {
        return jdbc.queryForList("SELECT body FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%' ORDER BY id", String.class,
                phone);
    }

    /** The operators' console reads and actions (issue 23) on H2: the lead nurtured above, its timeline, figures, bulk preview, do-not-contact. */
    @Test
    @Order(7)
    void shouldShowTheNurturedLeadsTimelineFiguresAndActionsOnH2() {
        StaffClient staff = staff();
        long lead = jdbc.queryForObject("SELECT id FROM leads WHERE external_id = '918273645501234'", Long.class);
        long sequence = jdbc.queryForObject("SELECT sequence_id FROM enrollment WHERE lead_id = ?", Long.class, lead);
        JsonNode timeline = StaffClient.json(staff.get("/api/leads/" + lead + "/timeline"));
        Set<String> kinds = new HashSet<>();
        timeline.get("events").forEach(e -> kinds.add(e.get("kind").asText()));
        assertThat(kinds).contains("enrolled", "enrollment", "step", "attempt", "conversion");
        assertThat(timeline.toString()).contains("129.00");
        JsonNode figures = StaffClient.json(staff.get("/api/sequences/" + sequence + "/step-figures"));
        assertThat(figures.get(0).get("executed").asInt()).isEqualTo(1);
        assertThat(figures.get(0).get("conversions").asInt()).isEqualTo(1);
        JsonNode preview = StaffClient
                .json(staff.post("/api/sequences/" + sequence + "/bulk-enroll", "{\"filter\":{\"q\":\"Sam Lee\"},\"preview\":true}"));
        assertThat(preview.get("notEnrolled").get(0).get("reason").asText()).isEqualTo("converted");
        assertThat(StaffClient
                .json(staff.post("/api/scripts/preview", "{\"channel\":\"SMS\",\"body\":\"Hi {{firstName}}\",\"leadId\":" + lead + "}"))
                .get("text").asText()).isEqualTo("Hi Sam");
        assertThat(staff.post("/api/leads/" + lead + "/do-not-contact", "{\"reason\":\"smoke\"}").statusCode()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM consent_state WHERE phone = '+14155550166' AND status = 'OPTED_OUT'")).isEqualTo(3);
    }

    private void runSequenceTick() throws Exception {
        camel.getComponent("quartz", QuartzComponent.class).getScheduler().triggerJob(JobKey.jobKey("process-sequences", "hub"));
    }

    private StaffClient staff() {
        return new StaffClient(port, "smoke-key");
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    private static String statusOf(StaffClient staff, String phone, String body) {
        JsonNode conversation = staff.conversation(phone);
        if (conversation == null) {
            return null;
        }
        for (JsonNode m : conversation.get("messages")) {
            if (m.get("body").asText().equals(body)) {
                return m.get("status").asText();
            }
        }
        return null;
    }
}
