package com.retentionhub.conversation;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.dispatch.OutboundJournal;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.MultiRowInsert;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes what dispatch queued into each person's conversation, so the thread shows it from the moment
 * it is queued, and keeps each message's delivery status as dispatch learns it.
 */
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
            if (!Channel.SMS.code().equals(e.channel())) {
                otherChannels.add(e);
            }
        }
        conversations.append(entries);
        for (Entry e : otherChannels) {
            jdbc.update("UPDATE message SET channel = ? WHERE outbox_id = ?", e.channel(), e.outboxId());
        }
    }

    @Override
    public void settled(List<Settled> settled, Instant at) {
        if (settled.isEmpty()) {
            return;
        }
        Timestamp ts = Timestamp.from(at);
        jdbc.batchUpdate(
                "UPDATE message SET status = ?, provider = COALESCE(?, provider), provider_id = COALESCE(?, provider_id), error_code = ?,"
                        + " updated_at = ? WHERE outbox_id = ?",
                settled.stream()
                        .map(s -> new Object[] {s.status(), s.provider(), s.providerId(), s.errorCode(), ts, s.outboxId()}).toList());
    }

    @Override
    public void linked(long outboxId, String provider, String providerId, String status, Instant at) {
        jdbc.update("UPDATE message SET provider = ?, provider_id = ?, status = ?, updated_at = ? WHERE outbox_id = ?", provider,
                providerId, status,
                Timestamp.from(at), outboxId);
    }

    @Override
    public int advance(String providerId, String status, String errorCode, List<String> from, Instant at) {
        List<Object> args = new ArrayList<>();
        args.add(status);
        args.add(errorCode);
        args.add(Timestamp.from(at));
        args.add(providerId);
        args.addAll(from);
        return jdbc.update(
                "UPDATE message SET status = ?, error_code = COALESCE(?, error_code), updated_at = ? WHERE provider_id = ? AND status IN ("
                        + MultiRowInsert.placeholders(from.size()) + ")",
                args.toArray());
    }

    @Override
    public List<Long> outboxIds(String providerId) {
        return jdbc.queryForList("SELECT outbox_id FROM message WHERE provider_id = ? AND outbox_id IS NOT NULL", Long.class, providerId);
    }

    @Override
    public void withdrawn(List<Long> outboxIds, Instant at) {
        List<Object> args = new ArrayList<>(List.of(Timestamp.from(at)));
        args.addAll(outboxIds);
        jdbc.update(
                "UPDATE message SET status = 'blocked', updated_at = ? WHERE outbox_id IN (" + MultiRowInsert.placeholders(outboxIds.size())
                        + ") AND status = 'queued'",
                args.toArray());
    }
}
