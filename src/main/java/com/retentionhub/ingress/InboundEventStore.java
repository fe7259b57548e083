package com.retentionhub.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.consent.Keyword;
import com.retentionhub.consent.KeywordOutcome;
import com.retentionhub.consent.ReConsent;
import com.retentionhub.conversation.InboundEvent;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.GroupCommitter;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.OutboundToggle;
import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.platform.web.TwiML;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Persists inbound texts before the webhook is answered. Concurrent requests are committed
 * together (one transaction per batch), and an opt-out keyword's ledger entry commits in that same
 * transaction: once Twilio has its 200, the opt-out holds.
 */
@Component
public class InboundEventStore {

    /** A verified text not yet stored. */
    public record NewEvent(String provider, String sid, String phone, String toNumber, String body, Map<String, List<String>> params,
            Optional<Keyword> keyword, Instant receivedAt) {}

    /** The stored event and the TwiML answer; {@code created} is false for a repeated delivery. */
    public record Result(InboundEvent event, String twiml, boolean created) {}

    private static final List<String> COLUMNS = List.of("provider", "dedupe_key", "phone", "to_number", "body", "params", "keyword",
            "reply_text", "reply_live", "reply_twiml", "received_at", "insert_batch");

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final ConsentLedger ledger;
    private final BusinessProfile business;
    private final OutboundToggle toggle;
    private final ObjectMapper json;
    private final GroupCommitter<NewEvent, Result> committer;

    private final ReConsent reConsent;

    public InboundEventStore(JdbcTemplate jdbc, TransactionTemplate tx, ConsentLedger ledger, BusinessProfile business,
            OutboundToggle toggle, ObjectMapper json, HubProperties properties, ReConsent reConsent) {
        this.reConsent = reConsent;
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.tx = tx;
        this.ledger = ledger;
        this.business = business;
        this.toggle = toggle;
        this.json = json;
        this.committer = new GroupCommitter<>("ingest", properties.ingress().writers(), properties.ingress().batchSize(), 10_000,
                batch -> tx.execute(s -> store(batch)));
    }

    public CompletableFuture<Result> submit(NewEvent event) {
        return committer.submit(event);
    }

    private List<Result> store(List<NewEvent> batch) {
        boolean live = toggle.isLive();
        long batchTag = ThreadLocalRandom.current().nextLong();
        List<KeywordOutcome> outcomes = decideKeywords(batch);
        // A sid repeated inside one batch is stored once; its later copies are repeated deliveries.
        Map<String, Integer> firstBySid = new HashMap<>();
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            NewEvent e = batch.get(i);
            if (firstBySid.putIfAbsent(e.sid(), i) != null) {
                continue;
            }
            KeywordOutcome o = outcomes.get(i);
            String twiml = o.reply() != null && live ? TwiML.message(o.reply()) : TwiML.EMPTY;
            rows.add(new Object[] {e.provider(), e.sid(), e.phone(), e.toNumber(), e.body(), toJson(e.params()),
                    o.isKeyword() ? o.keyword().name() : null, o.reply(), live, twiml, Timestamp.from(e.receivedAt()), batchTag});
        }
        MultiRowInsert.insertIgnoringConflicts(jdbc, "inbound_event", COLUMNS, rows);
        Map<String, StoredRow> stored = storedRows(batch);

        boolean[] created = new boolean[batch.size()];
        List<ConsentChange> changes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            created[i] = firstBySid.get(batch.get(i).sid()) == i && stored.get(batch.get(i).sid()).batchTag() == batchTag;
            if (created[i] && outcomes.get(i).change() != null) {
                changes.add(outcomes.get(i).change());
            }
        }
        // Ledger changes of the texts stored just now, in arrival order per phone; sorting by phone
        // keeps two writers from taking consent row locks in opposite orders.
        changes.sort(Comparator.comparing(ConsentChange::phone));
        changes.forEach(ledger::record);
        for (int i = 0; i < batch.size(); i++) {
            if (created[i] && outcomes.get(i).keyword() == Keyword.OPT_IN_REQUEST) {
                reConsent.request(batch.get(i).phone(), Channel.SMS.code(), batch.get(i).body(), batch.get(i).receivedAt());
            }
        }

        List<Result> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            NewEvent e = batch.get(i);
            StoredRow row = stored.get(e.sid());
            KeywordOutcome o = outcomes.get(i);
            InboundEvent event = new InboundEvent(row.id(), e.provider(), e.sid(), e.phone(), e.toNumber(), e.body(),
                    o.isKeyword() ? o.keyword().name() : null, o.reply(), live, e.receivedAt());
            results.add(new Result(event, row.twiml(), created[i]));
        }
        return results;
    }

    /** Keyword outcomes in arrival order; consent is read only for phones that sent an opt-in word. */
    private List<KeywordOutcome> decideKeywords(List<NewEvent> batch) {
        Map<String, ConsentStatus> status = new HashMap<>();
        List<KeywordOutcome> outcomes = new ArrayList<>(batch.size());
        for (NewEvent e : batch) {
            if (e.keyword().isEmpty()) {
                outcomes.add(KeywordOutcome.NONE);
                continue;
            }
            ConsentStatus before = status.computeIfAbsent(e.phone(), p -> ledger.current(p, Channel.SMS.code()));
            KeywordOutcome o = KeywordOutcome.decide(e.keyword(), before, e.phone(), e.body(), e.receivedAt(), business, reConsent.rule(),
                    reConsent.requestReply());
            if (o.change() != null) {
                status.put(e.phone(),
                        o.change().action() == ConsentChange.Action.OPT_OUT ? ConsentStatus.OPTED_OUT : ConsentStatus.OPTED_IN);
            }
            outcomes.add(o);
        }
        return outcomes;
    }

    private record StoredRow(long id, String twiml, long batchTag) {}

    /** id, stored answer and batch tag per sid; for a repeated delivery the answer is the first delivery's. */
    private Map<String, StoredRow> storedRows(List<NewEvent> batch) {
        List<String> sids = batch.stream().map(NewEvent::sid).distinct().toList();
        Map<String, StoredRow> rows = new HashMap<>();
        named.query(
                "SELECT dedupe_key, id, reply_twiml, insert_batch FROM inbound_event WHERE provider = :provider AND dedupe_key IN (:sids)",
                new MapSqlParameterSource("provider", batch.get(0).provider()).addValue("sids", sids),
                rs -> {
                    rows.put(rs.getString(1), new StoredRow(rs.getLong(2), rs.getString(3), rs.getLong(4)));
                });
        return rows;
    }

    private String toJson(Map<String, List<String>> params) {
        try {
            return json.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Events stored but not processed yet, oldest first: the recovery sweep's work list. */
    public List<InboundEvent> unprocessed(Instant receivedBefore, int limit) {
        return jdbc.query(
                "SELECT id, provider, dedupe_key, phone, to_number, body, keyword, reply_text, reply_live, received_at FROM inbound_event"
                        + " WHERE processed_at IS NULL AND received_at < ? ORDER BY id LIMIT ?",
                (rs, i) -> new InboundEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9), SqlValues.instant(rs, 10)),
                Timestamp.from(receivedBefore), limit);
    }

    public int backlog() {
        return committer.backlog();
    }

    @PreDestroy
    void stop() {
        committer.close();
    }

    /** A deleted customer's texts go, with the provider parameters they arrived with. */
    @EventListener
    public void on(PersonErased erased) {
        jdbc.update("DELETE FROM inbound_event WHERE phone = ?", erased.phone());
    }
}
