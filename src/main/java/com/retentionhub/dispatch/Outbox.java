package com.retentionhub.dispatch;

import com.retentionhub.dispatch.policy.SendPolicy;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.GeneratedIds;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.PersonErased;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every message to be sent is first an outbox row with a unique idempotency key, written with its
 * conversation log entry in one transaction. The same key twice is the same message. A first
 * business-initiated text to a phone is checked here, the one path every sender takes
 * ({@link FirstContact}): named and with opt-out wording, amended, or refused (BLOCKED with the reason).
 * Queuing a sendable row also wakes dispatch once it is committed ({@link DispatchNudges}), so no
 * caller nudges and none can forget to.
 */
@Component
public class Outbox {

    /** Outbox row states. SENDING rows belong to a dispatcher; UNKNOWN rows need reconciliation. */
    public static final String PENDING = "PENDING";
    public static final String SENDING = "SENDING";
    public static final String SENT = "SENT";
    public static final String SIMULATED = "SIMULATED";
    public static final String BLOCKED = "BLOCKED";
    public static final String FAILED = "FAILED";
    public static final String UNKNOWN = "UNKNOWN";
    public static final String EXPIRED = "EXPIRED";

    /** Business-initiated: held by quiet hours and counted by the caps. */
    public static final String MESSAGE = SendPolicy.MESSAGE;
    /** An answer to the customer's own text: exempt from the caps. */
    public static final String REPLY = SendPolicy.REPLY;
    /** The single confirmation of an opt-out: the one message that may go to a phone that just opted out. */
    public static final String OPT_OUT_CONFIRMATION = SendPolicy.OPT_OUT_CONFIRMATION;
    /** An alert to the business's own staff. */
    public static final String STAFF_ALERT = SendPolicy.STAFF_ALERT;

    /** A message to queue. Build with {@link #sms}, {@link #email} or {@link #call} and the {@code with*} methods. */
    public record Message(String key, String channel, String phone, String address, String subject, String body, String purpose,
            String campaign,
            String sender, String target, Instant notBefore, Instant expiresAt, String attemptId) {

        public static Message sms(String key, String phone, String body) {
            return new Message(key, Channel.SMS.code(), phone, null, null, body, MESSAGE, null, null, null, null, null, null);
        }

        /** An email to the contact with this phone (the contact's key) at {@code address}. */
        public static Message email(String key, String phone, String address, String subject, String body) {
            return new Message(key, Channel.EMAIL.code(), phone, address, subject, body, MESSAGE, null, null, null, null, null, null);
        }

        /** An AI voice call; {@code script} is the assistant's opening line (blank: the assistant's own). */
        public static Message call(String key, String phone, String script) {
            return new Message(key, Channel.VOICE.code(), phone, null, null, script, MESSAGE, null, null, null, null, null, null);
        }

        public Message withPurpose(String p) {
            return new Message(key, channel, phone, address, subject, body, p, campaign, sender, target, notBefore, expiresAt, attemptId);
        }

        public Message inCampaign(String c) {
            return new Message(key, channel, phone, address, subject, body, purpose, c, sender, target, notBefore, expiresAt, attemptId);
        }

        /** The provider-side target a script names (Instantly campaign, VAPI assistant), over the campaign's and the default. */
        public Message toTarget(String t) {
            return new Message(key, channel, phone, address, subject, body, purpose, campaign, sender, t, notBefore, expiresAt, attemptId);
        }

        public Message notBefore(Instant t) {
            return new Message(key, channel, phone, address, subject, body, purpose, campaign, sender, target, t, expiresAt, attemptId);
        }

        public Message expiresAt(Instant t) {
            return new Message(key, channel, phone, address, subject, body, purpose, campaign, sender, target, notBefore, t, attemptId);
        }
    }

    /** The row an idempotency key resolves to; {@code created} is false when it already existed. */
    public record Enqueued(long id, boolean created) {}

    /** A row as dispatch sees it. */
    public record Row(long id, String key, String phone, String body, String purpose, String status, int attempts, String provider,
            String providerId, String campaign, String sender, Instant expiresAt, Instant claimedAt, String channel, String address,
            String subject,
            String target, String attemptId) {}

