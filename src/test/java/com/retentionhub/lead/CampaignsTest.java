package com.retentionhub.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Campaign CRUD, and new leads joining the active campaigns that take their source, up to the limit. */
class CampaignsTest extends HubIntegrationTest {

    @Test
    void shouldAutoAssignNewLeadsUpToTheLimitAndOnlyWhileActive() throws Exception {
        String name = "spring-" + ThreadLocalRandom.current().nextInt(1_000_000);
        HttpResponse<String> created = staff.post("/api/campaigns", "{\"name\":\"" + name + "\",\"sources\":[\"api\"],\"maxLeads\":2}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = StaffClient.json(created).path("id").asLong();
        assertThat(StaffClient.json(created).path("status").asText()).isEqualTo("ACTIVE");

        JsonNode first = StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\"}"));
        JsonNode second = StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\"}"));
        JsonNode third = StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\"}"));
        JsonNode imported = StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\",\"source\":\"import\"}"));

        assertThat(first.path("campaigns").toString()).contains(name);
        assertThat(second.path("campaigns").toString()).contains(name);
        assertThat(third.path("campaigns").toString()).doesNotContain(name); // the campaign is full
        assertThat(imported.path("campaigns").toString()).doesNotContain(name); // not a source it takes
        assertThat(StaffClient.json(staff.get("/api/campaigns/" + id)).path("leads").asLong()).isEqualTo(2);

        assertThat(
                staff.put("/api/campaigns/" + id, "{\"name\":\"" + name + "\",\"status\":\"paused\",\"sources\":[\"API\"]}").statusCode())
                .isEqualTo(200);
        assertThat(StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\"}")).path("campaigns").toString())
                .doesNotContain(name); // paused: no limit any more, but not active either

        assertThat(staff.delete("/api/campaigns/" + id).statusCode()).isEqualTo(204);
        assertThat(StaffClient.json(staff.get("/api/campaigns/" + id)).path("status").asText()).isEqualTo("ENDED");
    }

    @Test
    void shouldRefuseADuplicateNameAndAnUnknownStatus() {
        String name = "dup-" + ThreadLocalRandom.current().nextInt(1_000_000);
        assertThat(staff.post("/api/campaigns", "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> again = staff.post("/api/campaigns", "{\"name\":\"" + name + "\"}");
        HttpResponse<String> badStatus = staff.post("/api/campaigns", "{\"name\":\"x" + name + "\",\"status\":\"LIVE\"}");
        HttpResponse<String> badSource = staff.post("/api/campaigns", "{\"name\":\"y" + name + "\",\"sources\":[\"tiktok\"]}");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badSource.statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/campaigns/987654321").statusCode()).isEqualTo(404);
    }
}
