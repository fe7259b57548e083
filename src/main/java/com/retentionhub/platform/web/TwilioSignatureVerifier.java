package com.retentionhub.platform.web;

import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Checks {@code X-Twilio-Signature}: base64(HMAC-SHA1(auth token, URL + every parameter's name and
 * value, sorted by name)), and for a JSON body the URL alone, whose {@code bodySHA256} must be the
 * body's SHA-256. SECURITY: the URL is rebuilt from {@code PUBLIC_BASE_URL} (what Twilio was given),
 * never from the Host header, which a caller controls and a proxy rewrites.
 *
 * <p>Everything Twilio's own validators accept is accepted: every value of a repeated name, sorted
 * (and, as the Node and Python validators do, each distinct value once), and the URL's spellings in
 * {@link TwilioSignedUrls}. The Java SDK's {@code RequestValidator} is not used here: it takes one
 * value per name, and when it adds or drops the port it decodes the query (twilio-java#601), so it
 * refuses requests Twilio did sign.
 */
@Component
public class TwilioSignatureVerifier {

    private static final String HMAC = "HmacSHA1";
    private static final String BODY_HASH = "bodySHA256";

    private final SecretKeySpec key;
    private final String publicBaseUrl;
    private final boolean enabled;

    public TwilioSignatureVerifier(HubProperties properties) {
        String token = properties.twilio().authToken();
        this.key = token == null || token.isBlank() ? null : new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), HMAC);
        this.publicBaseUrl = stripTrailingSlash(properties.publicBaseUrl());
        this.enabled = properties.ingress().validateSignatures();
    }

    /**
     * Verifies a webhook and returns its parameters: the form, or for a JSON body (Twilio signs those
     * with {@code bodySHA256} in the query) the JSON object's fields.
     */
    public FormBody verify(WebhookRequest request) {
        String type = request.contentType() == null ? "" : request.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            verifyJson(request.path(), request.query(), request.body(), request.header("X-Twilio-Signature"));
            return JsonParams.parse(request.body());
        }
        FormBody form = request.form();
        verify(request.path(), request.query(), form, request.header("X-Twilio-Signature"));
        return form;
    }

    /** A form-encoded webhook: the URL and every parameter are signed. */
    public void verify(String path, String query, FormBody form, String signature) {
        if (!enabled) {
            return;
        }
        requireSignature(signature);
        Set<String> urls = TwilioSignedUrls.of(url(path, query));
        for (String params : paramStrings(form.all())) {
            for (String url : urls) {
                if (matches(url + params, signature)) {
                    return;
                }
            }
        }
        throw WebhookRejectedException.forbidden("invalid X-Twilio-Signature");
    }

    /** A JSON webhook: the URL (with {@code bodySHA256}) is signed, and the hash vouches for the body. */
    void verifyJson(String path, String query, byte[] body, String signature) {
        if (!enabled) {
            return;
        }
        requireSignature(signature);
        String expectedHash = queryValue(query, BODY_HASH);
        if (expectedHash == null) {
            throw WebhookRejectedException.forbidden("JSON webhook without bodySHA256");
        }
        boolean signed = TwilioSignedUrls.of(url(path, query)).stream().anyMatch(url -> matches(url, signature));
        if (!signed) {
            throw WebhookRejectedException.forbidden("invalid X-Twilio-Signature");
        }
        byte[] actual = HexFormat.of().formatHex(sha256(body)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(actual, expectedHash.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw WebhookRejectedException.forbidden("body does not match bodySHA256");
        }
    }

    private void requireSignature(String signature) {
        if (key == null) {
            // Without a token nothing can be verified, so nothing is accepted.
            throw WebhookRejectedException.forbidden("signature cannot be verified: TWILIO_AUTH_TOKEN is not set");
        }
        if (signature == null || signature.isBlank()) {
            throw WebhookRejectedException.forbidden("missing X-Twilio-Signature");
        }
    }

    private String url(String path, String query) {
        return publicBaseUrl + path + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    /**
     * The parameters as signed: names sorted, each name followed by one value, once per value, the
     * values sorted. Twilio signs every value; the Node and Python validators sign each distinct one.
     */
    static Set<String> paramStrings(Map<String, List<String>> params) {
        StringBuilder every = new StringBuilder();
        StringBuilder distinct = new StringBuilder();
        new TreeMap<>(params).forEach((name, values) -> {
            List<String> sorted = new ArrayList<>(values);
            sorted.sort(null);
            sorted.forEach(v -> every.append(name).append(v));
            new LinkedHashSet<>(sorted).forEach(v -> distinct.append(name).append(v));
        });
        return new LinkedHashSet<>(List.of(every.toString(), distinct.toString()));
    }

    private boolean matches(String data, String signature) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] expected = Base64.getEncoder().encode(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** One parameter of a raw query, percent-decoded; null when absent. */
    private static String queryValue(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return TwilioSignedUrls.decode(pair.substring(eq + 1), false);
            }
        }
        return null;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
