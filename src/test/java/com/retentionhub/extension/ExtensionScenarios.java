package com.retentionhub.extension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.EventFeed;
import com.retentionhub.support.HubIntegrationTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hub extended as an integration engineer would: YAML files in a routes folder (written before
 * start-up, and one saved while it runs), the shipped examples switched on, and WireMock standing in
 * for the CRM, Slack and the subscriber's own endpoint. Each subclass runs it on one database and bus:
 * PostgreSQL with SEDA, the embedded H2 default, PostgreSQL with Kafka.
 */
// A context of its own (its own routes folder, examples on, reload on): closed when the class ends.
@DirtiesContext
abstract class ExtensionScenarios extends HubIntegrationTest {

    /** Shared with the subclasses' contexts, so left running until the test JVM ends. */
    static final WireMockServer OUTSIDE = new WireMockServer(options().dynamicPort());
    static final Path EXT_ROUTES;
    static final Path OWN_CONNECTORS;

    static {
        OUTSIDE.start();
        try {
            EXT_ROUTES = Files.createTempDirectory("hub-ext-routes");
            OWN_CONNECTORS = Files.createTempDirectory("hub-own-connectors");
            // A subscriber written before start-up: every text received, POSTed out with its event id.
            Files.writeString(EXT_ROUTES.resolve("ext-texts-seen.camel.yaml"), """
                    - route:
                        id: ext-texts-seen
                        description: every text received, to the test's endpoint
                        from:
                          uri: hub:events
                          parameters:
                            types: message.received
                          steps:
                            - setHeader:
                                name: X-Event-Id
                                simple: "${header.HubEventId}"
                            - to:
                                uri: kamelet:http-sink/ext-texts-seen-post
                                parameters:
                                  url: "{{ext.test.outside}}/seen"
                    """);
            // A second subscriber on the very same endpoint: each route reads with a cursor of its own.
            Files.writeString(EXT_ROUTES.resolve("ext-texts-seen-too.camel.yaml"), """
                    - route:
                        id: ext-texts-seen-too
                        description: every text received, to a second endpoint of the test's
                        from:
                          uri: hub:events
                          parameters:
                            types: message.received
                          steps:
                            - to:
                                uri: kamelet:http-sink/ext-texts-seen-too-post
                                parameters:
                                  url: "{{ext.test.outside}}/seen-too"
                    """);
            // A subscriber that always fails: its failures are dead letters, and nobody else waits for it.
            Files.writeString(EXT_ROUTES.resolve("ext-always-fails.camel.yaml"), """
                    - route:
                        id: ext-always-fails
                        description: fails on every opt-out
                        from:
                          uri: hub:events
                          parameters:
                            types: consent.opted_out,message.received
                          steps:
                            - throwException:
                                exceptionType: java.lang.IllegalStateException
                                message: subscriber down
                    """);
            // A name the catalog also has: the hub's own (this folder comes first on the Kamelet path) wins.
            Files.writeString(EXT_ROUTES.resolve("ext-clash.camel.yaml"), """
                    - route:
                        id: ext-clash
                        description: calls log-sink, which the hub's connectors also define
                        from:
                          uri: direct:ext-clash
                          steps:
                            - to:
                                uri: kamelet:log-sink/ext-clash-log
                                parameters:
                                  url: "{{ext.test.outside}}/clash"
                    """);
            Files.writeString(OWN_CONNECTORS.resolve("log-sink.kamelet.yaml"), """
                    apiVersion: camel.apache.org/v1
                    kind: Kamelet
                    metadata:
                      name: log-sink
                    spec:
                      definition:
                        title: The hub's log-sink (a test's stand-in)
                        required: [url]
                        properties:
                          url:
                            title: URL
                            type: string
                      template:
                        from:
                          uri: kamelet:source
                          steps:
                            - setHeader:
                                name: CamelHttpMethod
                                constant: POST
                            - to: "{{url}}"
                    """);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void extensions(DynamicPropertyRegistry registry) {
        registry.add("camel.main.routes-include-pattern",
                () -> "file:routes/*.camel.yaml,file:examples/*.camel.yaml,file:" + EXT_ROUTES + "/ext-*.camel.yaml");
        registry.add("camel.component.kamelet.location", () -> "file:" + OWN_CONNECTORS + ",file:connectors,classpath:kamelets");
        registry.add("hub.routes.reload", () -> "true");
        registry.add("ext.test.outside", OUTSIDE::baseUrl);
        registry.add("hub.extensions.retry-delay-ms", () -> "100");
        registry.add("hub.examples.form-leads.enabled", () -> "true");
        registry.add("HUB_EXAMPLE_FORM_SECRET", () -> "form-secret-1");
        registry.add("hub.examples.crm-sync.enabled", () -> "true");
        registry.add("hub.examples.crm-sync.url", () -> OUTSIDE.baseUrl() + "/crm");
        registry.add("hub.examples.slack-escalations.enabled", () -> "true");
        registry.add("hub.examples.slack-escalations.webhook-url", () -> OUTSIDE.baseUrl() + "/slack");
    }

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    BusinessEvents events;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    ExtensionRoutes extensionRoutes;

    @Autowired
    EventFeed feed;

    @Autowired
    LeadIntake intake;

    @BeforeEach
    void outside() {
        OUTSIDE.resetAll();
        OUTSIDE.stubFor(post(urlPathEqualTo("/seen")).willReturn(aResponse().withStatus(200)));
        OUTSIDE.stubFor(post(urlPathEqualTo("/seen-too")).willReturn(aResponse().withStatus(200)));
        OUTSIDE.stubFor(post(urlPathEqualTo("/clash")).willReturn(aResponse().withStatus(200)));
        OUTSIDE.stubFor(post(urlPathEqualTo("/slack")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @Test
    void shouldDeliverTheTextReceivedEventOnceToARouteWrittenBeforeStartUp() {
        String phone = newPhone();

        assertThat(twilio.text(phone, "Do you treat for termites?").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> seen(phone).size() == 1);
        // Nothing more arrives for it: once, with the event's id for dedupe.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).until(() -> seen(phone).size() == 1);
        List<LoggedRequest> seen = seen(phone);
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).getHeader("X-Event-Id")).startsWith("message.received:");
        assertThat(seen.get(0).getBodyAsString()).contains("\"type\":\"message.received\"").contains("termites");
        // The route subscribed to the same hub:events URI sees it too, once.
        await().atMost(Duration.ofSeconds(30)).until(() -> OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/seen-too"))
                .withRequestBody(containing("\"phone\":\"" + phone + "\""))).size() == 1);
    }

    @Test
    void shouldDeadLetterAFailingSubscribersEventsWithoutHoldingTheHubUp() {
        String phone = newPhone();

        assertThat(twilio.text(phone, "STOP").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM dead_letter WHERE route_id = 'ext-always-fails' AND body LIKE ?",
                "%consent.opted_out%" + phone + "%") == 1);
        // The hub went on: the opt-out holds, and the other subscriber saw the text.
        await().atMost(Duration.ofSeconds(30)).until(() -> seen(phone).size() == 1);
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ? AND action = 'OPT_OUT'", phone)).isEqualTo(1);
    }

    @Test
    void shouldQueueThroughHubMessagesFromARouteSavedWhileRunningAndRefuseAnOptedOutPhone() throws Exception {
        Path saved = EXT_ROUTES.resolve("ext-queue-message.camel.yaml");
        Files.writeString(saved, """
                - route:
                    id: ext-queue-message
                    description: queues a text through the hub, answering what the hub said
                    from:
                      uri: direct:ext-queue-message
                      steps:
                        - doTry:
                            steps:
                              - to: hub:messages
                              - setBody:
                                  simple: "queued ${body[outboxId]}"
                            doCatch:
                              - exception:
                                  - com.retentionhub.extension.HubRefusedException
                                steps:
                                  - setBody:
                                      simple: "refused: ${exception.message}"
                """);
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getRoute("ext-queue-message") != null);

        String optedOut = newPhone();
        assertThat(twilio.text(optedOut, "STOP").statusCode()).isEqualTo(200);
        String refused = producer.requestBodyAndHeader("direct:ext-queue-message", Map.of("phone", optedOut, "text", "Spring special!"),
                HubHeaders.IDEMPOTENCY_KEY, "promo-1-" + optedOut, String.class);
        assertThat(refused).isEqualTo("refused: recipient " + optedOut + " has opted out; nothing was queued");
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND idempotency_key LIKE 'ext:%'", optedOut)).isZero();

        String customer = newPhone();
        String queued = producer.requestBodyAndHeader("direct:ext-queue-message", Map.of("phone", customer, "text", "Spring special!"),
                HubHeaders.IDEMPOTENCY_KEY, "promo-1-" + customer, String.class);
        String again = producer.requestBodyAndHeader("direct:ext-queue-message", Map.of("phone", customer, "text", "Spring special!"),
                HubHeaders.IDEMPOTENCY_KEY, "promo-1-" + customer, String.class);
        assertThat(queued).startsWith("queued ").isEqualTo(again);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND idempotency_key = ?", customer, "ext:promo-1-" + customer))
                .isEqualTo(1);

        // No key: refused with the reason, nothing queued.
        String keyless = producer.requestBody("direct:ext-queue-message", Map.of("phone", customer, "text", "again"), String.class);
        assertThat(keyless).startsWith("refused: header HubIdempotencyKey is required");

        // A broken save is refused with file, line and reason; the route that ran keeps running.
        Files.writeString(saved, Files.readString(saved).replace("to: hub:messages", "to: nosuchthing:messages"));
        await().atMost(Duration.ofSeconds(30)).until(() -> extensionRoutes.lastRefusal() != null);
        assertThat(extensionRoutes.lastRefusal()).contains(saved.toString() + " line ").contains("unknown endpoint 'nosuchthing:messages'");
        assertThat(camel.getRoute("ext-queue-message")).isNotNull();
        assertThat(producer.requestBodyAndHeader("direct:ext-queue-message", Map.of("phone", customer, "text", "Spring special!"),
                HubHeaders.IDEMPOTENCY_KEY, "promo-1-" + customer, String.class)).isEqualTo(queued);
        Files.delete(saved);
    }

