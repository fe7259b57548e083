package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;

/** A hub that ran out of memory says so on its health endpoint instead of reporting UP while failing. */
class OutOfMemoryHealthTest extends HubIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    ApplicationContext context;

    @AfterEach
    void recover() {
        // The shared context lives on for the other test classes: put it back as it was.
        AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }

    @Test
    void shouldReportDownWhenAThreadDiesOfOutOfMemoryError() throws Exception {
        assertThat(health("/actuator/health").statusCode()).isEqualTo(200);

        Thread worker = new Thread(() -> {
            // A real OutOfMemoryError from the JVM ("Requested array size exceeds VM limit"), without filling the heap.
            long[] tooLarge = new long[Integer.MAX_VALUE];
            tooLarge[0] = 1;
        }, "oom-victim");
        worker.start();
        worker.join();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> health = health("/actuator/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"DOWN\"");
        });
        assertThat(health("/actuator/health/liveness").statusCode()).isEqualTo(503);
        assertThat(health("/actuator/health/readiness").statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> health(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
