package com.retentionhub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioWebhookClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signed the way Twilio signs, through HTTP to the running hub: every request Twilio's own
 * validators accept is taken (200 and stored), and the same request altered is refused (403,
 * nothing stored). Signatures are computed here from Twilio's published algorithm.
 */
class TwilioSignatureWebhookTest extends HubIntegrationTest {

    private static final String TOKEN = "test-auth-token";
    private static final String BASE = "https://hub.example.com";
    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void shouldAcceptEveryValueOfARepeatedParameterSignedSortedAndRefuseOneChanged() {
        String phone = newPhone();
        Map<String, List<String>> form = multi(TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Photos attached"));
        form.put("MediaUrl", List.of("https://api.twilio.com/m/2", "https://api.twilio.com/m/1"));
        String signature = TwilioWebhookClient.signatureOfMultiValued(TOKEN, BASE + "/sms", form);

        Map<String, List<String>> altered = new LinkedHashMap<>(form);
        altered.put("MediaUrl", List.of("https://api.twilio.com/m/2", "https://evil.example/m/1"));
        assertRefused(twilio.send("/sms", TwilioWebhookClient.encodeMultiValued(altered), FORM, signature), phone);

        assertAccepted(twilio.send("/sms", TwilioWebhookClient.encodeMultiValued(form), FORM, signature), phone);
    }

    @Test
    void shouldAcceptAUrlTwilioSignedWithPlainNonAsciiAndQuotesThatArrivedPercentEncoded() {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Hola");
        String signature = TwilioWebhookClient.signature(TOKEN, BASE + "/sms?campaign=Café \"Ñandú\"&who=O'Brien", form);

        assertRefused(
                twilio.send("/sms?campaign=Caf%C3%A9%20%22%C3%91and%C3%BA%22&who=O%27Brian", TwilioWebhookClient.encode(form), FORM,
                        signature),
                phone);
        assertAccepted(
                twilio.send("/sms?campaign=Caf%C3%A9%20%22%C3%91and%C3%BA%22&who=O%27Brien", TwilioWebhookClient.encode(form), FORM,
                        signature),
                phone);
    }

    @Test
    void shouldAcceptAUrlTwilioSignedPercentEncodedThatArrivedWithPlainQuotes() {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Hi");
        String signature = TwilioWebhookClient.signature(TOKEN, BASE + "/sms?who=O%27Brien&city=Z%C3%BCrich", form);

        assertAccepted(twilio.send("/sms?who=O'Brien&city=Z%C3%BCrich", TwilioWebhookClient.encode(form), FORM, signature), phone);
    }

    @Test
    void shouldAcceptAUrlSignedWithTheDefaultPortAndAnEncodedDelimiterInTheQuery() {
        String phone = newPhone();
        Map<String, String> form = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Hi");
        // The SDK's validator decodes %26 when it drops the port, and so refused this (twilio-java#601).
        String signature = TwilioWebhookClient.signature(TOKEN, "https://hub.example.com:443/sms?tag=a%26b", form);

        assertRefused(twilio.send("/sms?tag=a&b", TwilioWebhookClient.encode(form), FORM, signature), phone);
        assertAccepted(twilio.send("/sms?tag=a%26b", TwilioWebhookClient.encode(form), FORM, signature), phone);
    }

    @Test
    void shouldAcceptAJsonWebhookSignedThroughBodySha256AndRefuseAnotherBody() throws Exception {
        String phone = newPhone();
        String sid = TwilioWebhookClient.newSid();
        String body = "{\"MessageSid\":\"" + sid + "\",\"From\":\"" + phone
                + "\",\"To\":\"+15017122661\",\"Body\":\"Hi from JSON \\u00e9\"}";
        String path = "/sms?bodySHA256=" + sha256(body);
        String signature = TwilioWebhookClient.signature(TOKEN, BASE + path, Map.of());

        assertRefused(twilio.send(path, body.replace("Hi from", "Pay to"), "application/json", signature), phone);
        assertAccepted(twilio.send(path, body, "application/json", signature), phone);
        assertThat(jdbc.queryForObject("SELECT body FROM inbound_event WHERE phone = ?", String.class, phone)).isEqualTo("Hi from JSON é");
    }

    private void assertAccepted(HttpResponse<String> response, String phone) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isEqualTo(1);
    }

    private void assertRefused(HttpResponse<String> response, String phone) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(count("SELECT count(*) FROM inbound_event WHERE phone = ?", phone)).isZero();
    }

    private static Map<String, List<String>> multi(Map<String, String> form) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        form.forEach((k, v) -> multi.put(k, List.of(v)));
        return multi;
    }

    private static String sha256(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
