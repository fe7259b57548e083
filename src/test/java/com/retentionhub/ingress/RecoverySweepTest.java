package com.retentionhub.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioWebhookClient;
import java.sql.Timestamp;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Events acknowledged but never processed (the process died in between) are processed later, once. */
class RecoverySweepTest extends HubIntegrationTest {

    @Test
    void shouldProcessAnAcknowledgedButUnprocessedEventExactlyOnce() {
        String phone = newPhone();
        // What a crash between the 200 and the hand-over leaves behind: a stored, unprocessed event.
        jdbc.update("INSERT INTO inbound_event (provider, dedupe_key, phone, to_number, body, params, keyword, reply_text, reply_live,"
                + " reply_twiml, received_at, insert_batch) VALUES ('twilio', ?, ?, '+15017122661', 'still there?', '{}', NULL, NULL, FALSE, '<Response/>',"
                + " ?, 0)", TwilioWebhookClient.newSid(), phone, Timestamp.from(clock.instant().minusSeconds(60)));

        await().atMost(Duration.ofSeconds(15))
                .until(() -> count("SELECT count(*) FROM inbound_event WHERE phone = ? AND processed_at IS NULL",
                        phone) == 0);
        // Processed once: the sweep's next passes do not process it again.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM message m JOIN conversation c"
                        + " ON c.id = m.conversation_id JOIN contact k ON k.id = c.contact_id WHERE k.phone = ? AND m.direction = 'IN'",
                        phone) == 1);
        assertThat(staff.conversation(phone).get("messages").get(0).get("body").asText()).isEqualTo("still there?");
    }
}
