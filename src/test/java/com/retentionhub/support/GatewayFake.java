package com.retentionhub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * A fake of an HTTP SMS gateway in the SMS-Retail preset's wire format: JSON send with a
 * {@code reference}, {@code {"message_id","status"}} answers, JSON error bodies, and a lookup by
 * reference (200 with the message, 404 without).
 */
public final class GatewayFake {

    public static final String SEND = "/api/v1/sms/send";
    public static final String LOOKUP = "/api/v1/sms/by-reference/.*";

    private GatewayFake() {}

    public static void accept(WireMockServer server) {
        server.stubFor(post(urlPathEqualTo(SEND)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("{\"message_id\":\"rt-{{randomValue length=24 type='ALPHANUMERIC'}}\",\"status\":\"accepted\"}")));
    }

    public static void refuse(WireMockServer server, int status, String error) {
        server.stubFor(post(urlPathEqualTo(SEND)).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"" + error + "\",\"message\":\"refused: " + error + "\"}")));
    }

    public static void lookupFinds(WireMockServer server, String providerId) {
        server.stubFor(get(urlPathMatching(LOOKUP)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"message_id\":\"" + providerId + "\",\"status\":\"sent\"}")));
    }

    public static void lookupFindsNothing(WireMockServer server) {
        server.stubFor(get(urlPathMatching(LOOKUP)).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"not_found\"}")));
    }

    public static List<LoggedRequest> sends(WireMockServer server) {
        return server.findAll(postRequestedFor(urlPathEqualTo(SEND)));
    }

    public static List<LoggedRequest> sendsTo(WireMockServer server, String phone) {
        return sends(server).stream().filter(r -> r.getBodyAsString().contains("\"to\":\"" + phone + "\"")).toList();
    }
}