    @Test
    void shouldRecordAndLookUpConsentThroughHubConsent() {
        String phone = newPhone();
        assertThat(twilio.text(phone, "STOP").statusCode()).isEqualTo(200);

        Map<?, ?> optedIn = producer.requestBodyAndHeader("hub:consent", Map.of("phone", phone, "evidence", "signed paper form, 2026-12-01",
                "actor", "front-desk"), HubHeaders.CONSENT_ACTION, "opt-in", Map.class);
        assertThat(optedIn.get("status")).isEqualTo("OPTED_IN");
        Map<?, ?> looked = producer.requestBody("hub:consent", Map.of("phone", phone), Map.class);
        assertThat(looked.get("status")).isEqualTo("OPTED_IN");
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ? AND action = 'OPT_IN' AND actor = 'front-desk'", phone))
                .isEqualTo(1);
    }

    @Test
    void shouldShowExtensionRoutesInJmxLikeTheHubs() throws Exception {
        for (String id : List.of("ext-texts-seen", "ext-crm-sync", "dispatch-sms")) {
            assertThat(ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + id + "\",*"), null))
                    .as(id).isNotEmpty();
        }
    }

    @Test
    void shouldLetTheHubsOwnConnectorWinANameClashWithTheCatalog() {
        producer.sendBody("direct:ext-clash", "{\"hello\":1}");

        OUTSIDE.verify(1, postRequestedFor(urlPathEqualTo("/clash")).withRequestBody(equalTo("{\"hello\":1}")));
    }

    @Test
    void shouldTakeAFormBuildersLeadVerifiedByItsSharedSecret() throws Exception {
        String phone = newPhone();
        String form = "{\"full_name\":\"Dana Scully\",\"phone_number\":\"" + phone.substring(2)
                + "\",\"email_address\":\"dana@example.com\"}";

        HttpResponse<String> wrong = postForm(form, "not-the-secret");
        HttpResponse<String> taken = postForm(form, "form-secret-1");
        HttpResponse<String> again = postForm(form, "form-secret-1");
        HttpResponse<String> bad = postForm("{\"full_name\":\"No Phone\",\"phone_number\":\"12\"}", "form-secret-1");

        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(taken.statusCode()).isEqualTo(200);
        assertThat(taken.body()).contains("\"duplicate\":false");
        assertThat(again.body()).contains("\"duplicate\":true");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body().strip()).isEqualTo("phone is not a valid number");
        assertThat(count("SELECT count(*) FROM leads WHERE phone = ? AND name = 'Dana Scully' AND source = 'API'", phone)).isEqualTo(1);
    }

    @Test
    void shouldPostEveryConversionToTheCrmRetryingAFailure() {
        String phone = newPhone();
        OUTSIDE.stubFor(post(urlPathEqualTo("/crm")).inScenario("crm").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        OUTSIDE.stubFor(post(urlPathEqualTo("/crm")).inScenario("crm").whenScenarioStateIs("up").willReturn(aResponse().withStatus(200)));

        tx.executeWithoutResult(s -> events.publish(BusinessEvents.Type.CONVERTED, "sub-" + phone + ":tid-1:sale", phone, null,
                Map.of("subId", "sub-" + phone, "tid", "tid-1", "status", "sale", "payout", 120)));

        await().atMost(Duration.ofSeconds(30)).until(() -> OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/crm"))).size() == 2);
        List<LoggedRequest> calls = OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/crm")));
        assertThat(calls).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly("lead.converted:sub-" + phone + ":tid-1:sale");
        assertThat(calls.get(1).getBodyAsString()).contains("\"type\":\"lead.converted\"").contains("\"tid\":\"tid-1\"");
    }

    @Test
    void shouldPostTheSaleOfALeadWithNoPhoneToTheCrm() throws Exception {
        // A lead from an email-only form, its sale reported by Keitaro against the lead's own sub id:
        // the event carries no phone, and the postback must still be taken (it once failed with a 500).
        String subId = "mail-only-" + System.nanoTime();
        long lead = intake.accept(new LeadIntake.NewLead("Mae Holt", null, subId + "@example.com", LeadIntake.Source.API, null, subId,
                null)).id();
        OUTSIDE.stubFor(post(urlPathEqualTo("/crm")).withRequestBody(containing(subId)).willReturn(aResponse().withStatus(200)));

        HttpResponse<String> postback = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/webhooks/keitaro?token=keitaro-token-1&subid=" + subId + "&tid=T-1&status=sale&payout=30")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(postback.statusCode()).isEqualTo(200);
        assertThat(postback.body()).startsWith("created");
        await().atMost(Duration.ofSeconds(30)).until(() -> !OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/crm"))
                .withRequestBody(containing(subId))).isEmpty());
        assertThat(OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/crm")).withRequestBody(containing(subId))).get(0).getBodyAsString())
                .contains("\"leadId\":" + lead).doesNotContain("\"phone\":\"+");
    }

    @Test
    void shouldAlertSlackOnAnEscalationThroughTheCatalogsSlackSink() {
        String phone = newPhone();

        tx.executeWithoutResult(s -> events.publish(BusinessEvents.Type.ESCALATED, "esc-" + phone, phone, "sms",
                Map.of("conversationId", 1, "inboundEventId", 2, "reason", "asked for a human", "text", "Can I talk to a person?")));

        await().atMost(Duration.ofSeconds(30)).until(() -> !OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/slack"))
                .withRequestBody(containing(phone))).isEmpty());
        String alert = OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/slack")).withRequestBody(containing(phone))).get(0)
                .getBodyAsString();
        assertThat(alert).contains("asked for a human").contains("#escalations");
    }

    @Test
    void shouldKeepFeedRowsOnlyUntilEverySubscriberHasReadThem() {
        String phone = newPhone();
        assertThat(twilio.text(phone, "Is Tuesday free?").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> seen(phone).size() == 1);
        // Every subscriber reads on (types it does not take move its cursor too), so the rows behind all of them can go.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count("SELECT count(*) FROM route_event WHERE id > (SELECT MIN(last_id) FROM route_event_cursor)") == 0);

        feed.prune();

        assertThat(count("SELECT count(*) FROM route_event")).isZero();
        assertThat(
                count("SELECT count(*) FROM route_event_cursor WHERE subscriber IN ('ext-texts-seen', 'ext-always-fails', 'ext-crm-sync')"))
                .isEqualTo(3);
    }

    private List<LoggedRequest> seen(String phone) {
        return OUTSIDE.findAll(postRequestedFor(urlPathEqualTo("/seen")).withRequestBody(containing("\"phone\":\"" + phone + "\""))
                .withRequestBody(containing("message.received")));
    }

    private HttpResponse<String> postForm(String json, String secret) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/ext/form-leads"))
                .header("Content-Type", "application/json").header("X-Form-Secret", secret).POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
