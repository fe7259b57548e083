package com.retentionhub.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioFake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * STOP from 100 recipients while a 2,000-message batch is going out: no provider request for any of
 * them is made after their STOP was committed (the webhook answers only after its commit).
 */
class StopDuringBatchTest extends HubIntegrationTest {

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Test
    void shouldSendNothingToARecipientAfterTheirStopWasCommitted() throws Exception {
        // A provider that takes 200 ms per message, so the batch runs for several seconds.
        TWILIO.stubFor(post(urlPathMatching(TwilioFake.MESSAGES)).atPriority(1).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withFixedDelay(200).withTransformers("response-template")
                .withBody("{\"sid\":\"SM{{randomValue length=32 type='HEXADECIMAL' lowercase=true}}\",\"status\":\"queued\"}")));
        int base = 2_000_000 + ThreadLocalRandom.current().nextInt(7_000) * 1_000;
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            phones.add("+1628" + (base + i));
        }
        List<String> stoppers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stoppers.add(phones.get(1_000 + i * 10 + 7)); // spread over the second half of the batch
        }
        toggle.setLive(true);
        java.time.Instant start = clock.instant().plusSeconds(3); // the whole batch is queued before it starts
        phones.forEach(p -> outbox.enqueue(Outbox.Message.sms("sb:" + p, p, "Fall tune-up: book this week").inCampaign("fall").notBefore(start)));
        workers.nudge();

        await().atMost(Duration.ofSeconds(30)).until(() -> TWILIO.countRequestsMatching(postRequestedFor(urlPathMatching(TwilioFake.MESSAGES))
                .build()).getCount() > 100);
        Map<String, Long> committedBy = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (String phone : stoppers) {
            pool.execute(() -> {
                twilio.text(phone, "STOP");
                committedBy.put(phone, System.currentTimeMillis());
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> count(
                "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'sb:%' AND status IN ('PENDING', 'SENDING')") == 0);

        int blocked = 0;
        for (String phone : stoppers) {
            for (LoggedRequest r : requestsTo(phone)) {
                assertThat(r.getLoggedDate().getTime()).as("request to %s after its STOP", phone).isLessThanOrEqualTo(committedBy.get(phone));
            }
            String status = jdbc.queryForObject("SELECT status FROM outbox WHERE idempotency_key = ?", String.class, "sb:" + phone);
            assertThat(status).isIn("SENT", "BLOCKED");
            if (status.equals("BLOCKED")) {
                blocked++;
                assertThat(requestsTo(phone)).isEmpty();
            }
        }
        // The STOPs came mid-run, so some of their messages were still queued and were held back.
        assertThat(blocked).isPositive();
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'sb:%' AND status = 'SENT'")).isEqualTo(2_000 - blocked);
    }

    private List<LoggedRequest> requestsTo(String phone) {
        return TWILIO.findAll(postRequestedFor(urlPathMatching(TwilioFake.MESSAGES))).stream()
                .filter(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).contains("To=" + phone)).toList();
    }
}
