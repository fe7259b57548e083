package com.retentionhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioWebhookClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The embedded default (H2 in PostgreSQL mode, SEDA), as `./mvnw spring-boot:run` starts it: the
 * same SQL must work there, including the multi-row inserts and row locks.
 */
// A context of its own (own properties): closed when the class ends, so its pool does not stay open beside the shared one.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:smoke;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "hub.twilio.auth-token=smoke-token", "hub.public-base-url=http://localhost:8080", "hub.security.api-keys=smoke-key"})
class EmbeddedDefaultSmokeTest {

    @LocalServerPort
    int port;

    @Test
    void shouldTakeATextRecordAStopAndRefuseTheNextSendOnH2() {
        TwilioWebhookClient twilio = new TwilioWebhookClient(port, "http://localhost:8080", "smoke-token");
        StaffClient staff = new StaffClient(port, "smoke-key");
        String phone = "+14155550199";

        assertThat(twilio.text(phone, "Hi there").statusCode()).isEqualTo(200);
        // The answer first: a staff text takes the conversation over, and a reply still pending then is not sent.
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone),
                c -> c != null && c.get("messages").findValuesAsText("body").stream().anyMatch(b -> b.startsWith("Thanks for texting")));
        assertThat(staff.sendText(phone, "Thanks for writing").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(staff, phone, "Thanks for writing"), "simulated"::equals);
        assertThat(twilio.text(phone, "stop").statusCode()).isEqualTo(200);

        JsonNode conversation = await().atMost(Duration.ofSeconds(10))
                .until(() -> staff.conversation(phone), c -> c != null && "stop".equals(c.get("state").asText()));
        assertThat(conversation.get("messages").findValuesAsText("body")).contains("Hi there", "Thanks for writing", "stop", "Messages Stopped");
        // The template answer to "Hi there" went through the same outbox and was simulated too.
        assertThat(conversation.get("messages").findValuesAsText("body")).anyMatch(b -> b.startsWith("Thanks for texting"));
        assertThat(staff.sendText(phone, "one more?").statusCode()).isEqualTo(409);
        assertThat(statusOf(staff, phone, "Messages Stopped")).isEqualTo("simulated");
    }

    @Test
    void shouldAnswerEveryAnalyticsViewOnH2() {
        StaffClient staff = new StaffClient(port, "smoke-key");
        assertThat(staff.sendText("+14155550198", "Spring offer for you").statusCode()).isEqualTo(202);
        assertThat(staff.post("/api/analytics/words/refresh", "").statusCode()).isEqualTo(200);
        for (JsonNode view : StaffClient.json(staff.get("/api/analytics")).get("views")) {
            assertThat(staff.get("/api/analytics/" + view.asText() + "?channel=sms&from=2020-01-01").statusCode()).as(view.asText()).isEqualTo(200);
            assertThat(staff.get("/api/analytics/" + view.asText() + "?format=csv&campaign=x").statusCode()).as(view.asText()).isEqualTo(200);
        }
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