    private static final List<String> COLUMNS = List.of("idempotency_key", "phone", "channel", "address", "subject", "body", "purpose",
            "campaign", "sender", "target", "attempt_id", "expires_at", "status", "held_reason", "next_attempt_at", "created_at",
            "updated_at");
    private static final String INSERT = "INSERT INTO outbox (" + String.join(", ", COLUMNS) + ") VALUES ("
            + MultiRowInsert.placeholders(COLUMNS.size()) + ") ON CONFLICT DO NOTHING";

    static final String ROW_COLUMNS = "id, idempotency_key, phone, body, purpose, status, attempts, provider, provider_id, campaign, sender,"
            + " expires_at, claimed_at, channel, address, subject, target, attempt_id";

    private final JdbcTemplate jdbc;
    private final OutboundJournal journal;
    private final Clock clock;
    private final FirstContact firstContact;
    private final DispatchNudges nudges;

    public Outbox(JdbcTemplate jdbc, OutboundJournal journal, Clock clock,
            BusinessProfile business, DispatchNudges nudges) {
        this.jdbc = jdbc;
        this.nudges = nudges;
        this.firstContact = new FirstContact(business);
        this.journal = journal;
        this.clock = clock;
    }

    /** A fresh id for one message, to put in its tracking link before it is queued. */
    public static String newAttemptId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Transactional
    public Enqueued enqueue(String idempotencyKey, String phone, String body) {
        return enqueue(Message.sms(idempotencyKey, phone, body));
    }

    @Transactional
    public Enqueued enqueue(String idempotencyKey, String phone, String body, String purpose) {
        return enqueue(Message.sms(idempotencyKey, phone, body).withPurpose(purpose));
    }

    @Transactional
    public Enqueued enqueue(Message m) {
        Map<String, String> refused = new HashMap<>();
        m = firstContacts(List.of(m), refused).get(0);
        // The new row's id comes back with the insert; only a key seen before costs a lookup.
        OptionalLong created = GeneratedIds.insert(jdbc, INSERT, values(m, clock.instant(), refused.get(m.key())));
        long id = created.isPresent()
                ? created.getAsLong()
                : jdbc.queryForObject("SELECT id FROM outbox WHERE idempotency_key = ?", Long.class, m.key());
        if (created.isPresent()) {
            logQueued(List.of(m), List.of(id), refused);
            if (!refused.containsKey(m.key())) {
                nudges.afterCommit(id);
            }
        }
        return new Enqueued(id, created.isPresent());
    }

    /**
     * Queues several messages in a few statements whatever their number (keys seen before resolve to
     * their rows, as in {@link #enqueue(Message)}); results in the order given. For the reply stage,
     * which commits many answers together.
     */
    @Transactional
    public List<Enqueued> enqueueAll(List<Message> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<String> keys = messages.stream().map(Message::key).distinct().toList();
        Map<String, Long> existing = idsByKey(keys);
        Instant now = clock.instant();
        Map<String, Message> fresh = new LinkedHashMap<>();
        messages.stream().filter(m -> !existing.containsKey(m.key())).forEach(m -> fresh.putIfAbsent(m.key(), m));
        Map<String, Long> created = new HashMap<>();
        if (!fresh.isEmpty()) {
            Map<String, String> refused = new HashMap<>();
            List<Message> checked = firstContacts(List.copyOf(fresh.values()), refused);
            MultiRowInsert.insertIgnoringConflicts(jdbc, "outbox", COLUMNS,
                    checked.stream().map(m -> values(m, now, refused.get(m.key()))).toList());
            created.putAll(idsByKey(List.copyOf(fresh.keySet())));
            List<Message> logged = checked.stream().filter(m -> created.containsKey(m.key())).toList();
            logQueued(logged, logged.stream().map(m -> created.get(m.key())).toList(), refused);
            logged.stream().filter(m -> !refused.containsKey(m.key())).findFirst().ifPresent(m -> nudges.afterCommit(created.get(m.key())));
        }
        List<Enqueued> result = new ArrayList<>(messages.size());
        for (Message m : messages) {
            Long id = existing.containsKey(m.key()) ? existing.get(m.key()) : created.get(m.key());
            result.add(new Enqueued(id, !existing.containsKey(m.key())));
        }
        return result;
    }

