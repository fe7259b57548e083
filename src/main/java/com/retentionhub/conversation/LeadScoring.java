package com.retentionhub.conversation;

import com.retentionhub.lead.ContactStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recomputes a contact's lead score from its conversation. Runs on the reply stage, off the webhook
 * and ingest path, once per answered text.
 */
@Component
public class LeadScoring {

    private final JdbcTemplate jdbc;
    private final ContactStore contacts;
    private final Clock clock;

    public LeadScoring(JdbcTemplate jdbc, ContactStore contacts, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.clock = clock;
    }

    public LeadScore rescore(long conversationId, String phone) {
        Map<String, Object> texts = jdbc.queryForMap("SELECT count(*) AS n, MAX(created_at) AS last FROM message WHERE conversation_id = ?"
                + " AND direction = 'IN'", conversationId);
        List<String> intents = jdbc.queryForList("SELECT DISTINCT intent FROM message WHERE conversation_id = ? AND direction = 'IN'"
                + " AND intent IS NOT NULL", String.class, conversationId);
        TextSignals.Intent best = intents.stream().map(i -> TextSignals.Intent.valueOf(i.toUpperCase(java.util.Locale.ROOT)))
                .min(Enum::compareTo).orElse(TextSignals.Intent.OTHER);
        Integer sentiment = jdbc.queryForList("SELECT sentiment FROM message WHERE conversation_id = ? AND direction = 'IN' ORDER BY id DESC LIMIT 1",
                Integer.class, conversationId).stream().findFirst().orElse(0);
        Optional<ContactStore.Contact> contact = contacts.find(phone);
        Instant last = texts.get("last") instanceof java.sql.Timestamp t ? t.toInstant() : clock.instant();
        LeadScore score = LeadScore.of(new LeadScore.Inputs(((Number) texts.get("n")).intValue(), best,
                contact.map(c -> c.name() != null).orElse(false), contact.map(c -> c.email() != null).orElse(false),
                sentiment == null ? 0 : sentiment, Duration.between(last, clock.instant())));
        contacts.score(phone, score.score(), String.join("; ", score.reasons()), clock.instant());
        return score;
    }
}
