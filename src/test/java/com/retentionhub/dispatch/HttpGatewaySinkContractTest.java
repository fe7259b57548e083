package com.retentionhub.dispatch;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.retentionhub.support.GatewayFake;
import com.retentionhub.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same contract with SMS moved to an HTTP gateway by one property
 * ({@code HUB_SMS_PROVIDER=sms-retail}): the shipped preset against a fake of that gateway.
 */
// A context of its own (own properties): closed when the class ends, so its pool does not stay open beside the shared one.
@DirtiesContext
class HttpGatewaySinkContractTest extends SmsSinkContract {

    static final WireMockServer GATEWAY = new WireMockServer(options().dynamicPort().globalTemplating(false));

    static {
        GATEWAY.start();
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("HUB_SMS_PROVIDER", () -> "sms-retail");
        registry.add("SMS_RETAIL_BASE_URL", GATEWAY::baseUrl);
        registry.add("SMS_RETAIL_API_KEY", () -> "gw-test-key");
        registry.add("SMS_RETAIL_FROM", () -> "+15550001111");
        registry.add("SMS_RETAIL_DLR_TOKEN", () -> "dlr-secret-1");
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_gw_test"));
        registry.add("spring.flyway.schemas", () -> "hub_gw_test");
    }

    @Override
    void reset() {
        GATEWAY.resetAll();
        GatewayFake.lookupFindsNothing(GATEWAY);
    }

    @Override
    String provider() {
        return "sms-retail";
    }

    @Override
    void accept() {
        GatewayFake.accept(GATEWAY);
    }

    @Override
    void refuseAsUnsubscribed() {
        GatewayFake.refuse(GATEWAY, 400, "unsubscribed");
    }

    @Override
    void refuseAsInvalidNumber() {
        GatewayFake.refuse(GATEWAY, 400, "invalid_number");
    }

    @Override
    void refuseWith(int httpStatus) {
        GatewayFake.refuse(GATEWAY, httpStatus, "busy");
    }

    @Override
    void lookupFinds(String phone, String body, String providerId) {
        GatewayFake.lookupFinds(GATEWAY, providerId);
    }

    @Override
    List<String> requestsTo(String phone) {
        return GatewayFake.sendsTo(GATEWAY, phone).stream().map(LoggedRequest::getBodyAsString).toList();
    }

    @Override
    int report(String providerId, String providerStatus) {
        return dlr("dlr-secret-1", "{\"message_id\":\"" + providerId + "\",\"status\":\"" + providerStatus + "\"}");
    }

    @Override
    String delivered() {
        return "delivered";
    }

    @Override
    String sentNotDelivered() {
        return "sent";
    }

    @Test
    void shouldSendTheGatewayItsKeySenderAndOurReference() {
        String phone = newPhone();
        long id = send(phone, "Green Shield Pest Control: Save 20% & more. Reply STOP to opt out."); // a first text as the hub would send it
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);

        LoggedRequest request = GatewayFake.sendsTo(GATEWAY, phone).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer gw-test-key");
        assertThat(request.getBodyAsString()).contains("\"from\":\"+15550001111\"")
                .contains("\"text\":\"Green Shield Pest Control: Save 20% & more. Reply STOP to opt out.\"")
                .contains("\"reference\":\"" + jdbc.queryForObject("SELECT idempotency_key FROM outbox WHERE id = ?", String.class, id)
                        + "\"")
                .contains("\"callback_url\":\"https://hub.example.com/webhooks/dlr/sms-retail?token=dlr-secret-1\"");
    }

    @Test
    void shouldRefuseADeliveryReportWithAWrongTokenOrAnUnknownStatus() {
        assertThat(dlr("wrong", "{\"message_id\":\"rt-1\",\"status\":\"delivered\"}")).isEqualTo(403);
        assertThat(dlr("dlr-secret-1", "{\"message_id\":\"rt-1\",\"status\":\"exploded\"}")).isEqualTo(400);
        assertThat(dlr("dlr-secret-1", "not json")).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM status_event WHERE provider_id = 'rt-1'")).isZero();
    }

    private int dlr(String token, String json) {
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/dlr/sms-retail?token=" + token))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
