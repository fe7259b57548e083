package com.retentionhub.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.ProviderHold;
import com.retentionhub.support.TwilioFake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * them is made after their STOP was committed (the webhook answers only after its commit), and the
 * messages still queued for them are held back. The race is made, not hoped for: once the first
 * hundred messages have gone, the Twilio fake holds its answers (so the dispatchers stay busy with
 * the head of the batch) until every STOP is committed.
 */
class StopDuringBatchTest extends HubIntegrationTest {

    private static final int BATCH = 2_000;
    private static final int SENT_BEFORE_STOPS = 100;

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @Test
    void shouldSendNothingToARecipientAfterTheirStopWasCommitted() throws Exception {
        TWILIO.stubFor(post(urlPathMatching(TwilioFake.MESSAGES)).atPriority(1).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withTransformers("response-template", ProviderHold.NAME)
                .withBody("{\"sid\":\"SM{{randomValue length=32 type='HEXADECIMAL' lowercase=true}}\",\"status\":\"queued\"}")));
        int base = 2_000_000 + ThreadLocalRandom.current().nextInt(7_000) * 1_000;
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            phones.add("+1628" + (base + i));
        }
        List<String> stoppers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stoppers.add(phones.get(1_000 + i * 10 + 7)); // spread over the second half of the batch
        }
        TWILIO_HOLD.holdAfter(SENT_BEFORE_STOPS);
        toggle.setLive(true);
        Instant start = clock.instant().plusSeconds(3); // the whole batch is queued before it starts
        phones.forEach(
                p -> outbox.enqueue(Outbox.Message.sms("sb:" + p, p, "Fall tune-up: book this week").inCampaign("fall").notBefore(start)));
        workers.nudge();

        await().atMost(Duration.ofSeconds(60)).until(() -> TWILIO_HOLD.passed() >= SENT_BEFORE_STOPS);
        Map<String, Long> committedBy = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (String phone : stoppers) {
                pool.execute(() -> {
                    assertThat(twilio.text(phone, "STOP").statusCode()).isEqualTo(200);
                    committedBy.put(phone, System.currentTimeMillis());
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(committedBy).as("every STOP answered").hasSize(stoppers.size());
            // The precondition, checked rather than assumed: the batch is under way and none of the stoppers' messages has left.
            assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'sb:%' AND status = 'PENDING'"))
                    .isBetween(BATCH / 2, BATCH - SENT_BEFORE_STOPS);
            assertThat(stoppers).allSatisfy(p -> assertThat(requestsTo(p)).as("sent to %s before its STOP", p).isEmpty());
        } finally {
            TWILIO_HOLD.release();
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> count(
                "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'sb:%' AND status IN ('PENDING', 'SENDING')") == 0);

        for (String phone : stoppers) {
            for (LoggedRequest r : requestsTo(phone)) {
                assertThat(r.getLoggedDate().getTime()).as("request to %s after its STOP", phone)
                        .isLessThanOrEqualTo(committedBy.get(phone));
            }
            String status = jdbc.queryForObject("SELECT status FROM outbox WHERE idempotency_key = ?", String.class, "sb:" + phone);
            assertThat(status).as("message to %s, who sent STOP before it left", phone).isEqualTo("BLOCKED");
        }
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'sb:%' AND status = 'SENT'"))
                .isEqualTo(BATCH - stoppers.size());
    }

    private List<LoggedRequest> requestsTo(String phone) {
        return TWILIO.findAll(postRequestedFor(urlPathMatching(TwilioFake.MESSAGES))).stream()
                .filter(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).contains("To=" + phone)).toList();
    }
}
