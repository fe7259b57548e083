package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.lead.Customers;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Customers: create, search and page, replace, refuse bad input, and delete down to an opt-out tombstone. */
class CustomersApiTest extends HubIntegrationTest {

    @Test
    void shouldCreateReadAndReplaceACustomer() {
        String phone = newPhone();
        HttpResponse<String> created = staff.post("/api/customers", "{\"phone\":\"" + phone
                + "\",\"name\":\"Ana Ruiz\",\"email\":\"Ana@Example.com\","
                + "\"serviceStatus\":\"active\",\"tags\":[\"VIP\",\"termites\"],\"timeZone\":\"America/Chicago\",\"openIssues\":\"gate code 4411\","
                + "\"serviceHistory\":[{\"service\":\"Termite inspection\",\"performedOn\":\"2026-05-02\"},{\"service\":\"Quarterly spray\",\"performedOn\":\"2026-08-14\"}],"
                + "\"consent\":\"opted_in\",\"consentEvidence\":\"signed service agreement\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode c = StaffClient.json(created);
        long id = c.get("id").asLong();
        assertThat(c.get("email").asText()).isEqualTo("ana@example.com");
        assertThat(c.get("tags").toString()).isEqualTo("[\"vip\",\"termites\"]");
        assertThat(c.get("lastServiceOn").asText()).isEqualTo("2026-08-14");
        assertThat(c.get("serviceHistory")).hasSize(2);
        assertThat(c.get("consent").asText()).isEqualTo("OPTED_IN");

        assertThat(staff.post("/api/customers", "{\"phone\":\"" + phone + "\"}").statusCode()).isEqualTo(409);

        HttpResponse<String> replaced = staff.put("/api/customers/" + id,
                "{\"name\":\"Ana Ruiz\",\"serviceStatus\":\"cancelled\",\"tags\":[\"vip\"]}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonNode r = StaffClient.json(replaced);
        assertThat(r.get("serviceStatus").asText()).isEqualTo("cancelled");
        assertThat(r.get("cancelledOn").asText()).isEqualTo("2026-11-18"); // the test clock's day in the business's zone
        assertThat(r.get("serviceHistory")).hasSize(2); // left out: kept
        assertThat(r.has("email")).isFalse(); // PUT replaces

        assertThat(staff.get("/api/customers/" + id).statusCode()).isEqualTo(200);
        assertThat(staff.get("/api/customers/987654321").statusCode()).isEqualTo(404);
    }

    /**
     * A reply worker reads the customer for its prompt, and 200 of them share a small pool: a read that
     * holds one connection while it asks for a second (the visits queried inside the contact's row
     * mapper) starved the pool under load (bench/turns.sh, every webhook timing out). With one
     * connection such a read cannot finish at all.
     */
    @Test
    void shouldReadACustomerAndItsVisitsOnOneConnection() {
        String phone = newPhone();
        assertThat(staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"name\":\"Una Connection\","
                + "\"serviceHistory\":[{\"service\":\"Quarterly spray\",\"performedOn\":\"2026-08-14\"}]}").statusCode()).isEqualTo(201);
        HikariDataSource shared = (HikariDataSource) jdbc.getDataSource();
        HikariConfig one = new HikariConfig();
        one.setJdbcUrl(shared.getJdbcUrl());
        one.setUsername(shared.getUsername());
        one.setPassword(shared.getPassword());
        one.setMaximumPoolSize(1);
        one.setConnectionTimeout(1_000);
        try (HikariDataSource pool = new HikariDataSource(one)) {
            Customers customers = new Customers(new JdbcTemplate(pool), null, null, null, clock);

            assertThat(customers.byPhone(phone)).get().satisfies(c -> assertThat(c.serviceHistory()).hasSize(1));
        }
    }

    @Test
    void shouldSearchAndPage() {
        String tag = "t" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            assertThat(staff
                    .post("/api/customers", "{\"phone\":\"" + newPhone() + "\",\"name\":\"Pager " + tag + " " + i + "\",\"tags\":[\"" + tag
                            + "\"],\"serviceStatus\":\"" + (i % 2 == 0 ? "active" : "paused") + "\"}")
                    .statusCode()).isEqualTo(201);
        }

        JsonNode first = StaffClient.json(staff.get("/api/customers?tag=" + tag + "&size=2&sort=name"));
        JsonNode last = StaffClient.json(staff.get("/api/customers?tag=" + tag + "&size=2&page=2&sort=name"));
        JsonNode beyond = StaffClient.json(staff.get("/api/customers?tag=" + tag + "&size=2&page=3"));
        JsonNode paused = StaffClient.json(staff.get("/api/customers?q=pager+" + tag + "&status=paused"));

        assertThat(first.get("total").asInt()).isEqualTo(5);
        assertThat(first.get("items").get(0).get("name").asText()).endsWith(" 0");
        assertThat(last.get("items")).hasSize(1);
        assertThat(last.get("items").get(0).get("name").asText()).endsWith(" 4");
        assertThat(beyond.get("items")).isEmpty();
        assertThat(paused.get("total").asInt()).isEqualTo(2);
        for (String bad : new String[] {"size=0", "size=201", "page=-1", "status=gone", "sort=shoe"}) {
            HttpResponse<String> refused = staff.get("/api/customers?" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
    }

    @Test
    void shouldRefuseBadFieldsAndWriteNothing() {
        String phone = newPhone();
        for (String body : new String[] {"{\"phone\":\"not a phone\"}", "{\"name\":\"no phone\"}",
                "{\"phone\":\"" + phone + "\",\"serviceStatus\":\"asleep\"}", "{\"phone\":\"" + phone + "\",\"timeZone\":\"Mars/Olympus\"}",
                "{\"phone\":\"" + phone + "\",\"email\":\"not-an-email\"}", "{\"phone\":\"" + phone + "\",\"tags\":[\"<script>\"]}",
                "{\"phone\":\"" + phone + "\",\"serviceHistory\":[{\"service\":\"x\"}]}"}) {
            assertThat(staff.post("/api/customers", body).statusCode()).as(body).isEqualTo(400);
        }
        assertThat(count("SELECT count(*) FROM contact WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldDeleteMessagesAndPersonalDataButKeepAnOptOutThroughAReimport() throws Exception {
        String phone = newPhone();
        long id = StaffClient.json(staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"name\":\"Gone Soon\",\"email\":\"gone"
                + phone.substring(1)
                + "@example.com\",\"serviceStatus\":\"active\",\"serviceHistory\":[{\"service\":\"Spray\",\"performedOn\":\"2026-01-05\"}]}"))
                .get("id").asLong();
        twilio.text(phone, "Do you treat for ants?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND purpose = 'reply'", phone) == 1);
        twilio.text(phone, "STOP");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM consent_state WHERE phone = ? AND status = 'OPTED_OUT'", phone) == 1);
        long conversationId = staff.conversation(phone).get("id").asLong();
        assertThat(count("SELECT count(*) FROM message WHERE conversation_id = ?", conversationId)).isGreaterThanOrEqualTo(3);

        assertThat(staff.delete("/api/customers/" + id).statusCode()).isEqualTo(204);

        assertThat(count("SELECT count(*) FROM message WHERE conversation_id = ?", conversationId)).isZero();
        assertThat(count("SELECT count(*) FROM contact WHERE phone = ? OR id = ?", phone, id)).isZero();
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? OR body LIKE '%ants%'", phone)).isZero();
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ?", phone)).isZero();
        assertThat(count("SELECT count(*) FROM service_visit WHERE contact_id = ?", id)).isZero();
        assertThat(count("SELECT count(*) FROM consent_tombstone WHERE phone_hash = ? AND channel = 'sms'", ConsentLedger.phoneHash(phone)))
                .isEqualTo(1);
        assertThat(staff.get("/api/customers/" + id).statusCode()).isEqualTo(404);

        // The same number comes back on an imported list: it is opted out again, and nothing can be sent to it.
        HttpResponse<String> imported = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/leads/import?source=import")).header("X-API-Key", "test-key-1").header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("name,phone\nBack Again," + phone + "\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).isEqualTo(200);
        JsonNode consent = StaffClient.json(staff.get("/api/consent/" + phone));
        assertThat(consent.get("status").asText()).isEqualTo("OPTED_OUT");
        assertThat(consent.get("ledger").get(0).get("source").asText()).isEqualTo("SYSTEM");
        assertThat(staff.sendText(phone, "we miss you").statusCode()).isEqualTo(409);
        HttpResponse<String> recreated = staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"consent\":\"opted_in\"}");
        assertThat(StaffClient.json(recreated).get("consent").asText()).isEqualTo("OPTED_OUT");
    }

    @Test
    void shouldLeaveNoTombstoneForACustomerWhoHadNotOptedOut() {
        String phone = newPhone();
        long id = StaffClient.json(staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"consent\":\"opted_in\"}")).get("id")
                .asLong();

        assertThat(staff.delete("/api/customers/" + id).statusCode()).isEqualTo(204);
        assertThat(staff.delete("/api/customers/" + id).statusCode()).isEqualTo(404);

        assertThat(count("SELECT count(*) FROM consent_tombstone WHERE phone_hash = ?", ConsentLedger.phoneHash(phone))).isZero();
        assertThat(StaffClient.json(staff.post("/api/customers", "{\"phone\":\"" + phone + "\"}")).get("consent").asText())
                .isEqualTo("NONE");
    }
}
