package com.retentionhub.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stubs of Twilio's Messages API in its real wire format: a 201 with the message resource, or
 * Twilio's error document ({@code code}, {@code message}, {@code more_info}, {@code status}). The echoed
 * body is JSON-encoded, as Twilio's is: a text with quotes in it must not break the SDK's parse.
 */
public final class TwilioFake {

    public static final String MESSAGES = "/2010-04-01/Accounts/[A-Za-z0-9]+/Messages.json";

    private TwilioFake() {}

    public static void acceptMessages(WireMockServer server) {
        server.stubFor(post(urlPathMatching(MESSAGES)).willReturn(aResponse()
                .withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"account_sid":"ACfakefakefakefakefakefakefakefake","api_version":"2010-04-01","body":{{formData request.body 'form' urlDecode=true}}{{{toJson form.Body}}},
                        "date_created":"Sat, 21 Nov 2026 10:00:00 +0000","date_sent":null,"date_updated":"Sat, 21 Nov 2026 10:00:00 +0000",
                        "direction":"outbound-api","error_code":null,"error_message":null,"from":"+15017122661","messaging_service_sid":null,
                        "num_media":"0","num_segments":"1","price":null,"price_unit":"USD",
                        "sid":"SM{{randomValue length=32 type='HEXADECIMAL' lowercase=true}}","status":"queued",
                        "subresource_uris":{"media":"/2010-04-01/Accounts/ACfakefakefakefakefakefakefakefake/Messages/SMxx/Media.json"},
                        "to":"{{form.To}}","uri":"/2010-04-01/Accounts/ACfakefakefakefakefakefakefakefake/Messages/SMxx.json"}""")));
    }

    /** The create-message requests addressed to one phone (other tests' messages may be in the log too). */
    public static List<LoggedRequest> requestsTo(WireMockServer server, String phone) {
        return server.findAll(WireMock.postRequestedFor(urlPathMatching(MESSAGES))).stream()
                .filter(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).contains("To=" + phone))
                .toList();
    }

    /** Twilio's message list ({@code GET Messages.json?To=...}), answering with the messages given as JSON objects. */
    public static void listMessages(WireMockServer server, String phone, String... messages) {
        server.stubFor(WireMock.get(urlPathMatching(MESSAGES))
                .withQueryParam("To", WireMock.equalTo(phone))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                        "{\"messages\":[" + String.join(",", messages) + "],\"end\":" + (messages.length - 1)
                                + ",\"first_page_uri\":\"/x\","
                                + "\"next_page_uri\":null,\"page\":0,\"page_size\":50,\"previous_page_uri\":null,\"start\":0,\"uri\":\"/x\"}")));
    }

    /** One message resource as Twilio lists it. */
    public static String message(String sid, String to, String body, String status) {
        return "{\"sid\":\"" + sid + "\",\"to\":\"" + to + "\",\"body\":\"" + body + "\",\"status\":\"" + status + "\","
                + "\"date_created\":\"Wed, 18 Nov 2026 19:00:00 +0000\",\"account_sid\":\"ACfakefakefakefakefakefakefakefake\"}";
    }

    public static void failWith(WireMockServer server, int httpStatus, int twilioCode, String message) {
        server.stubFor(post(urlPathMatching(MESSAGES)).willReturn(aResponse()
                .withStatus(httpStatus)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":" + twilioCode + ",\"message\":\"" + message + "\",\"more_info\":\"https://www.twilio.com/docs/errors/"
                        + twilioCode + "\",\"status\":" + httpStatus + "}")));
    }
}
