package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may reach what: ops console, Jolokia, staff API, health. */
class AccessControlTest extends HubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/hawtio/user", "/actuator/hawtio/jolokia/version", "/actuator/jolokia/version",
            "/api/conversations?phone=%2B14155550100",
            "/api/consent/+14155550100"})
    void shouldRefuseWithoutCredentials(String path) throws Exception {
        assertThat(get(path, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseAnUnknownApiKeyWithProblemJson() throws Exception {
        HttpResponse<String> response = get("/api/consent/+14155550100", "X-API-Key", "nope");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    @Test
    void shouldRefuseTheOpsConsoleToAnApiKey() throws Exception {
        assertThat(get("/actuator/jolokia/version", "X-API-Key", "test-key-1").statusCode()).isIn(401, 403);
    }

    @Test
    void shouldListEveryRouteByIdToTheOpsUserThroughJolokia() throws Exception {
        HttpResponse<String> response = get("/actuator/jolokia/read/org.apache.camel:context=*,type=routes,name=*/RouteId", "Authorization",
                ops());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ingress-twilio-sms", "ingress-twilio-status", "conversation-process-inbound", "dispatch-sms",
                "dispatch-send", "dispatch-poll-due", "ingress-recovery-sweep");
    }

    @Test
    void shouldServeTheHawtioConsoleToTheOpsUser() throws Exception {
        HttpResponse<String> response = get("/actuator/hawtio/", "Authorization", ops());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsIgnoringCase("hawtio");
        // The hub's own console configuration (hawtio/hawtconfig.json), not Hawtio's default one.
        HttpResponse<String> config = get("/actuator/hawtio/hawtconfig.json", "Authorization", ops());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).contains("retention-hub ops").contains("/jvm/connect");
    }

    @Test
    void shouldServeHawtiosLoginPageButNoDataWithoutALogin() throws Exception {
        assertThat(get("/actuator/hawtio/", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> user = get("/actuator/hawtio/user", null, null);
        assertThat(user.statusCode()).isEqualTo(401);
        // No Basic challenge for Hawtio's own fetches: the browser would put its prompt over Hawtio's login form.
        assertThat(user.headers().firstValue("WWW-Authenticate")).isEmpty();
        // A page of Hawtio's, opened by a browser that is not logged in, goes to the login form.
        HttpResponse<String> page = http
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/camel/routes"))
                        .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/actuator/hawtio/login"));
    }

    @Test
    void shouldLogTheOpsUserInThroughHawtiosLoginFormIntoASessionThatReadsJolokia() throws Exception {
        HttpResponse<String> login = hawtioLogin("ops", "ops-secret", "http://localhost:" + port);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String session = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow(() -> new AssertionError("no session cookie"));

        HttpResponse<String> user = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/user"))
                .header("Cookie", session).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(user.body()).isEqualTo("\"ops\"");
        HttpResponse<String> routes = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/actuator/hawtio/jolokia/read/org.apache.camel:context=*,type=routes,name=*/RouteId"))
                .header("Cookie", session).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(routes.body()).contains("ingress-twilio-sms");

        HttpResponse<String> logout = http
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/auth/logout"))
                        .header("Cookie", session).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/user"))
                .header("Cookie", session).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldRefuseAHawtioLoginPostedFromAnotherSite() throws Exception {
        HttpResponse<String> login = hawtioLogin("ops", "ops-secret", "https://evil.example");

        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("JSESSIONID="));
    }

    /** Posts Hawtio's login form the way its page does: JSON, no CSRF token, from {@code origin}. */
    private HttpResponse<String> hawtioLogin(String user, String password, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/auth/login"))
                .header("Content-Type", "application/json")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldNotLetOpsWriteAttributesThroughJolokia() throws Exception {
        String answer = exec("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");

        assertThat(answer).contains("\"status\":403");
    }

    @Test
    void shouldLetOpsSuspendAndResumeARouteButNotRunOtherOperations() throws Exception {
        String route = "org.apache.camel:context=retention-hub,type=routes,name=\\\"dispatch-poll-due\\\"";

        assertThat(exec("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"suspend()\"}")).contains("\"status\":200");
        assertThat(exec("{\"type\":\"read\",\"mbean\":\"" + route + "\",\"attribute\":\"State\"}")).contains("Suspended");
        assertThat(exec("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"resume()\"}")).contains("\"status\":200");
        assertThat(exec("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}")).contains("\"status\":403");
    }

    @Test
    void shouldRefuseAJolokiaPostWithoutTheCsrfToken() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .header("Authorization", ops())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}"))
                .build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    }

    @Test
    void shouldKeepTheCsrfTokenOfTheFirstPageForTheRequestsThatFollow() throws Exception {
        String token = xsrfCookies(get("/actuator/hawtio/", "Authorization", ops())).get(0);
        HttpRequest next = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/hawtconfig.json"))
                .header("Authorization", ops())
                .header("Cookie", "XSRF-TOKEN=" + token)
                .GET().build();

        // Hawtio reads the token once: a new one here would make every later POST of its a 403.
        assertThat(xsrfCookies(http.send(next, HttpResponse.BodyHandlers.ofString()))).allMatch(token::equals);
    }

    private static List<String> xsrfCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';')))
                .toList();
    }

    /** Posts to Jolokia the way Hawtio does: with the XSRF-TOKEN cookie echoed in X-XSRF-TOKEN. */
    private String exec(String json) throws Exception {
        HttpResponse<String> page = get("/actuator/hawtio/", "Authorization", ops());
        String token = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';')))
                .findFirst().orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie"));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .header("Authorization", ops())
                .header("Content-Type", "application/json")
                .header("Cookie", "XSRF-TOKEN=" + token)
                .header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void shouldServeHealthAndPrometheusWithoutCredentials() throws Exception {
        // The status itself may be DOWN while another test's provider route is failing (RouteFailures); the point is that it answers.
        assertThat(get("/actuator/health", null, null).body()).contains("\"status\"");
        assertThat(get("/actuator/health/liveness", null, null).body()).contains("UP");
        assertThat(get("/actuator/prometheus", null, null).body()).contains("jvm_memory_used_bytes");
    }

    private static String ops() {
        return "Basic " + Base64.getEncoder().encodeToString("ops:ops-secret".getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
