package com.retentionhub.semantic;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.support.OpenApiConformance;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioFake;
import com.retentionhub.support.TwilioWebhookClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The semantic layer on the embedded default as a fresh clone runs it: H2 file database, shipped
 * config/, no language model (OPENAI_API_KEY empty) and no network but the local fake. Texts that
 * no keyword or phrase matches are still understood in the processing stage.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(OpenApiConformance.class)
@ExtendWith(OpenApiConformance.Check.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SemanticLayerEmbeddedDefaultTest {

    private static final WireMockServer TWILIO = new WireMockServer(options().dynamicPort());

    @TempDir
    static Path data;

    static {
        TWILIO.start();
        TwilioFake.acceptMessages(TWILIO);
    }

    @DynamicPropertySource
    static void embeddedDefault(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + data.toAbsolutePath()
                + "/retention-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        registry.add("spring.flyway.schemas", () -> "");
        registry.add("OPENAI_API_KEY", () -> "");
        registry.add("TWILIO_API_BASE_URL", TWILIO::baseUrl);
        registry.add("TWILIO_ACCOUNT_SID", () -> "ACsemanticsemanticsemanticsem0000");
        registry.add("TWILIO_AUTH_TOKEN", () -> "semantic-token");
        registry.add("TWILIO_FROM", () -> "+15017122661");
        registry.add("HUB_API_KEYS", () -> "semantic-key");
    }

    @AfterAll
    static void stopFake() {
        TWILIO.stop();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BusinessProfile business;

    @Test
    void shouldOptOutWhenTheCustomerAsksToTakeTheirNumberOffTheList() {
        String phone = "+14155550141";

        assertThat(twilio().text(phone, "please take my number off your list").statusCode()).isEqualTo(200);

        JsonNode conversation = await().atMost(Duration.ofSeconds(60))
                .until(() -> staff().conversation(phone), c -> c != null && "stop".equals(c.get("state").asText()));
        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ? AND channel = 'sms'", String.class, phone))
                .isEqualTo("OPTED_OUT");
        // The confirmation and nothing else: no cheerful template answer.
        assertThat(conversation.get("messages").findValuesAsText("body")).containsExactly("please take my number off your list",
                "Messages Stopped");
    }

    @Test
    void shouldOptOutByMeaningWithTheEvidenceInTheLedgerWhenNoPhraseMatches() {
        String phone = "+14155550142";
        String text = "how do i get these msgs to quit coming to my cell";
        assertThat(twilio().text(phone, text).body()).contains("<Response/>"); // nothing at the webhook: no keyword, no phrase

        await().atMost(Duration.ofSeconds(60)).until(() -> staff().conversation(phone),
                c -> c != null && "stop".equals(c.get("state").asText()));
        Map<String, Object> entry = jdbc.queryForMap("SELECT source, actor, text FROM consent_event WHERE phone = ? AND action = 'OPT_OUT'",
                phone);
        assertThat(entry.get("actor")).isEqualTo("semantic");
        assertThat((String) entry.get("text")).startsWith(text).contains("semantic opt_out p=").contains("nearest=");
        Map<String, Object> audit = jdbc.queryForMap("SELECT action, label, score, nearest_exemplar FROM semantic_decision WHERE phone = ?",
                phone);
        assertThat(audit.get("action")).isEqualTo("OPT_OUT");
        assertThat(((Number) audit.get("score")).doubleValue()).isGreaterThanOrEqualTo(0.5);
        assertThat(audit.get("nearest_exemplar")).isNotNull();

        // Asking again after the opt-out gets silence: no second ledger entry, no second confirmation.
        twilio().text(phone, "how do i get these msgs to quit coming to my cell?? still asking");
        await().atMost(Duration.ofSeconds(60)).until(() -> staff().conversation(phone).get("messages").size() >= 3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM consent_event WHERE phone = ?", Integer.class, phone)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE phone = ?", Integer.class, phone)).isEqualTo(1);
    }

    @Test
    void shouldEscalateAMedicalStoryWithoutAListedWordAndRecordWhy() {
        String phone = "+14155550143";
        String text = "my toddler was crawling where your guy sprayed and now she keeps throwing up and won't wake up properly";
        assertThat(twilio().text(phone, text).statusCode()).isEqualTo(200);

        JsonNode conversation = await().atMost(Duration.ofSeconds(60)).until(() -> staff().conversation(phone),
                c -> c != null && "pause".equals(c.get("state").asText()));
        assertThat(
                jdbc.queryForObject("SELECT escalated_reason FROM conversation c JOIN contact k ON k.id = c.contact_id WHERE k.phone = ?",
                        String.class, phone))
                .isEqualTo("medical");
        // The one acknowledgement and no bot answer.
        JsonNode answered = await().atMost(Duration.ofSeconds(60)).until(() -> staff().conversation(phone),
                c -> c.get("messages").findValuesAsText("direction").contains("OUT"));
        List<String> bodies = answered.get("messages").findValuesAsText("body");
        assertThat(bodies).containsExactly(text, business.escalationAcknowledgement());
        assertThat(jdbc.queryForObject("SELECT action FROM semantic_decision WHERE phone = ?", String.class, phone)).isEqualTo("ESCALATE");
    }

    @Test
    void shouldStillAnswerAnOrdinaryTextWithTheTemplate() {
        String phone = "+14155550144";
        assertThat(twilio().text(phone, "Hi there, what time do you open on saturday?").statusCode()).isEqualTo(200);

        JsonNode conversation = await().atMost(Duration.ofSeconds(60)).until(() -> staff().conversation(phone),
                c -> c != null && c.get("messages").findValuesAsText("direction").contains("OUT"));
        // The bot's own answer (template or slot offer), not a confirmation, clarification or escalation acknowledgement.
        assertThat(conversation.get("state").asText()).isNotIn("stop", "pause");
        assertThat(conversation.get("messages").findValuesAsText("body")).doesNotContain("Messages Stopped",
                "Reply STOP to stop messages.");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM semantic_decision WHERE phone = ?", Integer.class, phone)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM consent_event WHERE phone = ?", Integer.class, phone)).isZero();
    }

    @Test
    void shouldShowTheDecisionToStaffAndTakeTheirVerdictAsAProposedExemplar() {
        String phone = "+14155550145";
        twilio().text(phone, "the guy you sent is going to regret ever stepping on my lawn, tell him to watch himself");
        JsonNode conversation = await().atMost(Duration.ofSeconds(60)).until(() -> staff().conversation(phone),
                c -> c != null && "pause".equals(c.get("state").asText()));
        long conversationId = conversation.get("id").asLong();

        JsonNode decisions = StaffClient.json(staff().get("/api/conversations/" + conversationId + "/semantic-decisions"));
        assertThat(decisions).hasSize(1);
        JsonNode d = decisions.get(0);
        assertThat(d.get("action").asText()).isEqualTo("ESCALATE");
        assertThat(d.get("nearestExemplar").asText()).isNotBlank();
        long id = d.get("id").asLong();

        assertThat(staff().post("/api/semantic-decisions/" + id + "/wrong", "{\"label\":\"nonsense\"}").statusCode()).isEqualTo(400);
        assertThat(staff().post("/api/semantic-decisions/999999/wrong", "{\"label\":\"ordinary\"}").statusCode()).isEqualTo(404);
        assertThat(staff().post("/api/semantic-decisions/" + id + "/review", "{\"accept\":true}").statusCode()).isEqualTo(409);

        var marked = staff().post("/api/semantic-decisions/" + id + "/wrong", "{\"label\":\"anger\"}");
        assertThat(marked.statusCode()).as(marked.body()).isEqualTo(200);
        assertThat(StaffClient.json(marked).get("exemplarStatus").asText()).isEqualTo("PROPOSED");
        assertThat(StaffClient.json(staff().get("/api/semantic-decisions/proposed")).findValuesAsText("id")).contains(String.valueOf(id));

        var reviewed = staff().post("/api/semantic-decisions/" + id + "/review", "{\"accept\":true}");
        assertThat(reviewed.statusCode()).as(reviewed.body()).isEqualTo(200);
        assertThat(StaffClient.json(reviewed).get("exemplarStatus").asText()).isEqualTo("ACCEPTED");
        assertThat(jdbc.queryForObject("SELECT correct_label FROM semantic_decision WHERE id = ?", String.class, id)).isEqualTo("anger");
    }

    private TwilioWebhookClient twilio() {
        return new TwilioWebhookClient(port, "http://localhost:8080", "semantic-token");
    }

    private StaffClient staff() {
        return new StaffClient(port, "semantic-key");
    }
}
