package com.retentionhub.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts webhooks the way Twilio does: form-encoded, signed over the public URL plus the sorted
 * parameters. Written from Twilio's published algorithm, independently of the SDK the hub uses.
 */
public final class TwilioWebhookClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String publicBaseUrl;
    private final String token;

    public TwilioWebhookClient(int port, String publicBaseUrl, String token) {
        this.port = port;
        this.publicBaseUrl = publicBaseUrl;
        this.token = token;
    }

    public static String newSid() {
        return "SM" + UUID.randomUUID().toString().replace("-", "");
    }

    public static Map<String, String> inbound(String sid, String from, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", sid);
        form.put("SmsSid", sid);
        form.put("AccountSid", "ACfakefakefakefakefakefakefakefake");
        form.put("From", from);
        form.put("To", "+15017122661");
        form.put("Body", body);
        form.put("NumMedia", "0");
        form.put("NumSegments", "1");
        return form;
    }

    public HttpResponse<String> text(String from, String body) {
        return post("/sms", inbound(newSid(), from, body));
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        return postSigned(path, form, publicBaseUrl + path, token);
    }

    public HttpResponse<String> postSigned(String path, Map<String, String> form, String signedUrl, String signingToken) {
        return send(path, encode(form), "application/x-www-form-urlencoded", signature(signingToken, signedUrl, form));
    }

    public HttpResponse<String> send(String path, String body, String contentType, String signature) {
        return sendBytes(path, body.getBytes(StandardCharsets.UTF_8), contentType, signature);
    }

    public HttpResponse<String> sendBytes(String path, byte[] body, String contentType, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String signature(String token, String url, Map<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((k, v) -> data.append(k).append(v));
        return hmacSha1(token, data.toString());
    }

    private static String hmacSha1(String token, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Twilio's algorithm for a form whose names may repeat: after each name, every one of its values, the values sorted. */
    public static String signatureOfMultiValued(String token, String url, Map<String, List<String>> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((k, values) -> values.stream().sorted().forEach(v -> data.append(k).append(v)));
        return hmacSha1(token, data.toString());
    }

    public static String encodeMultiValued(Map<String, List<String>> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, values) -> values
                .forEach(v -> sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return sb.toString();
    }

    public static String encode(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }
}
