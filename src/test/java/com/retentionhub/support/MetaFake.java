package com.retentionhub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's side of a lead ad: the Graph API's {@code GET /v21.0/{leadgen_id}} with the form's answers,
 * and the page webhook that names the new lead, signed as Meta signs it ({@code X-Hub-Signature-256},
 * HMAC-SHA256 of the body with the app secret).
 */
public final class MetaFake {

    private MetaFake() {}

    /** The Graph API answers for this lead with its name, email and phone. */
    public static void lead(WireMockServer graph, String leadgenId, String name, String email, String phone) {
        graph.stubFor(get(urlPathEqualTo("/v21.0/" + leadgenId)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"" + leadgenId + "\",\"created_time\":\"2026-11-18T18:55:02+0000\",\"field_data\":["
                        + "{\"name\":\"full_name\",\"values\":[\"" + name + "\"]},{\"name\":\"email\",\"values\":[\"" + email + "\"]},"
                        + "{\"name\":\"phone_number\",\"values\":[\"" + phone + "\"]}]}")));
    }

    /** The page webhook's body for one new lead. */
    public static String webhookBody(String leadgenId) {
        return "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"time\":1763492102,\"changes\":[{\"field\":\"leadgen\",\"value\":"
                + "{\"leadgen_id\":\"" + leadgenId + "\",\"page_id\":\"1\",\"form_id\":\"2\"}}]}]}";
    }

    public static String signature(String body, String appSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Meta tells the hub on {@code port} about the lead, signed with {@code appSecret}. */
    public static HttpResponse<String> notify(int port, String leadgenId, String appSecret) throws Exception {
        String body = webhookBody(leadgenId);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/meta"))
                .header("Content-Type", "application/json").header("X-Hub-Signature-256", signature(body, appSecret))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
