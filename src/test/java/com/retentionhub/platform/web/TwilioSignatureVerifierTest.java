package com.retentionhub.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.support.TestProperties;
import com.retentionhub.support.TwilioWebhookClient;
import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureVerifierTest {

    private static final String TOKEN = "12345";

    @Test
    void shouldAcceptASignatureWithoutPortWhenConfiguredWithExplicitDefaultPort() {
        TwilioSignatureVerifier verifier = verifier("https://mycompany.example.com:443");
        Map<String, String> form = Map.of("From", "+14158675310", "Body", "Ahoy");
        String signature = TwilioWebhookClient.signature(TOKEN, "https://mycompany.example.com/sms?x=1", form);

        assertThatCode(() -> verifier.verify("/sms", "x=1", parse(form), signature)).doesNotThrowAnyException();
    }

    @Test
    void shouldAcceptASignatureWithPortWhenConfiguredWithout() {
        TwilioSignatureVerifier verifier = verifier("https://mycompany.example.com/");
        Map<String, String> form = Map.of("From", "+14158675310", "Body", "Ahoy");
        String signature = TwilioWebhookClient.signature(TOKEN, "https://mycompany.example.com:443/sms", form);

        assertThatCode(() -> verifier.verify("/sms", null, parse(form), signature)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseWhenTheQueryStringDiffers() {
        TwilioSignatureVerifier verifier = verifier("https://mycompany.example.com");
        Map<String, String> form = Map.of("From", "+14158675310");
        String signature = TwilioWebhookClient.signature(TOKEN, "https://mycompany.example.com/sms?x=1", form);

        assertThatThrownBy(() -> verifier.verify("/sms", "x=2", parse(form), signature)).isInstanceOf(WebhookRejectedException.class)
                .extracting(e -> ((WebhookRejectedException) e).status()).isEqualTo(403);
    }

    @Test
    void shouldRefuseEverythingWhenNoTokenIsConfigured() {
        TwilioSignatureVerifier verifier = new TwilioSignatureVerifier(properties("https://x.example.com", TestProperties.twilio("")));

        assertThatThrownBy(() -> verifier.verify("/sms", null, parse(Map.of()), "anything")).isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void shouldAcceptEveryValueOfARepeatedNameSortedAndEachDistinctValueOnceAsTheNodeAndPythonValidatorsSign() {
        TwilioSignatureVerifier verifier = verifier("https://mycompany.example.com");
        FormBody form = FormBody.parse("Body=Hi&MediaUrl=b&MediaUrl=a&MediaUrl=b".getBytes(StandardCharsets.US_ASCII));
        String url = "https://mycompany.example.com/sms";

        assertThatCode(() -> verifier.verify("/sms", null, form, hmac(url + "BodyHiMediaUrlaMediaUrlbMediaUrlb")))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify("/sms", null, form, hmac(url + "BodyHiMediaUrlaMediaUrlb"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.verify("/sms", null, form, hmac(url + "BodyHiMediaUrlb")))
                .isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> verifier.verify("/sms", null, form, hmac(url + "BodyHiMediaUrlbMediaUrlaMediaUrlb")))
                .as("values in the order received, not sorted").isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void shouldAcceptEveryRequestTheTwilioSdkValidatorAccepts() {
        TwilioSignatureVerifier verifier = verifier("https://mycompany.example.com");
        RequestValidator sdk = new RequestValidator(TOKEN);
        Map<String, String> params = Map.of("From", "+14158675310", "Body", "Ahoy");
        List<String> queries = List.of("", "x=1", "who=O%27Brien", "c=Z%C3%BCrich", "who=O'Brien", "tag=a%3Ab%40c", "q=%22x%22");
        List<String> hosts = List.of("https://mycompany.example.com", "https://mycompany.example.com:443");
        int sdkAccepted = 0;
        for (String query : queries) {
            String received = "https://mycompany.example.com/sms" + (query.isEmpty() ? "" : "?" + query);
            for (String host : hosts) {
                for (String signedQuery : queries) {
                    String signature = TwilioWebhookClient.signature(TOKEN,
                            host + "/sms" + (signedQuery.isEmpty() ? "" : "?" + signedQuery), params);
                    if (sdk.validate(received, params, signature)) {
                        sdkAccepted++;
                        assertThatCode(() -> verifier.verify("/sms", query.isEmpty() ? null : query, parse(params), signature))
                                .as("received %s, signed %s%s", received, host, signedQuery).doesNotThrowAnyException();
                    }
                }
            }
        }
        assertThat(sdkAccepted).as("the comparison compared something").isGreaterThanOrEqualTo(queries.size());
    }

    @Test
    void shouldRefuseAUrlWhoseDecodedFormWouldCarryOtherParameters() {
        TwilioSignatureVerifier verifier = verifier("https://mycompany.example.com");
        Map<String, String> form = Map.of("Body", "Ahoy");
        String signature = TwilioWebhookClient.signature(TOKEN, "https://mycompany.example.com/sms?a=1&admin=1", form);

        assertThatThrownBy(() -> verifier.verify("/sms", "a=1%26admin=1", parse(form), signature))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void shouldRefuseAJsonBodyThatIsNotTheOneItsHashVouchesFor() throws Exception {
        TwilioSignatureVerifier verifier = verifier("https://mycompany.example.com");
        byte[] body = "{\"CallSid\":\"CA1234567890ABCDE\",\"Caller\":\"+12349013030\"}".getBytes(StandardCharsets.UTF_8);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        String signature = TwilioWebhookClient.signature(TOKEN, "https://mycompany.example.com/voice?bodySHA256=" + hash, Map.of());

        assertThatCode(() -> verifier.verifyJson("/voice", "bodySHA256=" + hash, body, signature)).doesNotThrowAnyException();
        assertThatThrownBy(
                () -> verifier.verifyJson("/voice", "bodySHA256=" + hash, "{\"CallSid\":\"CA0\"}".getBytes(StandardCharsets.UTF_8),
                        signature))
                .isInstanceOf(WebhookRejectedException.class).hasMessageContaining("bodySHA256");
        assertThatThrownBy(
                () -> verifier.verifyJson("/voice", null, body, TwilioWebhookClient.signature(TOKEN, "https://mycompany.example.com/voice",
                        Map.of())))
                .isInstanceOf(WebhookRejectedException.class);
    }

    private static String hmac(String data) {
        return TwilioWebhookClient.signature(TOKEN, data, Map.of());
    }

    private static FormBody parse(Map<String, String> form) {
        return FormBody.parse(TwilioWebhookClient.encode(form).getBytes(StandardCharsets.US_ASCII));
    }

    private static TwilioSignatureVerifier verifier(String publicBaseUrl) {
        return new TwilioSignatureVerifier(properties(publicBaseUrl, TestProperties.twilio(TOKEN)));
    }

    static HubProperties properties(String publicBaseUrl, HubProperties.Twilio twilio) {
        return TestProperties.hub(publicBaseUrl, "0", twilio);
    }
}
