package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The lead list staff pick leads from: search by name, email or phone digits, filters, paging, and clear 400s. */
class LeadsApiTest extends HubIntegrationTest {

    @Test
    void shouldFindALeadByNameEmailOrPhoneDigitsWhenSearching() {
        String tag = "z" + UUID.randomUUID().toString().substring(0, 8);
        String phone = newPhone();
        long id = StaffClient.json(staff.post("/api/leads", "{\"name\":\"Jamie " + tag + "\",\"phone\":\"" + phone + "\",\"email\":\""
                + tag + "@example.com\"}")).get("id").asLong();

        assertThat(ids("/api/leads?q=jamie%20" + tag)).containsExactly(id);
        assertThat(ids("/api/leads?q=" + tag.toUpperCase() + "%40EXAMPLE")).containsExactly(id);
        // Typed as people write phone numbers: "(415) 555-0123" finds +14155550123.
        String digits = phone.substring(2);
        String typed = "(" + digits.substring(0, 3) + ")%20" + digits.substring(3, 6) + "-" + digits.substring(6);
        assertThat(ids("/api/leads?q=" + typed)).contains(id);
        JsonNode lead = StaffClient.json(staff.get("/api/leads?q=" + tag)).get("items").get(0);
        assertThat(lead.get("phone").asText()).isEqualTo(phone);
        assertThat(lead.get("source").asText()).isEqualTo("API");
        assertThat(lead.get("status").asText()).isEqualTo("NEW");
    }

    @Test
    void shouldFilterAndPageWhenListing() {
        String tag = "p" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            staff.post("/api/leads", "{\"name\":\"Pager " + tag + " " + i + "\",\"phone\":\"" + newPhone() + "\",\"source\":\""
                    + (i % 2 == 0 ? "manual" : "bulk") + "\"}");
        }

        JsonNode first = StaffClient.json(staff.get("/api/leads?q=" + tag + "&size=2"));
        assertThat(first.get("total").asInt()).isEqualTo(5);
        assertThat(first.get("items")).hasSize(2);
        assertThat(first.get("items").get(0).get("name").asText()).isEqualTo("Pager " + tag + " 4"); // newest first
        JsonNode last = StaffClient.json(staff.get("/api/leads?q=" + tag + "&size=2&page=2"));
        assertThat(last.get("items")).hasSize(1);
        assertThat(ids("/api/leads?q=" + tag + "&source=manual")).hasSize(3);
        assertThat(ids("/api/leads?q=" + tag + "&source=BULK&status=new")).hasSize(2);
        assertThat(ids("/api/leads?q=" + tag + "&campaign=no-such-campaign")).isEmpty();
    }

    @Test
    void shouldRefuseUnknownFiltersAndBadPagesWithAReason() {
        assertThat(problem("/api/leads?source=carrier-pigeon")).contains("source must be one of");
        assertThat(problem("/api/leads?status=happy")).contains("status must be one of");
        assertThat(problem("/api/leads?size=500")).contains("size must be between 1 and 200");
        assertThat(new StaffClient(port, "wrong-key").get("/api/leads").statusCode()).isEqualTo(401);
    }

    private List<Long> ids(String path) {
        var response = staff.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        StaffClient.json(response).get("items").forEach(i -> ids.add(i.get("id").asLong()));
        return ids;
    }

    private String problem(String path) {
        var response = staff.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        return StaffClient.json(response).get("detail").asText();
    }
}
