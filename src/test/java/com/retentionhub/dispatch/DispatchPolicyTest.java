package com.retentionhub.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioFake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The last hop's rules on the running hub, with the clock set: quiet hours in the recipient's
 * local time (federal, Florida, Texas on a Sunday), the per-campaign cap with a reply exempt, expiry.
 */
class DispatchPolicyTest extends HubIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @BeforeEach
    void live() {
        toggle.setLive(true);
    }

    @Test
    void shouldHoldAMessageDueAt2230LocalUntil8NextMorningThenSendIt() {
        String phone = phone("212"); // New York: the federal 8:00-21:00 window
        clock.setTo(at("2026-11-18T22:30", NEW_YORK));

        long id = queue(Outbox.Message.sms("qh:" + phone, phone, "Your spring treatment is due"));

        await().atMost(Duration.ofSeconds(10)).until(() -> heldReason(id) != null);
        assertThat(status(id)).isEqualTo("PENDING");
        assertThat(nextAttempt(id)).isEqualTo(at("2026-11-19T08:00", NEW_YORK));
        assertThat(heldReason(id)).contains("quiet hours");

        clock.setTo(at("2026-11-19T07:59:58", NEW_YORK));
        workers.nudge();
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(5)).until(() -> status(id), "PENDING"::equals);

        clock.setTo(at("2026-11-19T08:00:01", NEW_YORK));
        workers.nudge();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        assertThat(requestsTo(phone)).hasSize(1);
    }

    @Test
    void shouldSendToFloridaBefore20AndHoldItFrom20Until8() {
        String early = phone("305"); // Miami: 8:00-20:00
        String late = phone("305");

        clock.setTo(at("2026-11-18T19:59", NEW_YORK));
        long sent = queue(Outbox.Message.sms("fl1:" + early, early, "Reminder: inspection tomorrow"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(sent), "SENT"::equals);

        clock.setTo(at("2026-11-18T20:00", NEW_YORK));
        long held = queue(Outbox.Message.sms("fl2:" + late, late, "Reminder: inspection tomorrow"));
        await().atMost(Duration.ofSeconds(10)).until(() -> heldReason(held) != null);
        assertThat(nextAttempt(held)).isEqualTo(at("2026-11-19T08:00", NEW_YORK));
        assertThat(heldReason(held)).contains("FL");
        assertThat(requestsTo(late)).isEmpty();
    }

    @Test
    void shouldHoldATexasMessageOnSundayMorningUntilNoon() {
        String phone = phone("214"); // Dallas: 9:00-21:00, Sunday 12:00-21:00
        clock.setTo(at("2026-11-22T10:00", CHICAGO)); // a Sunday

        long id = queue(Outbox.Message.sms("tx:" + phone, phone, "We are in your area Monday"));

        await().atMost(Duration.ofSeconds(10)).until(() -> heldReason(id) != null);
        assertThat(nextAttempt(id)).isEqualTo(at("2026-11-22T12:00", CHICAGO));
        assertThat(heldReason(id)).contains("TX");
    }

    @Test
    void shouldDeferTheFourthCampaignTextWithin24HoursWhileAReplyToTheCustomerPasses() {
        String phone = phone("212");
        clock.setTo(at("2026-11-18T10:00", NEW_YORK));
        long first = queue(Outbox.Message.sms("c1:" + phone, phone, "Offer 1").inCampaign("spring"));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(first), "SENT"::equals);
        Instant firstSentAt = jdbc.queryForObject("SELECT sent_at FROM outbox WHERE id = ?", Timestamp.class, first).toInstant();
        for (int i = 2; i <= 3; i++) {
            long id = queue(Outbox.Message.sms("c" + i + ":" + phone, phone, "Offer " + i).inCampaign("spring"));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        }

        long fourth = queue(Outbox.Message.sms("c4:" + phone, phone, "Offer 4").inCampaign("spring"));
        long reply = queue(Outbox.Message.sms("reply:c4:" + phone, phone, "Yes, Tuesday works").withPurpose(Outbox.REPLY));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(reply), "SENT"::equals);
        await().atMost(Duration.ofSeconds(10)).until(() -> heldReason(fourth) != null);
        assertThat(status(fourth)).isEqualTo("PENDING");
        assertThat(heldReason(fourth)).contains("per campaign");
        assertThat(nextAttempt(fourth)).isEqualTo(firstSentAt.plus(Duration.ofHours(24)));
        assertThat(requestsTo(phone)).hasSize(4);
        assertThat(count("SELECT attempts FROM outbox WHERE id = ?", fourth)).isZero();
    }

    @Test
    void shouldExpireAMessageThatQuietHoursWouldHoldPastItsExpiryAndNeverSendIt() {
        String phone = phone("212");
        clock.setTo(at("2026-11-18T22:30", NEW_YORK));

        long id = queue(
                Outbox.Message.sms("exp:" + phone, phone, "Tonight only: 20% off").expiresAt(clock.instant().plus(Duration.ofHours(2))));

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "EXPIRED"::equals);
        assertThat(jdbc.queryForObject("SELECT last_error FROM outbox WHERE id = ?", String.class, id)).contains("quiet hours");
        assertThat(jdbc.queryForObject("SELECT status FROM message WHERE outbox_id = ?", String.class, id)).isEqualTo("expired");
        clock.setTo(at("2026-11-19T09:00", NEW_YORK));
        workers.nudge();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(requestsTo(phone)).isEmpty());
    }

    private long queue(Outbox.Message message) {
        long id = outbox.enqueue(message).id();
        workers.nudge();
        return id;
    }

    private static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    private static String phone(String areaCode) {
        return "+1" + areaCode + (2_000_000 + ThreadLocalRandom.current().nextInt(7_999_999));
    }

    private String status(long id) {
        return jdbc.queryForObject("SELECT status FROM outbox WHERE id = ?", String.class, id);
    }

    private String heldReason(long id) {
        return jdbc.queryForObject("SELECT held_reason FROM outbox WHERE id = ?", String.class, id);
    }

    private Instant nextAttempt(long id) {
        return jdbc.queryForObject("SELECT next_attempt_at FROM outbox WHERE id = ?", Timestamp.class, id).toInstant();
    }

    private List<LoggedRequest> requestsTo(String phone) {
        return TWILIO.findAll(postRequestedFor(urlPathMatching(TwilioFake.MESSAGES))).stream()
                .filter(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).contains("To=" + phone)).toList();
    }
}