    private Map<String, Long> idsByKey(List<String> keys) {
        Map<String, Long> ids = new HashMap<>();
        jdbc.query("SELECT idempotency_key, id FROM outbox WHERE idempotency_key IN (" + MultiRowInsert.placeholders(keys.size()) + ")",
                rs -> {
                    ids.put(rs.getString(1), rs.getLong(2));
                }, keys.toArray());
        return ids;
    }

    /**
     * The messages with each first business-initiated text to a phone checked ({@link FirstContact}):
     * amended where something was missing, or noted in {@code refused} (key to reason). Replies, opt-out
     * confirmations and staff alerts answer or serve someone already in touch; email and calls carry
     * their own identification, so only SMS is checked. One read for the whole batch.
     */
    private List<Message> firstContacts(List<Message> messages, Map<String, String> refused) {
        List<String> phones = messages.stream().filter(Outbox::businessInitiatedSms).map(Message::phone).distinct().toList();
        if (phones.isEmpty()) {
            return messages;
        }
        Set<String> contacted = new HashSet<>(jdbc.queryForList("SELECT DISTINCT phone FROM outbox WHERE phone IN ("
                + MultiRowInsert.placeholders(phones.size()) + ")", String.class, phones.toArray()));
        List<Message> checked = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (businessInitiatedSms(m) && contacted.add(m.phone())) {
                FirstContact.Decision d = firstContact.check(m.body());
                if (d.refused()) {
                    refused.put(m.key(), d.refusal());
                } else if (!d.text().equals(m.body())) {
                    m = new Message(m.key(), m.channel(), m.phone(), m.address(), m.subject(), d.text(), m.purpose(), m.campaign(),
                            m.sender(),
                            m.target(), m.notBefore(), m.expiresAt(), m.attemptId());
                }
            }
            checked.add(m);
        }
        return checked;
    }

    /**
     * Why this message would be refused as a first text (see {@link FirstContact}), for callers that
     * must answer a refusal at once and write nothing; empty when it would be queued, amended or not.
     */
    public Optional<String> firstContactRefusal(Message m) {
        Map<String, String> refused = new HashMap<>();
        firstContacts(List.of(m), refused);
        return Optional.ofNullable(refused.get(m.key()));
    }

    /** Whether the stored row holds this body as it was given or as the first-contact check amended it. */
    public boolean holds(Row row, String body) {
        return row.body().equals(body) || row.body().equals(firstContact.check(body).text());
    }

    private static boolean businessInitiatedSms(Message m) {
        return Channel.SMS.code().equals(m.channel()) && MESSAGE.equals(m.purpose()) && m.phone() != null;
    }

    private Object[] values(Message m, Instant now, String refusal) {
        Timestamp ts = Timestamp.from(now);
        return new Object[] {m.key(), m.phone(), m.channel(), m.address() == null ? null : m.address().trim().toLowerCase(Locale.ROOT),
                m.subject(), m.body() == null ? "" : m.body(), m.purpose(), m.campaign(), m.sender(), m.target(),
                m.attemptId() != null ? m.attemptId() : newAttemptId(), m.expiresAt() == null ? null : Timestamp.from(m.expiresAt()),
                refusal == null ? PENDING : BLOCKED, refusal, Timestamp.from(m.notBefore() == null ? now : m.notBefore()), ts, ts};
    }

    /** The conversation log's entry for each newly queued message (ids in the same order). */
    private void logQueued(List<Message> queued, List<Long> ids, Map<String, String> refused) {
        // The owner is not a customer: an alert belongs to no conversation, and appending it would make the
        // owner's phone a roster entry quoting every customer who wrote in.
        List<OutboundJournal.Entry> entries = new ArrayList<>();
        for (int i = 0; i < queued.size(); i++) {
            Message m = queued.get(i);
            if (!STAFF_ALERT.equals(m.purpose())) {
                entries.add(new OutboundJournal.Entry(m.phone(), m.channel(), m.body(), refused.containsKey(m.key()), ids.get(i)));
            }
        }
        journal.queued(entries);
    }

    public Row get(long id) {
        return jdbc.queryForObject("SELECT " + ROW_COLUMNS + " FROM outbox WHERE id = ?", Outbox::row, id);
    }

    static Row row(ResultSet rs, int i) throws SQLException {
        Timestamp expires = rs.getTimestamp(12);
        Timestamp claimed = rs.getTimestamp(13);
        return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
                rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11), expires == null ? null : expires.toInstant(),
                claimed == null ? null : claimed.toInstant(), rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17),
                rs.getString(18));
    }

    /**
     * Withdraws the business messages still waiting for this phone whose reason has gone: all of
     * them ({@code keyPrefixes} empty), or those whose idempotency key starts with one of the
     * prefixes ("seq:" later steps, "reengage:" callbacks). Each becomes BLOCKED with
     * "withdrawn: <reason>", in the outbox and the conversation alike. Replies and the opt-out
     * confirmation are never withdrawn here. Returns how many were.
     */
    @Transactional
    public int withdraw(String phone, String reason, List<String> keyPrefixes) {
        if (phone == null) {
            return 0;
        }
        List<Object> args = new ArrayList<>(List.of(phone, PENDING, MESSAGE));
        String keys = keyPrefixes.isEmpty()
                ? ""
                : " AND (" + String.join(" OR ", Collections.nCopies(keyPrefixes.size(), "idempotency_key LIKE ?"))
                        + ")";
        keyPrefixes.forEach(p -> args.add(p + "%"));
        List<Long> ids = jdbc.queryForList("SELECT id FROM outbox WHERE phone = ? AND status = ? AND purpose = ?" + keys, Long.class,
                args.toArray());
        if (ids.isEmpty()) {
            return 0;
        }
        Instant at = clock.instant();
        Timestamp now = Timestamp.from(at);
        List<Object> update = new ArrayList<>(List.of(BLOCKED, "withdrawn: " + reason, now));
        update.addAll(ids);
        update.add(PENDING);
        // Only rows still waiting: one a dispatcher claimed meanwhile has its own last-hop consent check.
        int withdrawn = jdbc.update("UPDATE outbox SET status = ?, last_error = ?, held_reason = NULL, updated_at = ? WHERE id IN ("
                + MultiRowInsert.placeholders(ids.size()) + ") AND status = ?", update.toArray());
        journal.withdrawn(ids, at);
        return withdrawn;
    }

    /**
     * A deleted customer's messages keep their place in the business's counts (sends, runs,
     * conversions) but lose every personal detail: the phone becomes the erasure's alias, bodies,
     * subjects and addresses are emptied, provider callbacks and call transcripts go, and nothing
     * still waiting is sent.
     */
    @EventListener
    public void on(PersonErased erased) {
        jdbc.update(
                "DELETE FROM status_event WHERE provider_id IN (SELECT provider_id FROM outbox WHERE phone = ? AND provider_id IS NOT NULL)",
                erased.phone());
        jdbc.update("DELETE FROM call_report WHERE outbox_id IN (SELECT id FROM outbox WHERE phone = ?)", erased.phone());
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("UPDATE outbox SET status = ?, held_reason = 'customer deleted', updated_at = ? WHERE phone = ? AND status = ?",
                BLOCKED, now,
                erased.phone(), PENDING);
        jdbc.update(
                "UPDATE outbox SET phone = ?, body = '', subject = NULL, address = NULL, last_error = NULL, updated_at = ? WHERE phone = ?",
                erased.alias(), now, erased.phone());
    }

    /**
     * Empties the bodies of the rows with this purpose and one of these idempotency keys, which keep
     * their place in the counts: a deleted customer's words leave the messages sent about them to others.
     */
    public void blankBodies(String purpose, Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += 1000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 1000));
            List<Object> args = new ArrayList<>(List.of(purpose));
            args.addAll(chunk);
            jdbc.update(
                    "UPDATE outbox SET body = '' WHERE purpose = ? AND idempotency_key IN (" + MultiRowInsert.placeholders(chunk.size())
                            + ")",
                    args.toArray());
        }
    }

    /** Marks a queued message as part of a reach-out run, whose progress counts it. */
    public void assignRun(long outboxId, long runId) {
        jdbc.update("UPDATE outbox SET run_id = ? WHERE id = ?", runId, outboxId);
    }

    /** Calls back a cancelled run's messages not yet claimed; a claimed one (SENDING) is on its way and cannot be. */
    public int cancelRun(long runId) {
        return jdbc.update("UPDATE outbox SET status = ?, held_reason = 'run cancelled', updated_at = ? WHERE run_id = ? AND status = ?",
                BLOCKED,
                Timestamp.from(clock.instant()), runId, PENDING);
    }
}
