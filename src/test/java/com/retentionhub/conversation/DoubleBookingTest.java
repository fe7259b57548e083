package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.support.HubIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Two customers confirm the same slot at the same moment: one gets it, the other is offered the next. */
class DoubleBookingTest extends HubIntegrationTest {

    @Autowired
    Scheduling scheduling;

    @Autowired
    ContactStore contacts;

    @Autowired
    ConversationStore conversations;

    @Autowired
    TransactionTemplate tx;

    @Test
    void shouldBookAContestedSlotOnce() throws Exception {
        Instant slot = Instant.parse("2026-11-24T19:00:00Z"); // a Tuesday, 14:00 in New York
        long first = conversation(newPhone());
        long second = conversation(newPhone());
        Scheduling.Plan book = new Scheduling.Plan(Scheduling.Plan.Kind.BOOK, slot, "You're booked.");
        CountDownLatch firstBooked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        // The first confirmation books and holds its transaction open while the second one arrives.
        CompletableFuture<String> one = CompletableFuture.supplyAsync(() -> tx.execute(s -> {
            String reply = scheduling.apply(book, first, "+14155550001", "a@example.com");
            firstBooked.countDown();
            await(release);
            return reply;
        }));
        assertThat(firstBooked.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> two = CompletableFuture.supplyAsync(() -> tx.execute(s -> scheduling.apply(book, second, "+14155550002",
                "b@example.com")));
        // Release the first only once the second is waiting for the booking lock, so the race is the one under test.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%booking_lock%FOR UPDATE%'",
                Integer.class) > 0);
        release.countDown();

        assertThat(one.get(10, TimeUnit.SECONDS)).startsWith("You're booked");
        assertThat(two.get(10, TimeUnit.SECONDS)).startsWith("Sorry, that time was just taken");
        List<Long> booked = jdbc.queryForList("SELECT conversation_id FROM appointment WHERE starts_at = ?", Long.class,
                Timestamp.from(slot));
        assertThat(booked).containsExactly(first);
    }

    private long conversation(String phone) {
        return tx.execute(s -> conversations.ensure(List.of(contacts.ensure(phone))).values().iterator().next());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
