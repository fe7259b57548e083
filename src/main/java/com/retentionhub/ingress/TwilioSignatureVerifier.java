package com.retentionhub.ingress;

import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import com.twilio.security.RequestValidator;
import org.springframework.stereotype.Component;

/**
 * Checks {@code X-Twilio-Signature} with the Twilio SDK's validator. SECURITY: the URL is rebuilt
 * from {@code PUBLIC_BASE_URL} (what Twilio was given), never from the Host header, which a caller
 * controls and a proxy rewrites.
 */
@Component
public class TwilioSignatureVerifier {

    private final RequestValidator validator;
    private final String publicBaseUrl;
    private final boolean enabled;

    public TwilioSignatureVerifier(HubProperties properties) {
        String token = properties.twilio().authToken();
        this.validator = token == null || token.isBlank() ? null : new RequestValidator(token);
        this.publicBaseUrl = stripTrailingSlash(properties.publicBaseUrl());
        this.enabled = properties.ingress().validateSignatures();
    }

    public void verify(String path, String query, FormBody form, String signature) {
        if (!enabled) {
            return;
        }
        if (validator == null) {
            // Without a token nothing can be verified, so nothing is accepted.
            throw WebhookRejectedException.forbidden("signature cannot be verified: TWILIO_AUTH_TOKEN is not set");
        }
        if (signature == null || signature.isBlank()) {
            throw WebhookRejectedException.forbidden("missing X-Twilio-Signature");
        }
        String url = publicBaseUrl + path + (query == null || query.isEmpty() ? "" : "?" + query);
        if (!validator.validate(url, form.singleValued(), signature)) {
            throw WebhookRejectedException.forbidden("invalid X-Twilio-Signature");
        }
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
