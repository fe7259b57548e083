package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The conversation roster, staff takeover and hand-back, and transcript exports. */
class ConversationsApiTest extends HubIntegrationTest {

    @Test
    void shouldSearchFilterSortAndPageTheRoster() {
        String word = "zq" + UUID.randomUUID().toString().substring(0, 6);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String phone = newPhone();
            phones.add(phone);
            twilio.text(phone, "Question " + i + " about " + word);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM message WHERE body LIKE ?", "%" + word + "%") == 3);

        JsonNode all = StaffClient.json(staff.get("/api/conversations?q=" + word));
        JsonNode page = StaffClient.json(staff.get("/api/conversations?q=" + word + "&size=2&page=1"));
        JsonNode started = StaffClient
                .json(staff.get("/api/conversations?q=" + word + "&state=start&escalated=false&warmLead=false&sort=-activity"));

        assertThat(all.get("total").asInt()).isEqualTo(3);
        assertThat(all.get("items").get(0).get("lastActivityAt").asText())
                .isGreaterThanOrEqualTo(all.get("items").get(2).get("lastActivityAt").asText());
        assertThat(page.get("items")).hasSize(1);
        assertThat(started.get("total").asInt()).isEqualTo(3);
        assertThat(StaffClient.json(staff.get("/api/conversations?q=" + phones.get(0).substring(2))).get("total").asInt()).isEqualTo(1);
        for (String bad : new String[] {"state=sleepy", "size=0", "page=-2", "sort=colour", "escalated=perhaps"}) {
            assertThat(staff.get("/api/conversations?" + bad).statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void shouldKeepTheAiQuietWhileStaffHaveTheConversationUntilHandedBack() {
        String phone = newPhone();
        twilio.text(phone, "Hi, do you do mosquito treatments?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND purpose = 'reply'", phone) == 1);
        long id = staff.conversation(phone).get("id").asLong();

        HttpResponse<String> manual = staff.post("/api/conversations/" + id + "/messages",
                "{\"body\":\"Hi, this is Sam from the office - yes we do!\"}");
        assertThat(manual.statusCode()).isEqualTo(202);
        assertThat(StaffClient.json(manual).get("takenOverByStaff").get("by").asText()).startsWith("key-");
        twilio.text(phone, "Great, how much is it?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task t JOIN conversation c ON c.id = t.conversation_id"
                        + " WHERE c.id = ? AND t.outcome = 'staff have the conversation'", id) == 1);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND purpose = 'reply' AND idempotency_key LIKE 'reply:%'", phone))
                .isEqualTo(1);

        assertThat(staff.post("/api/conversations/" + id + "/handback", "{}").statusCode()).isEqualTo(200);
        twilio.text(phone, "And for a quarterly plan?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%'", phone) == 2);
        assertThat(staff.post("/api/conversations/987654321/handback", "{}").statusCode()).isEqualTo(404);
        assertThat(staff.post("/api/conversations/" + id + "/messages", "{\"body\":\"\"}").statusCode()).isEqualTo(400);
        assertThat(staff.post("/api/conversations/" + id + "/takeover", "{\"pauseMinutes\":-5}").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldExportTheSameMessagesAsCsvWithFormulasNeutralisedAndAsJson() {
        String phone = newPhone();
        twilio.text(phone, "=HYPERLINK(\"http://evil.example\",\"click\")");
        twilio.text(phone, "+1 more, \"quoted\" text");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id"
                        + " JOIN contact k ON k.id = c.contact_id WHERE k.phone = ?", phone) >= 4);
        long id = staff.conversation(phone).get("id").asLong();

        HttpResponse<String> csv = staff.get("/api/conversations/" + id + "/transcript?format=csv");
        HttpResponse<String> json = staff.get("/api/conversations/" + id + "/transcript?format=json");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("conversation_id,message_id,at,direction,channel,phone,status,provider_id,body");
        assertThat(csv.body()).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"")
                .contains("\"'+1 more, \"\"quoted\"\" text\"")
                .contains(",'+1415");
        JsonNode messages = StaffClient.json(json).get("messages");
        assertThat(lines).hasSize(messages.size() + 1);
        for (int i = 0; i < messages.size(); i++) {
            assertThat(lines[i + 1]).startsWith(id + "," + messages.get(i).get("messageId").asLong() + ",");
        }
        assertThat(messages.get(0).get("body").asText()).isEqualTo("=HYPERLINK(\"http://evil.example\",\"click\")");

        JsonNode range = StaffClient.json(staff.get("/api/transcripts?from=2026-11-18&to=2026-11-18&format=json"));
        assertThat(range.get("messages").findValues("messageId").stream().map(JsonNode::asLong).toList())
                .containsAll(messages.findValues("messageId").stream().map(JsonNode::asLong).toList());
        assertThat(staff.get("/api/transcripts?from=2026-11-19&to=2026-11-18").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/transcripts?from=yesterday&to=2026-11-18").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/conversations/" + id + "/transcript?format=xls").statusCode()).isEqualTo(400);
    }
}
