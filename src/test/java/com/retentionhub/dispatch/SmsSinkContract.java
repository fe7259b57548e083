package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every SMS sink must do, whichever provider is behind it. Each provider's test names the
 * provider (one property) and says how its fake accepts, refuses, finds a message and reports a
 * delivery in that provider's own wire format; the assertions are the same for all.
 */
abstract class SmsSinkContract extends HubIntegrationTest {

    /** A first text as the hub sends it (named, with the opt-out wording), so a provider-side lookup finds the very body queued. */
    static final String HELLO = "Green Shield Pest Control: hello. Reply STOP to opt out.";

    /** The provider name receipts carry. */
    abstract String provider();

    /** Forgets earlier stubs and requests. */
    abstract void reset();

    abstract void accept();

    abstract void refuseAsUnsubscribed();

    abstract void refuseAsInvalidNumber();

    abstract void refuseWith(int httpStatus);

    /** The provider's lookup answers that it has the message to {@code phone} under {@code providerId}. */
    abstract void lookupFinds(String phone, String body, String providerId);

    /** Send requests to one phone as the fake logged them, decoded. */
    abstract List<String> requestsTo(String phone);

    /** Posts the provider's own delivery report for a message; returns the HTTP status. */
    abstract int report(String providerId, String providerStatus);

    /** The provider's words for delivered and failed. */
    abstract String delivered();

    abstract String sentNotDelivered();

    @BeforeEach
    void liveAndAccepting() {
        toggle.setLive(true);
        reset();
        accept();
    }

    @Test
    void shouldSendOneRequestPerMessageWithRecipientBodyReferenceAndCallback() {
        String phone = newPhone();

        long id = send(phone, "Your inspection is on Tuesday");

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        List<String> requests = requestsTo(phone);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).contains("Your inspection is on Tuesday");
        assertThat(requests.get(0)).contains("https://hub.example.com/");
        assertThat(jdbc.queryForObject("SELECT provider FROM outbox WHERE id = ?", String.class, id)).isEqualTo(provider());
        assertThat(jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, id)).isNotBlank();
    }

    @Test
    void shouldRecordAnOptOutAndNeverRetryWhenTheProviderSaysUnsubscribed() {
        refuseAsUnsubscribed();
        String phone = newPhone();

        long id = send(phone, HELLO);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "FAILED"::equals);
        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ?", String.class, phone)).isEqualTo("OPTED_OUT");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(requestsTo(phone)).hasSize(1));
    }

    @Test
    void shouldMarkTheNumberInvalidAndNeverRetry() {
        refuseAsInvalidNumber();
        String phone = newPhone();

        long id = send(phone, HELLO);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "FAILED"::equals);
        assertThat(jdbc.queryForObject("SELECT phone_valid FROM contact WHERE phone = ?", Boolean.class, phone)).isFalse();
        assertThat(requestsTo(phone)).hasSize(1);
    }

    @Test
    void shouldBackOffOn429AndSendLater() {
        refuseWith(429);
        String phone = newPhone();

        long id = send(phone, HELLO);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT attempts FROM outbox WHERE id = ?", id) >= 1 && status(id).equals("PENDING"));
        accept();

        await().atMost(Duration.ofSeconds(15)).until(() -> status(id), "SENT"::equals);
        // Refused (and so not sent) until the provider had room again, then accepted once.
        assertThat(requestsTo(phone).size()).isBetween(2, 3);
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND status = 'SENT'", phone)).isEqualTo(1);
    }

    @Test
    void shouldAskTheProviderAfterA500AndNotResendWhatItHas() {
        refuseWith(500);
        String phone = newPhone();
        lookupFinds(phone, HELLO, "found-" + phone.substring(1));

        long id = send(phone, HELLO);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        assertThat(jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, id))
                .isEqualTo("found-" + phone.substring(1));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(requestsTo(phone)).hasSize(1));
    }

    @Test
    void shouldSendOneRequestWhenTheProviderAnswersServiceUnavailable() {
        // The HTTP client's own default would repeat even a POST after a 503: a second text behind dispatch's back.
        refuseWith(503);
        String phone = newPhone();
        lookupFinds(phone, HELLO, "found-" + phone.substring(1));

        long id = send(phone, HELLO);

        await().atMost(Duration.ofSeconds(15)).until(() -> status(id), "SENT"::equals);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(requestsTo(phone)).hasSize(1));
    }

    @Test
    void shouldKeepTheFurthestDeliveryStatusWhateverOrderReportsArriveIn() {
        String phone = newPhone();
        long id = send(phone, HELLO);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id), "SENT"::equals);
        String providerId = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, id);

        assertThat(report(providerId, delivered())).isEqualTo(200);
        assertThat(report(providerId, sentNotDelivered())).isEqualTo(200);
        assertThat(report(providerId, delivered())).isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT status FROM message WHERE outbox_id = ?", String.class, id)).isEqualTo("delivered");
        assertThat(count("SELECT count(*) FROM status_event WHERE provider_id = ?", providerId)).isEqualTo(2);
    }

    long send(String phone, String body) {
        return StaffClient.json(staff.sendText(phone, body)).get("outboxId").asLong();
    }

    String status(long id) {
        return jdbc.queryForObject("SELECT status FROM outbox WHERE id = ?", String.class, id);
    }
}
