package com.retentionhub.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A cold cell list imported as CSV: counts, the invalid rows by number, duplicates within the file and against known leads. */
class LeadImportTest extends HubIntegrationTest {

    @Test
    void shouldCountImportedDuplicateAndInvalidRows() throws Exception {
        String a = newPhone();
        String b = newPhone();
        String known = newPhone();
        staff.post("/api/leads", "{\"phone\":\"" + known + "\",\"name\":\"Kim Known\"}");
        String csv = "Phone,First Name,Last Name\n"
                + "\"(" + a.substring(2, 5) + ") " + a.substring(5, 8) + "-" + a.substring(8) + "\",Dana,Reyes\n" // row 2
                + b + ",,\n" // row 3
                + "not a number,Bad,Row\n" // row 4: invalid
                + "\n" // a blank line is skipped
                + a + ",Dana,Again\n" // row 6: duplicate within the file
                + known + ",Known,Lead\n" // row 7: duplicate of an existing lead
                + ",No,Phone\n"; // row 8: invalid

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/leads/import?source=bulk"))
                        .header("X-API-Key", "test-key-1").header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv))
                        .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = new ObjectMapper().readTree(response.body());
        assertThat(result.path("imported").asInt()).isEqualTo(2);
        assertThat(result.path("duplicates").asInt()).isEqualTo(2);
        assertThat(result.path("invalid").asInt()).isEqualTo(2);
        assertThat(result.path("invalidRows").toString()).isEqualTo("[4,8]");
        assertThat(jdbc.queryForObject("SELECT name FROM leads WHERE phone = ?", String.class, a)).isEqualTo("Dana Reyes");
        // A duplicate row never renames the contact: not the one earlier in the file, not the one known before.
        assertThat(jdbc.queryForObject("SELECT name FROM contact WHERE phone = ?", String.class, a)).isEqualTo("Dana Reyes");
        assertThat(jdbc.queryForObject("SELECT name FROM contact WHERE phone = ?", String.class, known)).isEqualTo("Kim Known");
        assertThat(jdbc.queryForObject("SELECT source FROM leads WHERE phone = ?", String.class, b)).isEqualTo("BULK");
    }

    @Test
    void shouldRefuseAFileWithoutAPhoneOrEmailColumn() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/leads/import"))
                        .header("X-API-Key", "test-key-1").header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString("name\nDana\n")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("phone or an email column");
    }
}
