package com.retentionhub.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioWebhookClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The inbound SMS webhook through HTTP against the running hub on PostgreSQL. */
class InboundSmsWebhookTest extends HubIntegrationTest {

    @Test
    void shouldAnswerTwimlAndShowTheTextInTheConversationWhenSignedCorrectly() {
        String phone = newPhone();
        HttpResponse<String> response = twilio.text(phone, "Hi, do you treat for termites? 🐜");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/xml"));
        assertThat(response.body()).contains("<Response/>");
        JsonNode conversation = await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null);
        JsonNode message = conversation.get("messages").get(0);
        assertThat(message.get("body").asText()).isEqualTo("Hi, do you treat for termites? 🐜");
        assertThat(message.get("direction").asText()).isEqualTo("IN");
        assertThat(message.get("encoding").asText()).isEqualTo("UCS2");
        assertThat(conversation.get("state").asText()).isEqualTo("start");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sms", "/sms/webhook", "/messages/incoming", "/api/inbound-sms"})
    void shouldAcceptTheTextOnEveryLegacyPathWhenSignedForThatPath(String path) {
        String phone = newPhone();
        HttpResponse<String> response = twilio.post(path, TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "hello"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isEqualTo(1);
    }

    @Test
    void shouldAcceptSignatureMadeWithExplicitDefaultPortWhenConfiguredWithout() {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "port test");

        HttpResponse<String> response = twilio.postSigned("/sms", form, "https://hub.example.com:443/sms", "test-auth-token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isEqualTo(1);
    }

    @Test
    void shouldRefuseAndStoreNothingWhenTheBodyWasTamperedWith() {
        String phone = newPhone();
        Map<String, String> signed = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "original");
        String signature = TwilioWebhookClient.signature("test-auth-token", "https://hub.example.com/sms", signed);
        Map<String, String> tampered = new LinkedHashMap<>(signed);
        tampered.put("Body", "tampered");

        HttpResponse<String> response = twilio.send("/sms", TwilioWebhookClient.encode(tampered), "application/x-www-form-urlencoded",
                signature);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("invalid X-Twilio-Signature").doesNotContain("Exception");
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldRefuseAndStoreNothingWhenSignedForAnotherUrl() {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "hello");

        HttpResponse<String> response = twilio.postSigned("/sms", form, "https://attacker.example.com/sms", "test-auth-token");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldRefuseAndStoreNothingWhenSignedWithAnotherToken() {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "hello");

        HttpResponse<String> response = twilio.postSigned("/sms", form, "https://hub.example.com/sms", "not-the-token");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldRefuseWhenTheSignatureIsMissing() {
        String phone = newPhone();
        String body = TwilioWebhookClient.encode(TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "hello"));

        HttpResponse<String> response = twilio.send("/sms", body, "application/x-www-form-urlencoded", null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldStoreOneMessageAndOneEffectWhenTheSameSidArrivesThreeTimesConcurrently() throws Exception {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "STOP");
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> deliveries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deliveries.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return twilio.post("/sms", form);
            }));
        }
        start.countDown();

        List<String> answers = deliveries.stream().map(CompletableFuture::join).map(r -> r.statusCode() + " " + r.body()).toList();

        assertThat(answers).allMatch(a -> a.equals(answers.get(0))).allMatch(a -> a.startsWith("200 "));
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ?", phone)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null && c.get("messages").size() == 2);
        // A stray second processing would show up in the count meanwhile.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM message m JOIN conversation c"
                        + " ON c.id = m.conversation_id JOIN contact k ON k.id = c.contact_id WHERE k.phone = ? AND m.direction = 'IN'",
                        phone) == 1);
    }

    @Test
    void shouldGiveTheSameAnswerWhenASidIsDeliveredAgainLater() {
        toggle.setLive(true);
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "help");

        HttpResponse<String> first = twilio.post("/sms", form);
        toggle.setLive(false);
        HttpResponse<String> again = twilio.post("/sms", form);

        assertThat(first.body()).contains("<Message>");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isEqualTo(1);
    }

    @Test
    void shouldAnswer400WhenMessageSidIsMissing() {
        Map<String, String> form = TwilioWebhookClient.inbound("", newPhone(), "hello");
        form.remove("MessageSid");
        form.remove("SmsSid");

        HttpResponse<String> response = twilio.post("/sms", form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("missing MessageSid");
    }

    @Test
    void shouldAnswer400WhenFromIsMissing() {
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), "x", "hello");
        form.remove("From");

        HttpResponse<String> response = twilio.post("/sms", form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("missing From");
    }

    @Test
    void shouldAnswer400WhenTheBodyIsNotFormEncoded() {
        // JSON is a form Twilio signs too (through bodySHA256, see TwilioSignatureWebhookTest); plain text is not.
        HttpResponse<String> response = twilio.send("/sms", "MessageSid SM1", "text/plain", "sig");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("expected application/x-www-form-urlencoded");
    }

    @Test
    void shouldAnswer413WhenTheBodyIsOver64KiB() {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "a".repeat(70_000));

        HttpResponse<String> response = twilio.post("/sms", form);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldAnswer400WhenTheBodyIsNotValidUtf8() {
        byte[] prefix = ("MessageSid=" + TwilioWebhookClient.newSid() + "&From=%2B14155550100&Body=").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + 2];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3; // a lead byte with no continuation
        body[prefix.length + 1] = (byte) 0x28;

        HttpResponse<String> response = twilio.sendBytes("/sms", body, "application/x-www-form-urlencoded", "sig");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid UTF-8");
    }

    @Test
    void shouldAnswer400WhenPercentEncodingHidesInvalidUtf8() {
        String body = "MessageSid=" + TwilioWebhookClient.newSid() + "&From=%2B14155550100&Body=%C3%28";

        HttpResponse<String> response = twilio.send("/sms", body, "application/x-www-form-urlencoded", "sig");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("invalid UTF-8");
    }
}
