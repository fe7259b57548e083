package com.retentionhub.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioFake;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The outbound path: outbox, live toggle, Twilio connector over camel-twilio, provider errors. */
class OutboundDispatchTest extends HubIntegrationTest {

    /** A first text as the hub sends it (named, with the opt-out wording), so a provider-side lookup finds the very body queued. */
    static final String HELLO = "Green Shield Pest Control: hello. Reply STOP to opt out.";

    @Test
    void shouldRecordSimulatedAndReachNoProviderWhenTheToggleIsOff() {
        String phone = newPhone();

        HttpResponse<String> response = staff.sendText(phone, "Your treatment is booked for Tuesday");

        assertThat(response.statusCode()).isEqualTo(202);
        long outboxId = StaffClient.json(response).get("outboxId").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(outboxId), "SIMULATED"::equals);
        assertThat(messageStatus(phone)).isEqualTo("simulated");
        assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(0);
    }

    @Test
    void shouldSendExactlyOneRequestWithStatusCallbackPerMessageWhenLive() {
        toggle.setLive(true);
        String phone = newPhone();

        long first = StaffClient.json(staff.sendText(phone, "First")).get("outboxId").asLong();
        long second = StaffClient.json(staff.sendText(phone, "Second")).get("outboxId").asLong();

        await().atMost(Duration.ofSeconds(10)).until(() -> status(first).equals("SENT") && status(second).equals("SENT"));
        List<LoggedRequest> requests = TwilioFake.requestsTo(TWILIO, phone);
        assertThat(requests).hasSize(2);
        for (LoggedRequest r : requests) {
            String form = URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8);
            assertThat(form).contains("To=" + phone).contains("From=+15017122661")
                    .contains("StatusCallback=https://hub.example.com/sms/status");
            assertThat(r.getHeader("Authorization")).startsWith("Basic ");
        }
        assertThat(requests.get(0).getUrl()).startsWith("/2010-04-01/Accounts/ACfakefakefakefakefakefakefakefake/Messages.json");
        assertThat(jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, first)).startsWith("SM");
        assertThat(messageStatus(phone)).isEqualTo("queued");
    }

    @Test
    void shouldSendOnceWhenTheSameIdempotencyKeyIsPostedTwice() {
        toggle.setLive(true);
        String phone = newPhone();
        String json = "{\"phone\":\"" + phone + "\",\"body\":\"once\"}";

        HttpResponse<String> a = staff.postWithKey("/api/messages", json, "retry-42-" + phone);
        HttpResponse<String> b = staff.postWithKey("/api/messages", json, "retry-42-" + phone);

        assertThat(StaffClient.json(a).get("outboxId")).isEqualTo(StaffClient.json(b).get("outboxId"));
        long id = StaffClient.json(a).get("outboxId").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
    }

    @Test
    void shouldRecordAnOptOutAndNeverRetryWhenTwilioSays21610() {
        toggle.setLive(true);
        TwilioFake.failWith(TWILIO, 400, 21610, "Attempt to send to unsubscribed recipient");
        String phone = newPhone();

        long id = StaffClient.json(staff.sendText(phone, HELLO)).get("outboxId").asLong();

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "FAILED"::equals);
        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ?", String.class, phone)).isEqualTo("OPTED_OUT");
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ? AND source = 'PROVIDER'", phone)).isEqualTo(1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
    }

    @Test
    void shouldMarkTheContactAndNotRetryWhenTheNumberIsNotMobile() {
        toggle.setLive(true);
        TwilioFake.failWith(TWILIO, 400, 21614, "'To' number is not a valid mobile number");
        String phone = newPhone();

        long id = StaffClient.json(staff.sendText(phone, HELLO)).get("outboxId").asLong();

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "FAILED"::equals);
        assertThat(jdbc.queryForObject("SELECT phone_valid FROM contact WHERE phone = ?", Boolean.class, phone)).isFalse();
    }

    @Test
    void shouldRetryWithBackoffWhenTwilioAnswers429() {
        toggle.setLive(true);
        TwilioFake.failWith(TWILIO, 429, 20429, "Too Many Requests");
        String phone = newPhone();

        long id = StaffClient.json(staff.sendText(phone, HELLO)).get("outboxId").asLong();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT attempts FROM outbox WHERE id = ?", id) >= 1 && status(id).equals("PENDING"));
        TWILIO.resetAll();
        TwilioFake.acceptMessages(TWILIO);

        await().atMost(Duration.ofSeconds(15)).until(() -> status(id), "SENT"::equals);
        assertThat(count("SELECT attempts FROM outbox WHERE id = ?", id)).isGreaterThanOrEqualTo(2);
        assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1);
    }

    @Test
    void shouldRecordTheMessageSentWithoutResendingWhenTwilioAnswers500ButHasIt() {
        toggle.setLive(true);
        TwilioFake.failWith(TWILIO, 500, 20500, "Internal Server Error");
        String phone = newPhone();
        TwilioFake.listMessages(TWILIO, phone, TwilioFake.message("SMfound500", phone, HELLO, "sent"));

        long id = StaffClient.json(staff.sendText(phone, HELLO)).get("outboxId").asLong();

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        assertThat(jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, id)).isEqualTo("SMfound500");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
    }

    @Test
    void shouldResendAfterA500OnlyOnceTwilioSaysItDoesNotHaveTheMessage() {
        toggle.setLive(true);
        TwilioFake.failWith(TWILIO, 500, 20500, "Internal Server Error");
        String phone = newPhone();
        TwilioFake.listMessages(TWILIO, phone);

        long id = StaffClient.json(staff.sendText(phone, HELLO)).get("outboxId").asLong();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT attempts FROM outbox WHERE id = ?", id) >= 1 && status(id).equals("PENDING"));
        TwilioFake.acceptMessages(TWILIO);

        await().atMost(Duration.ofSeconds(15)).until(() -> status(id), "SENT"::equals);
        assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(2);
        assertThat(TWILIO.findAll(WireMock.getRequestedFor(urlPathMatching(TwilioFake.MESSAGES)))).isNotEmpty();
    }

    @Test
    void shouldLeaveTheRowUnknownAndNeverResendWhileTwilioCannotBeAsked() {
        toggle.setLive(true);
        TwilioFake.failWith(TWILIO, 500, 20500, "Internal Server Error");
        String phone = newPhone();

        long id = StaffClient.json(staff.sendText(phone, HELLO)).get("outboxId").asLong();

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "UNKNOWN"::equals);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
            assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1);
            assertThat(status(id)).isEqualTo("UNKNOWN");
        });
    }

    @Test
    void shouldRefuseAManualMessageWithA400WhenThePhoneIsNotANumber() {
        HttpResponse<String> response = staff.sendText("not-a-phone", "hi");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    private String status(long outboxId) {
        return jdbc.queryForObject("SELECT status FROM outbox WHERE id = ?", String.class, outboxId);
    }

    private String messageStatus(String phone) {
        JsonNode messages = staff.conversation(phone).get("messages");
        return messages.get(messages.size() - 1).get("status").asText();
    }
}
