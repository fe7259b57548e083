package com.retentionhub.ingress;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.support.TestProperties;
import com.retentionhub.support.TwilioWebhookClient;
import java.nio.charset.StandardCharsets;
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
