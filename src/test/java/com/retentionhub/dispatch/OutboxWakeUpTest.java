package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TestDatabase;
import com.retentionhub.support.TwilioFake;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queuing a message wakes dispatch by itself, once the row is committed: with the poll an hour
 * apart, a message no caller nudged for still leaves within seconds, and a message queued in a
 * transaction that rolls back wakes nothing.
 */
// A context of its own (own properties, own schema): closed when the class ends, so its pool does not stay open beside the shared one.
@DirtiesContext
class OutboxWakeUpTest extends HubIntegrationTest {

    /** Far longer than any wait below: whatever goes out here was woken by its own queuing. */
    private static final Duration NO_POLL = Duration.ofHours(1);
    /** A wake-up takes milliseconds; the margin is for a loaded machine, and still nothing like the hour above. */
    private static final Duration WOKEN = Duration.ofSeconds(5);

    @DynamicPropertySource
    static void hourlyPoll(DynamicPropertyRegistry registry) {
        registry.add("hub.dispatch.poll-period-ms", () -> String.valueOf(NO_POLL.toMillis()));
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_wake_up_test"));
        registry.add("spring.flyway.schemas", () -> "hub_wake_up_test");
    }

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    CamelContext camel;

    @Test
    void shouldSendTheEscalationAcknowledgementAndOwnerAlertWithinSecondsWhenNoPollComes() {
        toggle.setLive(true);
        String phone = newPhone();

        // The inbound stage queues both inside its processing transaction and never nudged dispatch itself.
        twilio.text(phone, "We will sue if the damage isn't fixed");

        await().atMost(WOKEN).untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
        String lastFour = phone.substring(phone.length() - 4);
        await().atMost(WOKEN).untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, "+14155550111"))
                .anyMatch(r -> r.getBodyAsString().contains(lastFour)));
        // The provider has it; the row is marked once the provider's answer is recorded.
        await().atMost(WOKEN).until(() -> status("escalation-ack:%"), List.of("SENT")::equals);
    }

    @Test
    void shouldWakeDispatchOnlyForACommittedRowAndNothingWhenTheQueuingTransactionRollsBack() {
        String rolledBack = newPhone();
        AtomicLong rolledBackId = new AtomicLong(-1);
        // The wake-up names the row it is for: one for the rolled-back row would have to be a nudge sent before the outcome was known.
        NotifyBuilder wokenForRolledBack = new NotifyBuilder(camel).fromRoute("dispatch-sms")
                .filter(e -> Long.valueOf(rolledBackId.get()).equals(e.getMessage().getBody(Long.class))).whenDone(1).create();

        tx.executeWithoutResult(s -> {
            rolledBackId.set(outbox.enqueue(Outbox.Message.sms("rolled-back:" + rolledBack, rolledBack, "Never meant to leave")
                    .withPurpose(Outbox.REPLY)).id());
            s.setRollbackOnly();
        });

        assertThat(wokenForRolledBack.matches(2, TimeUnit.SECONDS)).isFalse();
        assertThat(status("rolled-back:" + rolledBack)).isEmpty();

        String committed = newPhone();
        AtomicLong committedId = new AtomicLong(-1);
        NotifyBuilder wokenForCommitted = new NotifyBuilder(camel).fromRoute("dispatch-sms")
                .filter(e -> Long.valueOf(committedId.get()).equals(e.getMessage().getBody(Long.class))).whenDone(1).create();
        tx.executeWithoutResult(s -> committedId.set(outbox.enqueue(Outbox.Message.sms("committed:" + committed, committed, "See you at 10")
                .withPurpose(Outbox.REPLY)).id()));

        assertThat(wokenForCommitted.matches(WOKEN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        await().atMost(WOKEN).until(() -> status("committed:" + committed), List.of("SIMULATED")::equals);
    }

    private List<String> status(String keyPattern) {
        return jdbc.queryForList("SELECT status FROM outbox WHERE idempotency_key LIKE ?", String.class, keyPattern);
    }
}
