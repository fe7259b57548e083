package com.retentionhub.conversation;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recomputes contacts' lead scores from their conversations. Runs on the reply stage, off the
 * webhook and ingest path, once per answered text; a batch of answers is scored with two reads and
 * one batched write, whatever its size.
 */
@Component
public class LeadScoring {

    /** A conversation to score and its contact's phone. */
    public record Scored(long conversationId, String phone) {}

    private final JdbcTemplate jdbc;
    private final ContactStore contacts;
    private final Clock clock;

    public LeadScoring(JdbcTemplate jdbc, ContactStore contacts, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.clock = clock;
    }

    public LeadScore rescore(long conversationId, String phone) {
        return rescore(List.of(new Scored(conversationId, phone))).get(0);
    }

    /**
     * Scores each conversation from its inbound texts (per intent: count, latest time, and the
     * sentiment of the newest) and its contact's name and email, and writes the scores to the
     * contacts. A phone with no contact gets a score and no write.
     */
    public List<LeadScore> rescore(List<Scored> conversations) {
        List<Object> ids = conversations.stream().<Object>map(Scored::conversationId).distinct().toList();
        Map<Long, Inputs> inputs = new HashMap<>();
        jdbc.query(
                "SELECT g.conversation_id, g.intent, g.n, g.last, g.newest, s.sentiment FROM (SELECT conversation_id, intent, count(*) AS n,"
                        + " MAX(created_at) AS last, MAX(id) AS newest FROM message WHERE conversation_id IN ("
                        + MultiRowInsert.placeholders(ids.size()) + ")"
                        + " AND direction = 'IN' GROUP BY conversation_id, intent) g JOIN message s ON s.id = g.newest",
                rs -> {
                    inputs.computeIfAbsent(rs.getLong(1), id -> new Inputs()).add(rs.getString(2), rs.getInt(3),
                            SqlValues.instant(rs.getObject(4)), rs.getLong(5), SqlValues.number(rs.getObject(6)));
                }, ids.toArray());
        List<Object> phones = conversations.stream().<Object>map(Scored::phone).distinct().toList();
        Map<String, Known> known = new HashMap<>();
        jdbc.query("SELECT phone, name, email FROM contact_card WHERE phone IN (" + MultiRowInsert.placeholders(phones.size()) + ")",
                rs -> {
                    known.put(rs.getString(1), new Known(rs.getString(2) != null, rs.getString(3) != null));
                }, phones.toArray());
        Instant now = clock.instant();
        List<LeadScore> scores = new ArrayList<>(conversations.size());
        List<ContactStore.Score> writes = new ArrayList<>();
        for (Scored c : conversations) {
            Inputs in = inputs.getOrDefault(c.conversationId(), new Inputs());
            Known contact = known.get(c.phone());
            LeadScore score = LeadScore
                    .of(new LeadScore.Inputs(in.texts, in.best, contact != null && contact.name(), contact != null && contact.email(),
                            in.sentiment, Duration.between(in.last == null ? now : in.last, now)));
            scores.add(score);
            if (contact != null) {
                writes.add(new ContactStore.Score(c.phone(), score.score(), String.join("; ", score.reasons()), now));
            }
        }
        contacts.score(writes);
        return scores;
    }

    /** What the contact has told us: a name, an email. */
    private record Known(boolean name, boolean email) {}

    /** One conversation's inputs, folded from its per-intent rows. */
    private static final class Inputs {
        int texts;
        Instant last;
        long newest = Long.MIN_VALUE;
        int sentiment;
        TextSignals.Intent best = TextSignals.Intent.OTHER;

        void add(String intent, int count, Instant groupLast, long groupNewest, Number groupSentiment) {
            texts += count;
            last = last == null || groupLast.isAfter(last) ? groupLast : last;
            if (groupNewest > newest) {
                newest = groupNewest;
                sentiment = groupSentiment == null ? 0 : groupSentiment.intValue();
            }
            if (intent != null) {
                TextSignals.Intent i = TextSignals.Intent.valueOf(intent.toUpperCase(Locale.ROOT));
                best = i.compareTo(best) < 0 ? i : best;
            }
        }
    }
}
