package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.support.HubIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** The prompts' recent messages read for a batch of conversations mean what reading them one by one means. */
class RecentMessagesTest extends HubIntegrationTest {

    @Autowired
    ConversationStore conversations;

    @Autowired
    ContactStore contacts;

    @Autowired
    TransactionTemplate tx;

    @Test
    void shouldReadEachConversationsNewestMessagesOldestFirstWithinTheWindow() {
        long busy = conversation(newPhone());
        long quiet = conversation(newPhone());
        long silent = conversation(newPhone());
        List<ConversationStore.NewMessage> messages = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            messages.add(new ConversationStore.NewMessage(busy, i % 2 == 1 ? "IN" : "OUT", "busy " + i, "twilio", "RECEIVED", null, null));
        }
        messages.add(new ConversationStore.NewMessage(quiet, "IN", "quiet old", "twilio", "RECEIVED", null, null));
        messages.add(new ConversationStore.NewMessage(quiet, "IN", "quiet new", "twilio", "RECEIVED", null, null));
        conversations.append(messages);
        // Out of the window: a text from two days ago starts no context.
        jdbc.update("UPDATE message SET created_at = ? WHERE body = 'quiet old' AND conversation_id = ?",
                Timestamp.from(clock.instant().minus(Duration.ofDays(2))), quiet);
        Instant since = clock.instant().minus(Duration.ofHours(24));

        Map<Long, List<ConversationStore.Message>> read = conversations.recentMessages(List.of(busy, quiet, silent), 10, since);

        assertThat(read.get(busy)).extracting(ConversationStore.Message::body)
                .containsExactly("busy 3", "busy 4", "busy 5", "busy 6", "busy 7", "busy 8", "busy 9", "busy 10", "busy 11", "busy 12");
        assertThat(read.get(quiet)).extracting(ConversationStore.Message::body).containsExactly("quiet new");
        assertThat(read).doesNotContainKey(silent);
        for (long id : List.of(busy, quiet)) {
            assertThat(read.get(id)).isEqualTo(conversations.recentMessages(id, 10, since));
        }
    }

    private long conversation(String phone) {
        return tx.execute(s -> conversations.ensure(List.of(contacts.ensure(phone))).values().iterator().next());
    }
}
