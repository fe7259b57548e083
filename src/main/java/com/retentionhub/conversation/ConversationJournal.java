package com.retentionhub.conversation;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.dispatch.Channels;
import com.retentionhub.dispatch.OutboundJournal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes what dispatch queued into each person's conversation, so the thread shows it from the moment it is queued. */
@Component
class ConversationJournal implements OutboundJournal {

    private final ContactStore contacts;
    private final ConversationStore conversations;
    private final JdbcTemplate jdbc;

    ConversationJournal(ContactStore contacts, ConversationStore conversations, JdbcTemplate jdbc) {
        this.contacts = contacts;
        this.conversations = conversations;
        this.jdbc = jdbc;
    }

    @Override
    public void queued(List<Entry> queued) {
        // Contacts and conversations resolved once for the whole batch (cached, so usually without a statement).
        Map<String, Long> contactIds = contacts.ensure(queued.stream().map(Entry::phone).distinct().toList());
        Map<Long, Long> conversationIds = conversations.ensure(List.copyOf(new HashSet<>(contactIds.values())));
        List<ConversationStore.NewMessage> entries = new ArrayList<>();
        List<Entry> otherChannels = new ArrayList<>();
        for (Entry e : queued) {
            entries.add(new ConversationStore.NewMessage(conversationIds.get(contactIds.get(e.phone())), "OUT", e.body(), null,
                    e.blocked() ? "blocked" : "queued", null, e.outboxId()));
            if (!Channels.SMS.equals(e.channel())) {
                otherChannels.add(e);
            }
        }
        conversations.append(entries);
        for (Entry e : otherChannels) {
            jdbc.update("UPDATE message SET channel = ? WHERE outbox_id = ?", e.channel(), e.outboxId());
        }
    }
}
