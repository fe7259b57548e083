package com.retentionhub.lead;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Meta lead ads end to end against a fake Graph API: the handshake, signed deliveries stored before
 * the answer, leads fetched, extracted and deduplicated, a failing fetch retried without loss.
 */
class MetaLeadsTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldAnswerTheHandshakeOnlyWithTheVerifyToken() throws Exception {
        HttpResponse<String> ok = httpGet("/webhooks/meta?hub.mode=subscribe&hub.verify_token=meta-verify-1&hub.challenge=1158201444");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(httpGet("/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").statusCode()).isEqualTo(403);
        assertThat(httpGet("/api/webhooks/meta?hub.mode=subscribe&hub.verify_token=meta-verify-1&hub.challenge=7").body()).isEqualTo("7");
    }

    @Test
    void shouldRefuseAnUnsignedOrWronglySignedDeliveryAndStoreNothing() throws Exception {
        String id = leadgenId();
        String body = delivery(id, "");

        assertThat(post("/webhooks/meta", body, null).statusCode()).isEqualTo(403);
        assertThat(post("/webhooks/meta", body, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(403);
        assertThat(post("/webhooks/meta", body, sign(body, "another-secret")).statusCode()).isEqualTo(403);

        assertThat(count("SELECT count(*) FROM meta_leadgen WHERE leadgen_id = ?", id)).isZero();
    }

    @Test
    void shouldFetchTheLeadFromGraphOnceAndIgnoreARepeatedDelivery() throws Exception {
        String id = leadgenId();
        String phone = newPhone();
        graphAnswers(id, phone, "Maya.Chen" + id + "@Example.com");
        String body = delivery(id, "");

        HttpResponse<String> first = post("/api/webhooks/meta", body, sign(body, "meta-app-secret-1"));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("EVENT_RECEIVED");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM leads WHERE external_id = ?", id) == 1);
        assertThat(post("/webhooks/meta", body, sign(body, "meta-app-secret-1")).statusCode()).isEqualTo(200); // Meta redelivers

        Map<String, Object> lead = jdbc.queryForMap("SELECT * FROM leads WHERE external_id = ?", id);
        assertThat(lead.get("phone")).isEqualTo(phone);
        assertThat(lead.get("email")).isEqualTo("maya.chen" + id + "@example.com");
        assertThat(lead.get("name")).isEqualTo("Maya Chen");
        assertThat(lead.get("source")).isEqualTo("META");
        assertThat(lead.get("status")).isEqualTo("NEW");
        assertThat(lead.get("sub_id")).isEqualTo("sub-" + id);
        assertThat(lead.get("click_id")).isEqualTo("clk-" + id);
        // The redelivery changes nothing, however long one watches.
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM leads WHERE external_id = ?", id)).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM meta_leadgen WHERE leadgen_id = ?", id)).isEqualTo(1);
            assertThat(EMAIL_AND_VOICE.findAll(getRequestedFor(urlPathEqualTo("/v21.0/" + id)))).hasSize(1);
        });
        assertThat(EMAIL_AND_VOICE.findAll(getRequestedFor(urlPathEqualTo("/v21.0/" + id))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer test-page-token");
        assertThat(count("SELECT count(*) FROM contact WHERE phone = ?", phone)).isEqualTo(1);
    }

    @Test
    void shouldRetryAFailingGraphFetchAndNeverLoseTheLead() throws Exception {
        String id = leadgenId();
        String phone = newPhone();
        EMAIL_AND_VOICE.stubFor(get(urlPathEqualTo("/v21.0/" + id)).inScenario("flaky-" + id).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"An unexpected error has occurred.\",\"type\":\"OAuthException\",\"code\":2}}"))
                .willSetStateTo("recovered"));
        EMAIL_AND_VOICE.stubFor(get(urlPathEqualTo("/v21.0/" + id)).inScenario("flaky-" + id).whenScenarioStateIs("recovered")
                .willReturn(graphLead(id, phone, "r" + id + "@example.com")));
        String body = delivery(id, "");

        assertThat(post("/webhooks/meta", body, sign(body, "meta-app-secret-1")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM meta_leadgen WHERE leadgen_id = ? AND attempts >= 1", id) == 1);
        assertThat(jdbc.queryForObject("SELECT last_error FROM meta_leadgen WHERE leadgen_id = ?", String.class, id)).contains("500");
        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM leads WHERE external_id = ?", id) == 1);
        assertThat(jdbc.queryForObject("SELECT status FROM meta_leadgen WHERE leadgen_id = ?", String.class, id)).isEqualTo("STORED");
    }

    @Test
    void shouldStoreEveryLeadOfAThousandChangeDelivery() throws Exception {
        long base = ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 900_000_000_000_000L);
        StringBuilder changes = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            changes.append(i == 0 ? "" : ",").append("{\"field\":\"leadgen\",\"value\":{\"leadgen_id\":\"").append(base + i)
                    .append("\",\"page_id\":\"153125381133\",\"form_id\":\"40127\",\"ad_id\":\"23851\",\"adgroup_id\":\"23850\",")
                    .append("\"created_time\":1763492102}}");
        }
        String body = "{\"object\":\"page\",\"entry\":[{\"id\":\"153125381133\",\"time\":1763492102,\"changes\":[" + changes + "]}]}";
        assertThat(body.length()).isGreaterThan(65536); // past the cap other webhooks have

        HttpResponse<String> response = post("/webhooks/meta", body, sign(body, "meta-app-secret-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM meta_leadgen WHERE leadgen_id BETWEEN ? AND ?", String.valueOf(base),
                String.valueOf(base + 999)))
                .isEqualTo(1000);
        // The fake Graph API knows none of them: take them out of the fetch queue so later tests are not slowed by their retries.
        jdbc.update("DELETE FROM meta_leadgen WHERE leadgen_id BETWEEN ? AND ?", String.valueOf(base), String.valueOf(base + 999));
    }

    @Test
    void shouldTakeInlineFieldDataWithoutAGraphCall() throws Exception {
        String id = leadgenId();
        String phone = newPhone();
        String body = delivery(id,
                ",\"field_data\":[{\"name\":\"full_name\",\"values\":[\"Ana Ruiz\"]},{\"name\":\"phone_number\",\"values\":[\""
                        + phone + "\"]}]");

        assertThat(post("/webhooks/meta", body, sign(body, "meta-app-secret-1")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM leads WHERE external_id = ?", id) == 1);
        assertThat(jdbc.queryForObject("SELECT name FROM leads WHERE external_id = ?", String.class, id)).isEqualTo("Ana Ruiz");
        assertThat(EMAIL_AND_VOICE.findAll(getRequestedFor(urlPathEqualTo("/v21.0/" + id)))).isEmpty();
    }

    @Test
    void shouldTakeALeadFromTheApiAndKnowItAgainByEmail() throws Exception {
        String phone = newPhone();
        String email = "lee" + phone.substring(2) + "@example.com";

        HttpResponse<String> created = staff.post("/api/leads",
                "{\"name\":\"Lee Park\",\"phone\":\"" + phone.substring(2) + "\",\"email\":\"" + email + "\"}");
        HttpResponse<String> again = staff.post("/api/leads", "{\"email\":\"" + email.toUpperCase() + "\",\"source\":\"import\"}");
        HttpResponse<String> badPhone = staff.post("/api/leads", "{\"phone\":\"12\"}");
        HttpResponse<String> nothing = staff.post("/api/leads", "{\"name\":\"No Contact\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicate\":true")
                .contains("\"id\":" + jdbc.queryForObject("SELECT id FROM leads WHERE phone = ?", Long.class, phone));
        assertThat(badPhone.statusCode()).isEqualTo(400);
        assertThat(badPhone.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT source FROM leads WHERE phone = ?", String.class, phone)).isEqualTo("API");
    }

    private void graphAnswers(String id, String phone, String email) {
        EMAIL_AND_VOICE.stubFor(get(urlPathEqualTo("/v21.0/" + id)).willReturn(graphLead(id, phone, email)));
    }

    /** The Graph API's lead read: id, created_time, ad and form ids, and field_data as Meta sends it. */
    private static ResponseDefinitionBuilder graphLead(String id, String phone, String email) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\":\"" + id
                + "\",\"created_time\":\"2026-11-18T18:55:02+0000\",\"ad_id\":\"23851\",\"form_id\":\"40127\",\"field_data\":["
                + "{\"name\":\"full_name\",\"values\":[\"Maya Chen\"]},{\"name\":\"email\",\"values\":[\"" + email + "\"]},"
                + "{\"name\":\"phone_number\",\"values\":[\"" + phone + "\"]},{\"name\":\"sub_id\",\"values\":[\"sub-" + id + "\"]},"
                + "{\"name\":\"click_id\",\"values\":[\"clk-" + id + "\"]}]}");
    }

    private static String leadgenId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L));
    }

    private static String delivery(String id, String extra) {
        return "{\"object\":\"page\",\"entry\":[{\"id\":\"153125381133\",\"time\":1763492102,\"changes\":[{\"field\":\"leadgen\",\"value\":{"
                + "\"leadgen_id\":\"" + id
                + "\",\"page_id\":\"153125381133\",\"form_id\":\"40127\",\"ad_id\":\"23851\",\"adgroup_id\":\"23850\","
                + "\"created_time\":1763492102" + extra + "}}]}]}";
    }

    private static String sign(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> httpGet(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
