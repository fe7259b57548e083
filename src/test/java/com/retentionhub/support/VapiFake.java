package com.retentionhub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/** A fake of VAPI's {@code POST /call}: 201 with the queued call, whose {@code id} is a fresh UUID. */
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

    public static List<LoggedRequest> callsTo(WireMockServer server, String phone) {
        return server.findAll(postRequestedFor(urlPathEqualTo(CALL))).stream()
                .filter(r -> r.getBodyAsString().contains("\"number\":\"" + phone + "\"")).toList();
    }
}
