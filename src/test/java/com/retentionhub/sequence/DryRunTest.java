package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The dry run: the whole timeline with reasons, and nothing sent or stored. */
class DryRunTest extends HubIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");


    @Autowired
    Sequences sequences;

    @Test
    void shouldReturnTheTimelineWithQuietHoursAndLeaveEverythingUntouched() {
        long id = sequences.byName("New Meta Lead Nurture").orElseThrow().id();
        String phone = "+1212" + newPhone().substring(5);
        List<Integer> before = counts();

        var response = staff.post("/api/sequences/" + id + "/simulate", "{\"lead\":{\"name\":\"Maya Chen\",\"phone\":\"" + phone
                + "\",\"email\":\"maya@example.com\"},\"start\":\"2026-11-18T19:00:00Z\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode steps = StaffClient.json(response).path("steps");
        assertThat(steps).hasSize(6);
        List<String> sendTimes = new ArrayList<>();
        steps.forEach(s -> sendTimes.add(Instant.parse(s.path("sendAt").asText()).atZone(NEW_YORK).toLocalDateTime().toString()));
        assertThat(sendTimes).containsExactly("2026-11-18T14:00", "2026-11-19T08:00", "2026-11-19T14:00", "2026-11-20T14:00", "2026-11-23T14:00",
                "2026-11-25T14:00");
        assertThat(steps.get(1).path("outcome").asText()).isEqualTo("held");
        assertThat(steps.get(1).path("reason").asText()).contains("quiet hours");
        assertThat(steps.get(1).path("planned").asText()).isEqualTo("2026-11-19T07:00:00Z"); // 02:00 in New York
        assertThat(steps.get(0).path("text").asText()).startsWith("Hi Maya,\n\nThanks for reaching out to Green Shield Pest Control");
        assertThat(steps.get(0).path("subject").asText()).isEqualTo("Thanks for your request, Maya");

        assertThat(counts()).isEqualTo(before);
        assertThat(TWILIO.getAllServeEvents()).isEmpty();
        assertThat(EMAIL_AND_VOICE.getAllServeEvents()).isEmpty();
    }

    @Test
    void shouldSayWhyAStepWouldNotGo() {
        long id = sequences.create(new SequenceDefinition("dry-" + System.nanoTime(), "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), "no-such-script", List.of(), 0)))).id();

        JsonNode steps = StaffClient.json(staff.post("/api/sequences/" + id + "/simulate", "{\"lead\":{\"email\":\"x@example.com\"}}")).path("steps");

        assertThat(steps.get(0).path("outcome").asText()).isEqualTo("skipped");
        assertThat(steps.get(0).path("reason").asText()).contains("no SMS script named 'no-such-script'");
    }

    private List<Integer> counts() {
        return List.of(count("SELECT count(*) FROM outbox"), count("SELECT count(*) FROM enrollment"), count("SELECT count(*) FROM step_execution"),
                count("SELECT count(*) FROM leads"), count("SELECT count(*) FROM contact"), count("SELECT count(*) FROM consent_state"));
    }
}
