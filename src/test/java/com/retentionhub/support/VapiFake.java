package com.retentionhub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * A fake of VAPI's {@code POST /call} (201 with the queued call, whose {@code id} is a fresh UUID)
 * and of its call list, {@code GET /call}, which the lookup after an unclear answer reads.
 */
public final class VapiFake {

    public static final String CALL = "/call";

    private VapiFake() {}

    public static void acceptCalls(WireMockServer server) {
        server.stubFor(post(urlPathEqualTo(CALL)).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("{\"id\":\"{{randomValue type='UUID'}}\",\"type\":\"outboundPhoneCall\",\"status\":\"queued\","
                        + "\"assistantId\":\"{{jsonPath request.body '$.assistantId'}}\",\"createdAt\":\"{{now}}\"}")));
    }

    public static void refuse(WireMockServer server, int status, String message) {
        server.stubFor(post(urlPathEqualTo(CALL)).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"" + message + "\",\"error\":\"Error\",\"statusCode\":" + status + "}")));
    }

    /** The first create answers {@code status}, the ones after it are accepted (VAPI was down for a moment). */
    public static void refuseOnceThenAccept(WireMockServer server, int status) {
        server.stubFor(post(urlPathEqualTo(CALL)).inScenario("vapi-down").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("up")
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Bad Gateway\",\"error\":\"Error\",\"statusCode\":" + status + "}")));
        server.stubFor(post(urlPathEqualTo(CALL)).inScenario("vapi-down").whenScenarioStateIs("up").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody(
                        "{\"id\":\"{{randomValue type='UUID'}}\",\"type\":\"outboundPhoneCall\",\"status\":\"queued\",\"createdAt\":\"{{now}}\"}")));
    }

    /** {@code GET /call} answers this list: each entry a call id, the hub key in its metadata, the customer's number and a status. */
    public static void listCalls(WireMockServer server, String... callIdKeyNumberStatus) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < callIdKeyNumberStatus.length; i += 4) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(callIdKeyNumberStatus[i])
                    .append("\",\"type\":\"outboundPhoneCall\",")
                    .append("\"status\":\"").append(callIdKeyNumberStatus[i + 3]).append("\",\"customer\":{\"number\":\"")
                    .append(callIdKeyNumberStatus[i + 2]).append("\"},\"metadata\":{\"hubKey\":\"").append(callIdKeyNumberStatus[i + 1])
                    .append("\"},\"createdAt\":\"2026-11-18T19:05:00.000Z\"}");
        }
        server.stubFor(get(urlPathEqualTo(CALL)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body.append("]").toString())));
    }

    public static void failLookups(WireMockServer server) {
        server.stubFor(
                get(urlPathEqualTo(CALL)).willReturn(aResponse().withStatus(500).withBody("{\"message\":\"Internal server error\"}")));
    }

    public static List<LoggedRequest> lookups(WireMockServer server) {
        return server.findAll(getRequestedFor(urlPathEqualTo(CALL)));
    }

    public static List<LoggedRequest> callsTo(WireMockServer server, String phone) {
        return server.findAll(postRequestedFor(urlPathEqualTo(CALL))).stream()
                .filter(r -> r.getBodyAsString().contains("\"number\":\"" + phone + "\"")).toList();
    }
}
