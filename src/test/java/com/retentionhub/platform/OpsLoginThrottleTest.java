package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The ops user's basic auth (Hawtio, Jolokia) slows a guessing address down, and only that address. */
class OpsLoginThrottleTest extends HubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldRefuseEvenTheRightPasswordFromAnAddressThatJustGuessedThirtyTimes() throws Exception {
        int refusedOutright = 0;
        for (int i = 0; i < 30; i++) {
            int status = version("203.0.113.44", "guess-" + i).statusCode();
            assertThat(status).as("guess %d", i).isIn(401, 429);
            refusedOutright += status == 429 ? 1 : 0;
        }

        HttpResponse<String> right = version("203.0.113.44", "ops-secret");
        HttpResponse<String> otherAddress = version("198.51.100.44", "ops-secret");
        clock.advance(Duration.ofSeconds(Long.parseLong(right.headers().firstValue("Retry-After").orElse("0"))));
        HttpResponse<String> afterTheWait = version("203.0.113.44", "ops-secret");

        assertThat(refusedOutright).as("guesses refused without a password check").isGreaterThan(20);
        assertThat(right.statusCode()).isEqualTo(429);
        assertThat(right.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(right.body()).contains("too many failed logins");
        assertThat(otherAddress.statusCode()).as("the ops user is not locked out elsewhere").isEqualTo(200);
        assertThat(afterTheWait.statusCode()).as("a wait, not a lock").isEqualTo(200);
    }

    /** Jolokia's version, asked through the trusted proxy (127.0.0.1) on behalf of {@code client}. */
    private HttpResponse<String> version(String client, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/jolokia/version"))
                .header("X-Forwarded-For", client)
                .header("Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(("ops:" + password).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
