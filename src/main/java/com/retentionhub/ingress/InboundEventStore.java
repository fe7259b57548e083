package com.retentionhub.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.consent.Keyword;
import com.retentionhub.consent.KeywordOutcome;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.GroupCommitter;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.OutboundToggle;
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

    private static final String INSERT = "INSERT INTO inbound_event (provider, dedupe_key, phone, to_number, body, params, keyword,"
            + " reply_text, reply_live, reply_twiml, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate tx;
    private final ConsentLedger ledger;
    private final BusinessProfile business;
    private final OutboundToggle toggle;
    private final ObjectMapper json;
    private final GroupCommitter<NewEvent, Result> committer;

    public InboundEventStore(JdbcTemplate jdbc, TransactionTemplate tx, ConsentLedger ledger, BusinessProfile business,
            OutboundToggle toggle, ObjectMapper json, HubProperties properties) {
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
        List<KeywordOutcome> outcomes = decideKeywords(batch);
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            NewEvent e = batch.get(i);
            KeywordOutcome o = outcomes.get(i);
            String twiml = o.reply() != null && live ? TwiML.message(o.reply()) : TwiML.EMPTY;
            rows.add(new Object[] {e.provider(), e.sid(), e.phone(), e.toNumber(), e.body(), toJson(e.params()),
                    o.isKeyword() ? o.keyword().name() : null, o.reply(), live, twiml, Timestamp.from(e.receivedAt())});
        }
        int[] counts = jdbc.batchUpdate(INSERT, rows);

        // Ledger changes of the texts stored just now, in arrival order per phone; sorting by phone
        // keeps two writers from taking consent row locks in opposite orders.
        List<ConsentChange> changes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (counts[i] != 0 && outcomes.get(i).change() != null) {
                changes.add(outcomes.get(i).change());
            }
        }
        changes.sort(Comparator.comparing(ConsentChange::phone));
        changes.forEach(ledger::record);

        Map<String, Object[]> stored = storedRows(batch);
        List<Result> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            NewEvent e = batch.get(i);
            Object[] row = stored.get(e.sid());
            KeywordOutcome o = outcomes.get(i);
            InboundEvent event = new InboundEvent((Long) row[0], e.provider(), e.sid(), e.phone(), e.toNumber(), e.body(),
                    o.isKeyword() ? o.keyword().name() : null, o.reply(), live, e.receivedAt());
            results.add(new Result(event, (String) row[1], counts[i] != 0));
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
            ConsentStatus before = status.computeIfAbsent(e.phone(), p -> ledger.current(p, ConsentChange.SMS));
            KeywordOutcome o = KeywordOutcome.decide(e.keyword(), before, e.phone(), e.body(), e.receivedAt(), business);
            if (o.change() != null) {
                status.put(e.phone(), o.change().action() == ConsentChange.Action.OPT_OUT ? ConsentStatus.OPTED_OUT : ConsentStatus.OPTED_IN);
            }
            outcomes.add(o);
        }
        return outcomes;
    }

    /** id and stored answer per sid; for a repeated delivery that is the first delivery's answer. */
    private Map<String, Object[]> storedRows(List<NewEvent> batch) {
        List<String> sids = batch.stream().map(NewEvent::sid).distinct().toList();
        Map<String, Object[]> rows = new HashMap<>();
        named.query("SELECT dedupe_key, id, reply_twiml FROM inbound_event WHERE provider = :provider AND dedupe_key IN (:sids)",
                new MapSqlParameterSource("provider", batch.get(0).provider()).addValue("sids", sids),
                rs -> {
                    rows.put(rs.getString(1), new Object[] {rs.getLong(2), rs.getString(3)});
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
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9), rs.getTimestamp(10).toInstant()),
                Timestamp.from(receivedBefore), limit);
    }

    public int backlog() {
        return committer.backlog();
    }

    @PreDestroy
    void stop() {
        committer.close();
    }
}
