package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioFake;
import com.retentionhub.support.TwilioWebhookClient;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Template replies: one per text, in order, none while paused or opted out, none past the hourly limit. */
class ReplyWorkerTest extends HubIntegrationTest {

    @Test
    void shouldSendExactlyOneTemplateReplyForAnOrdinaryText() {
        toggle.setLive(true);
        String phone = newPhone();

        twilio.text(phone, "Do you do termite inspections?");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
        String form = URLDecoder.decode(TwilioFake.requestsTo(TWILIO, phone).get(0).getBodyAsString(),
                StandardCharsets.UTF_8);
        assertThat(form).contains("To=" + phone).contains("Green Shield Pest Control");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
    }

    @Test
    void shouldAnswerTenQuickTextsOnceEachInArrivalOrder() {
        String phone = newPhone();
        List<String> sids = IntStream.range(0, 10).mapToObj(i -> {
            Map<String, String> form = TwilioWebhookClient.inbound(
                    TwilioWebhookClient.newSid(), phone, "question " + i);
            twilio.post("/sms", form);
            return form.get("MessageSid");
        }).toList();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%'",
                        phone) == 10);
        List<String> replyOrder = jdbc.queryForList(
                "SELECT idempotency_key FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%' ORDER BY id",
                String.class, phone);
        assertThat(replyOrder).containsExactlyElementsOf(sids.stream().map(s -> "reply:" + s).toList());
    }

    @Test
    void shouldStoreButNotAnswerTextsPastTheHourlyLimit() {
        String phone = newPhone();

        for (int i = 0; i < 40; i++) {
            twilio.text(phone, "message number " + i);
        }

        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM inbound_event WHERE phone = ? AND processed_at IS NOT NULL",
                        phone) == 40);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 30);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ?", phone) == 30);
        List<String> answered = jdbc.queryForList("SELECT r.body FROM reply_task r WHERE r.phone = ? ORDER BY r.inbound_event_id",
                String.class, phone);
        assertThat(answered.get(29)).isEqualTo("message number 29");
    }

    @Test
    void shouldNotReplyWhileAHumanHasTheConversation() {
        String phone = newPhone();
        twilio.text(phone, "We will sue you");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone),
                c -> c != null && "pause".equals(c.get("state").asText()));

        twilio.text(phone, "hello? anyone there?");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'SKIPPED'", phone) == 1);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%'", phone)).isZero();
    }

    @Test
    void shouldNotAnswerAPhoneWhoseOptOutTheLedgerHoldsWhileItsConversationIsOpen() {
        String phone = newPhone();
        // Opted out outside this conversation (a staff record, a restored tombstone): the conversation itself has no STOP.
        jdbc.update("INSERT INTO consent_state (phone, channel, status, updated_at) VALUES (?, 'sms', 'OPTED_OUT', now())", phone);

        twilio.text(phone, "Do you do termite inspections?");

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'SKIPPED'"
                + " AND outcome = 'opted out'", phone) == 1);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%'", phone)).isZero();
    }

    @Test
    void shouldLearnTheNameAndEmailAndScoreTheLead() {
        String phone = newPhone();
        twilio.text(phone, "Hi, this is Maria Lopez. How much is a termite inspection?");
        twilio.text(phone, "you can email me at maria.lopez@example.com");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 2);

        var contact = staff.conversation(phone).get("contact");
        assertThat(contact.get("name").asText()).isEqualTo("Maria Lopez");
        assertThat(contact.get("email").asText()).isEqualTo("maria.lopez@example.com");
        assertThat(contact.get("leadScore").asInt()).isBetween(50, 100);
        assertThat(contact.get("leadScoreReasons").asText()).contains("intent pricing", "email given", "name given");
        assertThat(jdbc.queryForList("SELECT intent FROM message m JOIN conversation c ON c.id = m.conversation_id JOIN contact k"
                + " ON k.id = c.contact_id WHERE k.phone = ? AND m.direction = 'IN' ORDER BY m.id", String.class, phone))
                .containsExactly("pricing", "other");
    }

    @Test
    void shouldCutALongReplyAtASentenceBoundary() {
        String reply = ReplyText.fit("First sentence here. " + "Second one is long ".repeat(10) + "and ends. " + "x".repeat(200));

        assertThat(reply).hasSizeLessThanOrEqualTo(320).endsWith(".");
        assertThat(ReplyText.fit("short")).isEqualTo("short");
        assertThat(ReplyText.fit("word ".repeat(100))).hasSizeLessThanOrEqualTo(320).endsWith("...");
    }
}
