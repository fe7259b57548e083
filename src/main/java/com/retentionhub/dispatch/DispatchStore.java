package com.retentionhub.dispatch;

import com.retentionhub.dispatch.policy.SendPolicy;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlDialect;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Dispatch's SQL: claiming due outbox rows, what the policy reads about their recipients, and
 * writing each row's outcome to the outbox and (through {@link OutboundJournal}) the conversation log.
 * Callers own the transactions.
 */
@Component
class DispatchStore {

    /** A row's final outcome as written: {@code next} is when it is due again, if it goes back to the queue. */
    record Settled(Outbox.Row row, Outcome outcome, Instant next) {}

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final DeliveryLog deliveries;
    private final OutboundJournal journal;
    private final Clock clock;

    DispatchStore(JdbcTemplate jdbc, SqlDialect dialect, DeliveryLog deliveries, OutboundJournal journal, Clock clock) {
        this.jdbc = jdbc;
        this.journal = journal;
        this.dialect = dialect;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** Due rows, taken (SKIP LOCKED) and marked SENDING with one more attempt, so no other dispatcher takes them. */
    List<Outbox.Row> claim(int limit) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Outbox.Row> rows = jdbc.query("SELECT " + Outbox.ROW_COLUMNS + " FROM outbox WHERE status = ? AND next_attempt_at <= ?"
                + " ORDER BY next_attempt_at, id LIMIT ?" + dialect.forUpdateSkipLocked(), Outbox::row, Outbox.PENDING, now, limit);
        if (!rows.isEmpty()) {
            List<Object> args = new ArrayList<>(List.of(Outbox.SENDING, now, now));
            rows.forEach(r -> args.add(r.id()));
            jdbc.update("UPDATE outbox SET status = ?, attempts = attempts + 1, claimed_at = ?, updated_at = ? WHERE id IN ("
                    + MultiRowInsert.placeholders(rows.size()) + ")", args.toArray());
        }
        return rows;
    }

