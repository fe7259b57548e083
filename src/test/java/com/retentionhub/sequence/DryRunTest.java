package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

    /** Every request a fake received whose URL or (decoded) body names the value: a phone, an email. */
    private static List<String> requestsNaming(WireMockServer server, String value) {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .map(r -> r.getUrl() + " " + URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8))
                .filter(r -> r.contains(value)).toList();
    }

    @Test
    void shouldReturnTheTimelineWithQuietHoursAndLeaveEverythingUntouched() {
        long id = sequences.byName("New Meta Lead Nurture").orElseThrow().id();
        String phone = "+1212" + newPhone().substring(5);
        List<Integer> before = counts(phone);

        var response = staff.post("/api/sequences/" + id + "/simulate", "{\"lead\":{\"name\":\"Maya Chen\",\"phone\":\"" + phone
                + "\",\"email\":\"maya@example.com\"},\"start\":\"2026-11-18T19:00:00Z\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode steps = StaffClient.json(response).path("steps");
        assertThat(steps).hasSize(6);
        List<String> sendTimes = new ArrayList<>();
        steps.forEach(s -> sendTimes.add(Instant.parse(s.path("sendAt").asText()).atZone(NEW_YORK).toLocalDateTime().toString()));
        assertThat(sendTimes).containsExactly("2026-11-18T14:00", "2026-11-19T08:00", "2026-11-19T14:00", "2026-11-20T14:00",
                "2026-11-23T14:00",
                "2026-11-25T14:00");
        assertThat(steps.get(1).path("outcome").asText()).isEqualTo("held");
        assertThat(steps.get(1).path("reason").asText()).contains("quiet hours");
        assertThat(steps.get(1).path("planned").asText()).isEqualTo("2026-11-19T07:00:00Z"); // 02:00 in New York
        assertThat(steps.get(0).path("text").asText()).startsWith("Hi Maya,\n\nThanks for reaching out to Green Shield Pest Control");
        assertThat(steps.get(0).path("subject").asText()).isEqualTo("Thanks for your request, Maya");

        assertThat(counts(phone)).isEqualTo(before);
        // Other tests' sends may still reach the shared fakes; none of them names this lead.
        assertThat(requestsNaming(TWILIO, phone)).isEmpty();
        assertThat(requestsNaming(EMAIL_AND_VOICE, phone)).isEmpty();
        assertThat(requestsNaming(EMAIL_AND_VOICE, "maya@example.com")).isEmpty();
    }

    @Test
    void shouldPlanWithTheContactsOwnTimeZoneNotTheNumbers() {
        long id = sequences.byName("New Meta Lead Nurture").orElseThrow().id();
        String phone = "+1212" + newPhone().substring(5); // a New York number, its owner in Tokyo
        assertThat(staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"name\":\"Aki Sato\",\"timeZone\":\"Asia/Tokyo\"}")
                .statusCode())
                .isEqualTo(201);

        JsonNode steps = StaffClient
                .json(staff.post("/api/sequences/" + id + "/simulate", "{\"lead\":{\"name\":\"Aki Sato\",\"phone\":\"" + phone
                        + "\",\"email\":\"aki@example.com\"},\"start\":\"2026-11-18T19:00:00Z\"}"))
                .path("steps");

        // The SMS planned for 07:00Z is 16:00 in Tokyo (02:00 in New York): it goes as planned.
        assertThat(steps.get(1).path("outcome").asText()).isEqualTo("sent");
        assertThat(steps.get(1).path("sendAt").asText()).isEqualTo("2026-11-19T07:00:00Z");
        // The call planned for 19:00Z is 04:00 in Tokyo: held until 08:00 there.
        assertThat(steps.get(3).path("outcome").asText()).isEqualTo("held");
        assertThat(steps.get(3).path("sendAt").asText()).isEqualTo("2026-11-20T23:00:00Z");

        // A synthetic lead can be planned in a zone of its own; a zone that is none is a 400.
        JsonNode tokyo = StaffClient.json(staff.post("/api/sequences/" + id + "/simulate", "{\"lead\":{\"phone\":\"" + newPhone()
                + "\",\"timeZone\":\"Asia/Tokyo\"},\"start\":\"2026-11-18T19:00:00Z\"}")).path("steps");
        assertThat(tokyo.get(1).path("outcome").asText()).isEqualTo("sent");
        assertThat(staff
                .post("/api/sequences/" + id + "/simulate", "{\"lead\":{\"phone\":\"" + newPhone() + "\",\"timeZone\":\"Mars/Olympus\"}}")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void shouldSayWhyAStepWouldNotGo() {
        long id = sequences.create(new SequenceDefinition("dry-" + System.nanoTime(), "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), "no-such-script", List.of(), 0)))).id();

        JsonNode steps = StaffClient.json(staff.post("/api/sequences/" + id + "/simulate", "{\"lead\":{\"email\":\"x@example.com\"}}"))
                .path("steps");

        assertThat(steps.get(0).path("outcome").asText()).isEqualTo("skipped");
        assertThat(steps.get(0).path("reason").asText()).contains("no SMS script named 'no-such-script'");
    }

    /**
     * What a dry run for this person could have written. Counted for the person, not the whole table: work
     * an earlier test left running in the shared context (a reply, a consent row) must not read as the dry run's.
     */
    private List<Integer> counts(String phone) {
        String lead = "SELECT id FROM leads WHERE phone = '" + phone + "' OR email = 'maya@example.com'";
        return List.of(count("SELECT count(*) FROM outbox WHERE phone = ? OR address = 'maya@example.com'", phone),
                count("SELECT count(*) FROM enrollment WHERE lead_id IN (" + lead + ")"),
                count("SELECT count(*) FROM step_execution WHERE enrollment_id IN (SELECT id FROM enrollment WHERE lead_id IN (" + lead
                        + "))"),
                count("SELECT count(*) FROM leads WHERE phone = ? OR email = 'maya@example.com'", phone),
                count("SELECT count(*) FROM contact WHERE phone = ?", phone),
                count("SELECT count(*) FROM consent_state WHERE phone = ?", phone));
    }
}
