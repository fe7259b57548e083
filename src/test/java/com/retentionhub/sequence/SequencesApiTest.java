package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import org.junit.jupiter.api.Test;

/** Sequences and their steps through the API: drafts are edited and deleted; what has run is archived, not deleted. */
class SequencesApiTest extends HubIntegrationTest {

    private static final String STEP = "{\"channel\":\"SMS\",\"delay\":{\"value\":2,\"unit\":\"hours\"},\"script\":\"api-step\",\"retryLimit\":1}";

    @Test
    void shouldEditADraftsStepsAndDeleteOnlyADraft() {
        String name = "api-seq-" + System.nanoTime();
        var created = staff.post("/api/sequences", "{\"name\":\"" + name + "\",\"status\":\"DRAFT\",\"steps\":[" + STEP + "]}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = StaffClient.json(created).path("id").asLong();
        assertThat(staff.post("/api/sequences", "{\"name\":\"" + name + "\",\"steps\":[" + STEP + "]}").statusCode()).isEqualTo(409);

        JsonNode two = StaffClient.json(staff.post("/api/sequences/" + id + "/steps", STEP.replace("SMS", "EMAIL")));
        assertThat(two.path("steps")).hasSize(2);
        long second = two.path("steps").get(1).path("id").asLong();
        JsonNode changed = StaffClient.json(staff.put("/api/sequences/" + id + "/steps/" + second,
                "{\"channel\":\"CALL\",\"delay\":{\"value\":1,\"unit\":\"days\"},\"script\":\"api-call\"}"));
        assertThat(changed.path("steps").get(1).path("channel").asText()).isEqualTo("CALL");
        assertThat(changed.path("steps").get(1).path("delayMinutes").asLong()).isEqualTo(1440);
        assertThat(staff
                .post("/api/sequences/" + id + "/steps", "{\"channel\":\"FAX\",\"delay\":{\"value\":1,\"unit\":\"days\"},\"script\":\"x\"}")
                .statusCode()).isEqualTo(400);
        assertThat(staff.delete("/api/sequences/" + id + "/steps/" + second).statusCode()).isEqualTo(204);
        assertThat(StaffClient.json(staff.get("/api/sequences/" + id)).path("steps")).hasSize(1);

        assertThat(staff.post("/api/sequences/" + id + "/enroll", "{\"leadId\":1}").statusCode()).isEqualTo(409); // a draft takes nobody
        assertThat(StaffClient.json(staff.put("/api/sequences/" + id, "{\"status\":\"active\"}")).path("status").asText())
                .isEqualTo("ACTIVE");
        assertThat(staff.delete("/api/sequences/" + id).statusCode()).isEqualTo(409);
        assertThat(staff.put("/api/sequences/" + id, "{\"status\":\"archived\"}").statusCode()).isEqualTo(200);
        assertThat(staff.put("/api/sequences/" + id, "{\"status\":\"gone\"}").statusCode()).isEqualTo(400);

        long draft = StaffClient
                .json(staff.post("/api/sequences", "{\"name\":\"d-" + name + "\",\"status\":\"DRAFT\",\"steps\":[" + STEP + "]}"))
                .path("id").asLong();
        assertThat(staff.delete("/api/sequences/" + draft).statusCode()).isEqualTo(204);
        assertThat(staff.get("/api/sequences/" + draft).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldCountEnrollmentsAndExecutionsInStats() {
        String name = "stats-" + System.nanoTime();
        long id = StaffClient
                .json(staff.post("/api/sequences", "{\"name\":\"" + name + "\",\"status\":\"ACTIVE\",\"steps\":[" + STEP + "]}")).path("id")
                .asLong();
        long lead = StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\",\"source\":\"manual\"}")).path("id")
                .asLong();
        assertThat(staff.post("/api/sequences/" + id + "/enroll", "{\"leadId\":" + lead + "}").statusCode()).isEqualTo(201);
        assertThat(staff.post("/api/sequences/" + id + "/enroll", "{\"leadId\":" + lead + "}").statusCode()).isEqualTo(409); // cooldown

        JsonNode stats = StaffClient.json(staff.get("/api/sequences/" + id + "/stats"));

        assertThat(stats.path("enrollments").path("ACTIVE").asLong()).isEqualTo(1);
        assertThat(stats.path("steps").get(0).path("script").asText()).isEqualTo("api-step");
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE id = ?", String.class, lead)).isEqualTo("IN_PROGRESS");
    }

    @Test
    void shouldLetStaffTakeALeadOutAtOnce() {
        String name = "remove-" + System.nanoTime();
        long id = StaffClient
                .json(staff.post("/api/sequences", "{\"name\":\"" + name + "\",\"status\":\"ACTIVE\",\"steps\":[" + STEP + "]}")).path("id")
                .asLong();
        long lead = StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\",\"source\":\"manual\"}")).path("id")
                .asLong();
        long enrollment = StaffClient.json(staff.post("/api/sequences/" + id + "/enroll", "{\"leadId\":" + lead + "}")).path("enrollmentId")
                .asLong();

        assertThat(staff.delete("/api/sequences/" + id + "/enrollments/" + enrollment + "?by=dana").statusCode()).isEqualTo(204);
        assertThat(staff.delete("/api/sequences/" + id + "/enrollments/" + enrollment).statusCode()).isEqualTo(404);

        JsonNode listed = StaffClient.json(staff.get("/api/sequences/" + id + "/enrollments")).get(0);
        assertThat(listed.path("status").asText()).isEqualTo("EXITED");
        assertThat(listed.path("exitReason").asText()).isEqualTo("removed by dana");
    }
}