    /** Business-initiated messages that already went to these recipients (what the caps count). */
    Map<String, List<SendPolicy.Sent>> history(List<Outbox.Row> group) {
        List<String> phones = group.stream().filter(r -> SendPolicy.capped(r.purpose())).map(Outbox.Row::phone).distinct().toList();
        Map<String, List<SendPolicy.Sent>> history = new HashMap<>();
        if (phones.isEmpty()) {
            return history;
        }
        List<Object> args = new ArrayList<>(phones);
        args.add(SendPolicy.MESSAGE);
        jdbc.query("SELECT phone, channel, campaign, sent_at FROM outbox WHERE phone IN (" + MultiRowInsert.placeholders(phones.size())
                + ") AND purpose = ? AND sent_at IS NOT NULL",
                rs -> {
                    history.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new SendPolicy.Sent(rs.getString(2), rs.getString(3), SqlValues.instant(rs, 4)));
                }, args.toArray());
        return history;
    }

    /** The contacts' own time zones, where known. */
    Map<String, String> zones(List<Outbox.Row> group) {
        List<String> phones = group.stream().filter(r -> SendPolicy.capped(r.purpose())).map(Outbox.Row::phone).distinct().toList();
        Map<String, String> zones = new HashMap<>();
        if (!phones.isEmpty()) {
            jdbc.query(
                    "SELECT phone, time_zone FROM contact_card WHERE time_zone IS NOT NULL AND phone IN ("
                            + MultiRowInsert.placeholders(phones.size()) + ")",
                    rs -> {
                        zones.put(rs.getString(1), rs.getString(2));
                    }, phones.toArray());
        }
        return zones;
    }

    /** Contact names for the group's emails and calls (an SMS body is already written). */
    Map<String, String> names(List<Outbox.Row> group) {
        List<String> phones = group.stream().filter(r -> !Channel.SMS.code().equals(r.channel())).map(Outbox.Row::phone).distinct()
                .toList();
        Map<String, String> names = new HashMap<>();
        if (!phones.isEmpty()) {
            jdbc.query(
                    "SELECT phone, name FROM contact_card WHERE name IS NOT NULL AND phone IN ("
                            + MultiRowInsert.placeholders(phones.size()) + ")",
                    rs -> {
                        names.put(rs.getString(1), rs.getString(2));
                    }, phones.toArray());
        }
        return names;
    }

    /** Writes a group's outcomes in a few statements: outbox rows, their log messages, and callbacks that came before the send's receipt. */
    void write(List<Settled> settled) {
        Instant now = clock.instant();
        Timestamp ts = Timestamp.from(now);
        List<Object[]> outboxUpdates = new ArrayList<>();
        List<OutboundJournal.Settled> messageUpdates = new ArrayList<>();
        List<String> sentIds = new ArrayList<>();
        for (Settled s : settled) {
            Outcome o = s.outcome();
            // A hold is not an attempt: it gives back the attempt its claim took, and says why it waits.
            boolean held = !o.countsAsAttempt();
            outboxUpdates.add(new Object[] {o.status(), o.provider(), o.providerId(), o.target(), held ? null : truncate(o.detail()),
                    s.next() == null ? null : Timestamp.from(s.next()), o.sent() ? ts : null, held ? truncate(o.detail()) : null,
                    held ? 1 : 0, ts,
                    s.row().id()});
            if (o.messageStatus() != null) {
                messageUpdates
                        .add(new OutboundJournal.Settled(s.row().id(), o.messageStatus(), o.provider(), o.providerId(), o.errorCode()));
            }
            if (o.providerId() != null) {
                sentIds.add(o.providerId());
            }
        }
        jdbc.batchUpdate("UPDATE outbox SET status = ?, provider = COALESCE(?, provider), provider_id = COALESCE(?, provider_id),"
                + " provider_ref = COALESCE(?, provider_ref), last_error = ?,"
                + " next_attempt_at = COALESCE(?, next_attempt_at), sent_at = COALESCE(?, sent_at), held_reason = ?, attempts = attempts - ?,"
                + " updated_at = ? WHERE id = ?", outboxUpdates);
        journal.settled(messageUpdates, now);
        if (!sentIds.isEmpty()) {
            deliveries.applyEarlyCallbacks(sentIds);
        }
    }

    /** Rows whose send may or may not have reached a provider: UNKNOWN ones that are due, and SENDING ones claimed before {@code stuckBefore}. */
    List<Outbox.Row> unsettled(Instant now, Instant stuckBefore) {
        return jdbc.query("SELECT " + Outbox.ROW_COLUMNS + " FROM outbox WHERE (status = ? AND next_attempt_at <= ?)"
                + " OR (status = ? AND claimed_at < ?) ORDER BY id LIMIT 200", Outbox::row, Outbox.UNKNOWN, Timestamp.from(now),
                Outbox.SENDING,
                Timestamp.from(stuckBefore));
    }

    /** An unsettled row given up on; false when it was settled meanwhile. */
    boolean giveUp(long id, String reason) {
        return jdbc.update("UPDATE outbox SET status = ?, last_error = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)", Outbox.FAILED,
                reason,
                Timestamp.from(clock.instant()), id, Outbox.UNKNOWN, Outbox.SENDING) == 1;
    }

    /** An unsettled row a provider turned out to have: SENT, and its log message linked. False when it was settled meanwhile. */
    boolean foundSent(long id, String provider, SmsLookup.Result found) {
        Timestamp ts = Timestamp.from(clock.instant());
        int n = jdbc.update("UPDATE outbox SET status = ?, provider = ?, provider_id = ?, sent_at = COALESCE(sent_at, ?), updated_at = ?"
                + " WHERE id = ? AND status IN (?, ?)", Outbox.SENT, provider, found.providerId(), ts, ts, id, Outbox.UNKNOWN,
                Outbox.SENDING);
        if (n == 1) {
            deliveries.linkSent(id, provider, found.providerId(), MessageStatus.normalise(found.status()));
        }
        return n == 1;
    }

    /** An unsettled row no provider has: due again now. False when it was settled meanwhile. */
    boolean requeue(long id) {
        Timestamp ts = Timestamp.from(clock.instant());
        return jdbc.update(
                "UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)",
                Outbox.PENDING, ts, "not found at the provider; queued again", ts, id, Outbox.UNKNOWN, Outbox.SENDING) == 1;
    }

    /** An unsettled row nobody could answer for yet: UNKNOWN, to be asked about again at {@code askAgain}. */
    void askLater(long id, Instant askAgain) {
        jdbc.update("UPDATE outbox SET status = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND status IN (?, ?)", Outbox.UNKNOWN,
                Timestamp.from(askAgain), Timestamp.from(clock.instant()), id, Outbox.UNKNOWN, Outbox.SENDING);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }
}
