package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Twilio status callbacks: verified, deduped, forward-only, whatever order they arrive in. */
class StatusCallbackTest extends HubIntegrationTest {

    @Test
    void shouldEndAtTheFurthestStatusWhenCallbacksArriveOutOfOrderAndTwice() {
        String sid = sentMessageSid();

        for (String status : new String[] {"sent", "delivered", "sending", "sent", "delivered", "queued"}) {
            assertThat(callback("/sms/status", sid, status).statusCode()).isEqualTo(200);
        }

        assertThat(statusOf(sid)).isEqualTo("delivered");
        assertThat(count("SELECT count(*) FROM status_event WHERE provider_id = ?", sid)).isEqualTo(4);
    }

    @Test
    void shouldKeepFailedWhenALateSentArrives() {
        String sid = sentMessageSid();

        callback("/sms/status-callback", sid, "failed");
        callback("/sms/status-callback", sid, "sent");

        assertThat(statusOf(sid)).isEqualTo("failed");
    }

    @Test
    void shouldApplyACallbackThatOvertookTheSendReceipt() {
        toggle.setLive(true);
        String phone = newPhone();
        long id = StaffClient.json(staff.sendText(phone, "hi")).get("outboxId").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(outboxStatus(id)));
        String sid = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, id);
        // Simulate the race: the callback landed while the message had no provider id yet.
        jdbc.update("UPDATE message SET provider_id = NULL, status = 'queued' WHERE outbox_id = ?", id);
        callback("/sms/status", sid, "delivered");

        assertThat(jdbc.queryForObject("SELECT status FROM message WHERE outbox_id = ?", String.class, id)).isEqualTo("queued");

        deliveries.linkSent(id, "twilio", sid, "queued");

        assertThat(statusOf(sid)).isEqualTo("delivered");
    }

    @Test
    void shouldRefuseAnUnsignedCallbackAndChangeNothing() {
        String sid = sentMessageSid();
        Map<String, String> form = form(sid, "undelivered");

        HttpResponse<String> response = twilio.postSigned("/sms/status", form, "https://hub.example.com/sms/status", "wrong");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(statusOf(sid)).isEqualTo("queued");
    }

    @Test
    void shouldAnswer400ForAnUnknownStatus() {
        assertThat(callback("/sms/status", sentMessageSid(), "teleported").statusCode()).isEqualTo(400);
    }

    @Autowired
    DeliveryLog deliveries;

    private String sentMessageSid() {
        toggle.setLive(true);
        long id = StaffClient.json(staff.sendText(newPhone(), "status test")).get("outboxId").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(outboxStatus(id)));
        toggle.setLive(false);
        return jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, id);
    }

    private String outboxStatus(long id) {
        return jdbc.queryForObject("SELECT status FROM outbox WHERE id = ?", String.class, id);
    }

    private String statusOf(String sid) {
        return jdbc.queryForObject("SELECT status FROM message WHERE provider_id = ?", String.class, sid);
    }

    private HttpResponse<String> callback(String path, String sid, String status) {
        return twilio.post(path, form(sid, status));
    }

    private static Map<String, String> form(String sid, String status) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("SmsSid", sid);
        form.put("MessageStatus", status);
        form.put("SmsStatus", status);
        form.put("AccountSid", "ACfakefakefakefakefakefakefakefake");
        form.put("From", "+15017122661");
        form.put("To", "+14155552671");
        form.put("ApiVersion", "2010-04-01");
        return form;
    }
}
