package com.retentionhub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

/**
 * A fake of Instantly's API v2 lead creation ({@code POST /api/v2/leads}, bearer key): answers with
 * the created lead, whose {@code id} is a fresh UUID, echoing the campaign and email it was given.
 */
public final class InstantlyFake {

    public static final String LEADS = "/api/v2/leads";

    private InstantlyFake() {}

    public static void acceptLeads(WireMockServer server) {
        server.stubFor(post(urlPathEqualTo(LEADS)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("{\"id\":\"{{randomValue type='UUID'}}\",\"campaign\":\"{{jsonPath request.body '$.campaign'}}\","
                        + "\"email\":\"{{jsonPath request.body '$.email'}}\",\"status\":1,\"timestamp_created\":\"{{now}}\"}")));
    }

    /** {@code POST /api/v2/leads} with Instantly's campaign semantics: the server must carry {@code campaigns} as an extension. */
    public static void acceptLeadsOncePerCampaign(WireMockServer server) {
        server.stubFor(post(urlPathEqualTo(LEADS)).willReturn(aResponse().withTransformers(InstantlyCampaigns.NAME)));
    }

    public static void refuse(WireMockServer server, int status, String message) {
        server.stubFor(post(urlPathEqualTo(LEADS)).willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":" + status + ",\"error\":\"Error\",\"message\":\"" + message + "\"}")));
    }

    public static List<LoggedRequest> leadsFor(WireMockServer server, String email) {
        return server.findAll(postRequestedFor(urlPathEqualTo(LEADS))).stream()
                .filter(r -> r.getBodyAsString().contains("\"email\":\"" + email + "\"")).toList();
    }
}
