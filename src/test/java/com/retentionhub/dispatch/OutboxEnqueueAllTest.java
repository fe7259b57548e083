package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The reply stage queues many answers at once; a batch must mean what the same messages queued one by one would. */
class OutboxEnqueueAllTest extends HubIntegrationTest {

    @Autowired
    Outbox outbox;

    @Test
    void shouldResolveKnownKeysToTheirRowsAndQueueAndLogEachNewKeyOnce() {
        String phone = newPhone();
        String other = newPhone();
        Outbox.Enqueued earlier = outbox.enqueue(Outbox.Message.sms("enqueue-all:" + phone + ":1", phone, "first, queued alone"));

        List<Outbox.Enqueued> queued = outbox.enqueueAll(List.of(
                Outbox.Message.sms("enqueue-all:" + phone + ":2", phone, "second"),
                Outbox.Message.sms("enqueue-all:" + phone + ":1", phone, "first again"),
                Outbox.Message.sms("enqueue-all:" + other + ":1", other, "to another phone"),
                Outbox.Message.sms("enqueue-all:" + phone + ":2", phone, "second, repeated in the batch")));

        assertThat(queued).extracting(Outbox.Enqueued::created).containsExactly(true, false, true, true);
        assertThat(queued.get(1).id()).isEqualTo(earlier.id());
        assertThat(queued.get(3).id()).isEqualTo(queued.get(0).id());
        assertThat(queued.get(2).id()).isNotIn(earlier.id(), queued.get(0).id());
        assertThat(jdbc.queryForList("SELECT body FROM outbox WHERE phone = ? ORDER BY id", String.class, phone))
                // The phone's first text names the business and says how to stop (FirstContact); the next one is as given.
                .containsExactly("Green Shield Pest Control: first, queued alone. Reply STOP to opt out.", "second");
        // One log entry per queued message, in the conversation of its own phone.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM message WHERE outbox_id IN (?, ?, ?)", Integer.class, earlier.id(),
                queued.get(0).id(),
                queued.get(2).id())).isEqualTo(3);
        assertThat(jdbc.queryForObject(
                "SELECT c.phone FROM message m JOIN conversation v ON v.id = m.conversation_id JOIN contact c ON c.id = v.contact_id"
                        + " WHERE m.outbox_id = ?",
                String.class, queued.get(2).id())).isEqualTo(other);
    }
}
