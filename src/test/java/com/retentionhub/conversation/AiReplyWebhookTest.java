package com.retentionhub.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TestDatabase;
import com.retentionhub.support.TwilioFake;
import com.retentionhub.support.TwilioWebhookClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Replies through a WireMock fake of the OpenAI chat-completions API, in its wire format. This
 * context has a model configured and a database schema of its own.
 */
// A context of its own (own properties): closed when the class ends, so its pool does not stay open beside the shared one.
@DirtiesContext
class AiReplyWebhookTest extends HubIntegrationTest {

    static final WireMockServer OPENAI = new WireMockServer(options().dynamicPort());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shipped business profile plus a fixed acknowledgement for the first warm reply to a campaign text. */
    static final Path BUSINESS;

    static {
        OPENAI.start();
        try {
            BUSINESS = Files.createTempFile("business-with-acknowledgement", ".yaml");
            Files.writeString(BUSINESS, Files.readString(Path.of("config/business.yaml"))
                    + "\ncampaignReplyAcknowledgement: \"Thanks! We'll call you shortly.\"\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("hub.llm.base-url", () -> OPENAI.baseUrl() + "/v1");
        registry.add("hub.llm.api-key", () -> "sk-test-not-a-real-key");
        registry.add("hub.llm.timeout-seconds", () -> "1");
        registry.add("hub.conversation.max-ai-turns", () -> "12");
        registry.add("hub.business-file", BUSINESS::toString);
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_ai_test"));
        registry.add("spring.flyway.schemas", () -> "hub_ai_test");
    }

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void resetModel() {
        OPENAI.resetAll();
    }

    @Test
    void shouldSendTheModelsReplyWrittenFromTheBusinessContextAndMoveAlongADeclaredTransition() throws Exception {
        toggle.setLive(true);
        answerWith(completion("{\"reply\":\"Yes! A general treatment is $129 for the first visit. Want us to come Thursday?\","
                + "\"next_state\":\"interested\",\"intent\":\"pricing\",\"escalate\":false}"));
        String phone = newPhone();

        twilio.text(phone, "How much is a general pest treatment?");

        await().atMost(Duration.ofSeconds(10)).until(() -> "interested".equals(state(phone)));
        await().atMost(Duration.ofSeconds(10)).until(() -> sentTo(phone) != null);
        assertThat(sentTo(phone)).contains("Body=Yes! A general treatment is $129 for the first visit. Want us to come Thursday?");
        String prompt = OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0).getBodyAsString();
        assertThat(prompt).contains("Green Shield Pest Control", "$129 first visit", "How much is a general pest treatment?",
                "Conversation state: start", "move to one of: interested");
        assertThat(OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer sk-test-not-a-real-key");
    }

    @Test
    void shouldPutTheCustomerRecordInThePromptWithinItsBudgetAndReplyOnTheOpenIssue() throws Exception {
        toggle.setLive(true);
        // The fake model answers on the open issue only when the prompt carries it; otherwise a stranger's greeting.
        answerWith(completion("{\"reply\":\"Hi there! How can we help?\",\"next_state\":\"start\"}"));
        OPENAI.stubFor(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
                .withRequestBody(WireMock.containing("Open issues: ants back by the kitchen sink"))
                .willReturn(completion(
                        "{\"reply\":\"Hey Jamie! Still seeing ants by the kitchen sink since the October treatment? We can take care of it.\","
                                + "\"next_state\":\"start\"}")));
        warmUpModel();
        String jamie = newPhone();
        assertThat(staff.post("/api/customers", "{\"phone\":\"" + jamie + "\",\"name\":\"Jamie Cole\",\"serviceStatus\":\"active\","
                + "\"openIssues\":\"ants back by the kitchen sink\",\"serviceHistory\":[{\"service\":\"General pest treatment\","
                + "\"performedOn\":\"2026-10-02\"}],\"consent\":\"opted_in\",\"consentEvidence\":\"service agreement\"}").statusCode())
                .isEqualTo(201);
        // Booked by text (decided without the model): the next visit is part of the record too.
        twilio.text(jamie, "can you come tomorrow at 2pm?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", jamie) == 1);
        twilio.text(jamie, "yes");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM appointment WHERE phone = ?", jamie) == 1);

        twilio.text(jamie, "hey quick question");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND body LIKE 'Hey Jamie!%'", jamie) == 1);
        String system = systemPrompt(0);
        assertThat(system).contains("Name: Jamie Cole", "Service status: active", "Last service: General pest treatment on Oct 2, 2026",
                "Open issues: ants back by the kitchen sink", "Upcoming appointment: Thu Nov 19 at 2:00 PM");

        // A record far longer than the budget: cut to it, and the customer's latest text still reaches the model.
        OPENAI.resetAll();
        answerWith(completion("{\"reply\":\"Happy to help!\",\"next_state\":\"start\"}"));
        String wordy = newPhone();
        String issues = "The customer called about wasps under the deck. " + "Long notes from the phone call, again and again. ".repeat(80)
                + "LAST-LINE-OF-THE-NOTES";
        assertThat(staff.post("/api/customers", "{\"phone\":\"" + wordy + "\",\"name\":\"Robin Wordy\",\"serviceStatus\":\"paused\","
                + "\"openIssues\":\"" + issues + "\"}").statusCode()).isEqualTo(201);

        twilio.text(wordy, "are you guys coming this week about the wasps?");

        await().atMost(Duration.ofSeconds(10)).until(() -> !OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).isEmpty());
        String longSystem = systemPrompt(0);
        String record = longSystem.substring(longSystem.indexOf("Customer record"));
        assertThat(record.length()).isLessThanOrEqualTo(CustomerBrief.BUDGET);
        assertThat(record)
                .contains("Name: Robin Wordy", "Service status: paused", "Open issues: The customer called about wasps under the deck.")
                .doesNotContain("LAST-LINE-OF-THE-NOTES");
        assertThat(lastUserMessage(0)).isEqualTo("are you guys coming this week about the wasps?");
    }

