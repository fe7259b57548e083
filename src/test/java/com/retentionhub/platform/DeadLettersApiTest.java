package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A route gives up on a message: ops list it with its error and re-drive it once the cause is fixed. */
class DeadLettersApiTest extends HubIntegrationTest {

    private static final AtomicBoolean HEALED = new AtomicBoolean();
    private static final List<String> DELIVERED = new CopyOnWriteArrayList<>();

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Test
    void shouldListADeadLetterWithItsErrorAndReplayItOnceTheCauseIsFixed() throws Exception {
        if (camel.getRoute("test-flaky-handoff") == null) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("seda:test-flaky-handoff").routeId("test-flaky-handoff").process(e -> {
                        if (!HEALED.get()) {
                            throw new IllegalStateException("provider down");
                        }
                        DELIVERED.add(e.getMessage().getBody(String.class));
                    });
                }
            });
        }
        producer.sendBody("seda:test-flaky-handoff", "outbox-42");
        JsonNode letter = await().atMost(Duration.ofSeconds(10))
                .until(() -> StaffClient.json(staff.get("/api/dead-letters?routeId=test-flaky-handoff")),
                        l -> l.size() == 1)
                .get(0);
        assertThat(letter.get("body").asText()).isEqualTo("outbox-42");
        assertThat(letter.get("error").asText()).contains("provider down");
        long id = letter.get("id").asLong();

        JsonNode stillFailing = StaffClient.json(staff.post("/api/dead-letters/" + id + "/replay", ""));
        assertThat(stillFailing.get("replays").asInt()).isEqualTo(1);
        assertThat(stillFailing.get("replayError").asText()).contains("provider down");
        assertThat(count("SELECT count(*) FROM dead_letter WHERE route_id = 'test-flaky-handoff'")).as("no second letter").isEqualTo(1);

        HEALED.set(true);
        JsonNode replayed = StaffClient.json(staff.post("/api/dead-letters/" + id + "/replay", ""));

        assertThat(replayed.get("replays").asInt()).isEqualTo(2);
        assertThat(replayed.hasNonNull("replayError")).isFalse();
        assertThat(DELIVERED).containsExactly("outbox-42");
    }

    @Test
    void shouldRefuseToReplayAWebhookAndAnswer404ForAnUnknownLetter() {
        jdbc.update(
                "INSERT INTO dead_letter (route_id, body, exception, created_at) VALUES ('ingress-twilio-sms', 'Body=hi', 'boom', now())");
        long id = jdbc.queryForObject("SELECT max(id) FROM dead_letter WHERE route_id = 'ingress-twilio-sms'", Long.class);

        assertThat(staff.post("/api/dead-letters/" + id + "/replay", "").statusCode()).isEqualTo(409);
        assertThat(staff.post("/api/dead-letters/999999999/replay", "").statusCode()).isEqualTo(404);
        assertThat(staff.get("/api/dead-letters/999999999").statusCode()).isEqualTo(404);
        assertThat(staff.get("/api/dead-letters?size=0").statusCode()).isEqualTo(400);
    }
}