    /** The JVM's first model call (client set-up) can outlast this context's 1 s timeout on a loaded machine: make it before the test's own. */
    private void warmUpModel() {
        staff.post("/api/demo/ongoing", "{\"messages\":[{\"direction\":\"IN\",\"body\":\"hello\"}]}");
        OPENAI.resetRequests();
    }

    private String systemPrompt(int call) throws Exception {
        var body = JSON.readTree(OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(call).getBodyAsString());
        return body.path("messages").get(0).path("content").asText();
    }

    private String lastUserMessage(int call) throws Exception {
        var messages = JSON.readTree(OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(call).getBodyAsString())
                .path("messages");
        return messages.get(messages.size() - 1).path("content").asText();
    }

    @Test
    void shouldAcknowledgeTheFirstWarmReplyToACampaignWithTheFixedTextAndLetTheModelAnswerTheRest() {
        answerWith(completion("{\"reply\":\"The general treatment is $129 for the first visit.\",\"next_state\":\"interested\"}"));
        warmUpModel();
        String phone = newPhone();
        outbox.enqueue(Outbox.Message.sms("ack-campaign:" + phone, phone, "Fall special: reply YES for a free inspection")
                .inCampaign("fall-promo"));
        workers.nudge();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND sent_at IS NOT NULL", phone) == 1);

        twilio.text(phone, "Interested! how much?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 1);
        twilio.text(phone, "and do you do termites?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 2);

        assertThat(jdbc.queryForList("SELECT body FROM outbox WHERE phone = ? AND purpose = 'reply' ORDER BY id", String.class, phone))
                .containsExactly("Thanks! We'll call you shortly.", "The general treatment is $129 for the first visit.");
        assertThat(jdbc.queryForList("SELECT outcome FROM reply_task WHERE phone = ? ORDER BY id", String.class, phone))
                .containsExactly("acknowledgement", "ai");
        assertThat(OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT warm_lead_campaign FROM contact WHERE phone = ?", String.class, phone))
                .isEqualTo("fall-promo");
    }

    @Test
    void shouldNameTheBusinessAndAddTheOptOutToAModelWrittenFirstText() {
        answerWith(completion(
                "{\"reply\":\"Hi Sam! It's been a while since your last treatment. Want us to stop by next week?\",\"next_state\":\"start\"}"));
        warmUpModel();
        String phone = newPhone();

        var started = staff.post("/api/conversations", "{\"phone\":\"" + phone + "\",\"type\":\"follow-up\",\"name\":\"Sam\"}");

        assertThat(started.statusCode()).isEqualTo(201);
        assertThat(StaffClient.json(started).get("source").asText()).isEqualTo("ai");
        assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ?", String.class, phone))
                .isEqualTo("Green Shield Pest Control:"
                        + " Hi Sam! It's been a while since your last treatment. Want us to stop by next week? Reply STOP to opt out.");
        assertThat(StaffClient.json(started).get("text").asText()).endsWith("Reply STOP to opt out.");
    }

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Test
    void shouldOptOutWhenTheModelReadsARevocationThePhraseLayerMissed() {
        toggle.setLive(true);
        answerWith(completion("{\"reply\":\"\",\"opt_out\":true,\"next_state\":\"stop\"}"));
        String phone = newPhone();

        twilio.text(phone, "ugh I'm so done with all of these, you guys need to quit it");

        await().atMost(Duration.ofSeconds(10)).until(() -> "stop".equals(state(phone)));
        assertThat(jdbc.queryForObject("SELECT actor FROM consent_event WHERE phone = ? AND action = 'OPT_OUT'", String.class, phone))
                .isEqualTo("model");
        await().atMost(Duration.ofSeconds(10)).until(() -> sentTo(phone) != null);
        assertThat(sentTo(phone)).contains("Body=Messages Stopped");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(TWILIO.findAll(
                postRequestedFor(urlPathMatching(TwilioFake.MESSAGES))).stream()
                .filter(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).contains("To=" + phone)).count()).isEqualTo(1));
    }

    @Test
    void shouldHandTheConversationToStaffAfterTheAiTurnCap() {
        answerWith(completion("{\"reply\":\"Happy to help!\",\"next_state\":\"start\"}"));
        String phone = newPhone();

        for (int i = 1; i <= 13; i++) {
            twilio.text(phone, "question " + i);
            int done = i;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == done);
        }

        List<String> outcomes = jdbc.queryForList("SELECT outcome FROM reply_task WHERE phone = ? ORDER BY inbound_event_id", String.class,
                phone);
        assertThat(outcomes.subList(0, 12)).containsOnly("ai");
        assertThat(outcomes.get(12)).isEqualTo("handed to staff: ai-turn-cap");
        // The hand-over says so, rather than answering the question as if it were a complaint.
        assertThat(jdbc.queryForList("SELECT body FROM outbox WHERE phone = ? AND idempotency_key LIKE 'escalation-ack:%'", String.class,
                phone))
                .singleElement().asString().contains("A team member will pick this up");
        assertThat(state(phone)).isEqualTo("pause");
        assertThat(OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))).hasSize(12);
    }

    @Test
    void shouldAnswerTenQuickTextsInOrderWithoutOverlappingModelCalls() {
        answerWith(completion("{\"reply\":\"Got it.\",\"next_state\":\"start\"}").withFixedDelay(300));
        String phone = newPhone();
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "quick text " + i);
            twilio.post("/sms", form);
            sids.add("reply:" + form.get("MessageSid"));
        }

        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 10);

        assertThat(jdbc.queryForList("SELECT idempotency_key FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%' ORDER BY id",
                String.class, phone)).containsExactlyElementsOf(sids);
        List<Long> callStarts = OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).stream()
                .map(r -> r.getLoggedDate().getTime()).sorted().toList();
        assertThat(callStarts).hasSize(10);
        for (int i = 1; i < callStarts.size(); i++) {
            // Each call starts only after the previous one (300 ms) has answered: never two at once.
            assertThat(callStarts.get(i) - callStarts.get(i - 1)).as("gap before call %d", i).isGreaterThanOrEqualTo(290);
        }
        // The last call's context (the latest SMS_MAX_CONTEXT_MESSAGES messages) reaches the last text and earlier replies.
        String lastPrompt = OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).stream()
                .max(Comparator.comparing(r -> r.getLoggedDate())).orElseThrow().getBodyAsString();
        assertThat(lastPrompt).contains("quick text 9", "Got it.");
    }

    @Test
    void shouldWriteTheDemoReplyWithTheModel() {
        answerWith(completion("{\"reply\":\"Mosquito treatment is $79 per visit. Want a time this week?\",\"next_state\":\"interested\"}"));

        var response = staff.post("/api/demo/ongoing", "{\"messages\":[{\"direction\":\"IN\",\"body\":\"how much for mosquitoes?\"}]}");

        var body = StaffClient.json(response);
        assertThat(body.get("text").asText()).isEqualTo("Mosquito treatment is $79 per visit. Want a time this week?");
        assertThat(body.get("source").asText()).isEqualTo("ai");
        assertThat(body.get("nextState").asText()).isEqualTo("interested");
        assertThat(OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0).getBodyAsString())
                .contains("how much for mosquitoes?");
    }

    @ParameterizedTest
    @CsvSource({"invalid-json,not json at all", "illegal-state,illegal", "too-long,long", "model-error,500", "model-error,timeout"})
    void shouldFallBackToTheTemplateKeepAValidStateAndCountIt(String reason, String failure) {
        switch (failure) {
            case "not json at all" -> answerWith(completion("Sure, we can come by tomorrow!"));
            case "illegal" -> answerWith(completion("{\"reply\":\"ok\",\"next_state\":\"stop\"}".replace("stop", "pause_forever")));
            case "long" -> answerWith(completion("{\"reply\":\"" + "Great question. ".repeat(40) + "\",\"next_state\":\"interested\"}"));
            case "500" -> answerWith(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                    .withBody(
                            "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"));
            default -> answerWith(completion("{\"reply\":\"too late\"}").withFixedDelay(2500));
        }
        double before = fallbacks(reason);
        long timedBefore = modelCalls(reason);
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Do you treat for roaches?");

        twilio.post("/sms", form);

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM reply_task WHERE sid = ? AND status = 'DONE'",
                form.get("MessageSid")) == 1);
        assertThat(
                jdbc.queryForObject("SELECT body FROM outbox WHERE idempotency_key = ?", String.class, "reply:" + form.get("MessageSid")))
                .startsWith("Thanks for texting Green Shield Pest Control!");
        assertThat(state(phone)).isEqualTo("start");
        assertThat(fallbacks(reason)).isEqualTo(before + 1);
        assertThat(modelCalls(reason)).as("model latency timed under the fallback's reason").isEqualTo(timedBefore + 1);
    }

    private long modelCalls(String outcome) {
        var timer = meters.find("hub.model.latency").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double fallbacks(String reason) {
        var counter = meters.find("hub.replies.fallback").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private String state(String phone) {
        var c = staff.conversation(phone);
        return c == null ? null : c.get("state").asText();
    }

    private String sentTo(String phone) {
        return TWILIO.findAll(postRequestedFor(urlPathMatching(TwilioFake.MESSAGES))).stream()
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8))
                .filter(b -> b.contains("To=" + phone))
                .findFirst().orElse(null);
    }

    private static void answerWith(ResponseDefinitionBuilder response) {
        OPENAI.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(response));
    }

    private static ResponseDefinitionBuilder completion(String content) {
        try {
            String body = """
                    {"id":"chatcmpl-9x","object":"chat.completion","created":1795240000,"model":"gpt-4o-mini-2024-07-18",
                     "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null},"logprobs":null,"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":412,"completion_tokens":38,"total_tokens":450},"system_fingerprint":"fp_0ba0d124f1"}
                    """.formatted(JSON.writeValueAsString(content));
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
