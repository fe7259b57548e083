package com.retentionhub.batch;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.dispatch.TemplatedMessages;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.GeneratedIds;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.template.MessageTemplates;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Paced runs of one template to a fixed list of people: re-engagement, the daily cold batch and
 * warm-lead follow-ups. A run hands its targets to the outbox one at a time, no faster than its pace
 * and, with {@code max_active}, only while fewer than that many of its conversations await a reply.
 * Each hand-over is an outbox row keyed {@code run:<id>:<phone>} carrying the run id, so a target is
 * never sent twice and progress is read from the outbox itself.
 */
@Component("runs")
public class Runs {

    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
    /** Most targets one run hands over in one pass, so one fast run cannot hold the pump. */
    private static final int MAX_PER_PASS = 100;

    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String CANCELLED = "CANCELLED";

    /**
     * What to launch. {@code runOn} makes the run the only one of its kind that day; {@code dailyCap}
     * (null: none) is how many it hands over per business day; {@code note} says why an empty run had
     * no one to send to.
     */
    public record Launch(String kind, String campaign, String template, String rule, int pacePerMinute, Integer maxActive,
            int replyWindowMinutes,
            String createdBy, LocalDate runOn, List<String> phones, Integer dailyCap, String note) {

        public Launch(String kind, String campaign, String template, String rule, int pacePerMinute, Integer maxActive,
                int replyWindowMinutes,
                String createdBy, LocalDate runOn, List<String> phones) {
            this(kind, campaign, template, rule, pacePerMinute, maxActive, replyWindowMinutes, createdBy, runOn, phones, null, null);
        }
    }

    /**
     * A run and its progress. {@code active}: conversations awaiting a reply (what {@code maxActive}
     * caps). {@code waiting}: why a running run is not done yet ("waiting: 1 held for quiet hours
     * until 8:00"); {@code note}: why a run had no one to send to.
     */
    public record Progress(long id, String kind, String campaign, String status, int pacePerMinute, Integer maxActive, LocalDate runOn,
            Instant createdAt, Instant finishedAt, int total, int queued, int sending, int sent, int failed, int skipped, int cancelled,
            int replies,
            int active, Instant eta, Integer dailyCap, int handedToday, String waiting, String note) {}

    /**
     * One target of a run and what became of it: {@code sent}, {@code held} (the reason and the next
     * attempt), {@code queued} or {@code sending} (on its way), {@code waiting} (not handed over yet,
     * and why), {@code skipped} (why), {@code failed} (why) or {@code cancelled}.
     */
    public record Recipient(int seq, String phone, String name, String outcome, String reason, Instant handedAt, Instant nextAttemptAt,
            Instant sentAt) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TemplatedMessages messages;
    private final Outbox outbox;
    private final ConsentLedger consent;
    private final Clock clock;
    private final long pumpMillis;
    private final BusinessProfile business;

    public Runs(JdbcTemplate jdbc, TransactionTemplate tx, TemplatedMessages messages, Outbox outbox, ConsentLedger consent, Clock clock,
            @Value("${hub.batches.pump-ms}") long pumpMillis,
            BusinessProfile business) {
        this.pumpMillis = pumpMillis;
        this.business = business;
        this.jdbc = jdbc;
        this.tx = tx;
        this.messages = messages;
        this.outbox = outbox;
        this.consent = consent;
        this.clock = clock;
    }

    /** Stores the run and its targets in order. @throws DuplicateKeyException when a run of this kind exists for {@code runOn} */
    public long launch(Launch l) {
        return tx.execute(s -> {
            Timestamp now = Timestamp.from(clock.instant());
            long id = GeneratedIds.insert(jdbc, "INSERT INTO outreach_run (kind, campaign, template, rule,"
                    + " pace_per_minute, max_active, reply_window_min, status, run_on, created_by, next_send_at, created_at, daily_cap, note)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", l.kind(), l.campaign(), l.template(), l.rule(),
                    l.pacePerMinute(), l.maxActive(),
                    l.replyWindowMinutes(), l.phones().isEmpty() ? DONE : RUNNING, l.runOn() == null ? null : Date.valueOf(l.runOn()),
                    l.createdBy(),
                    now, now, l.dailyCap(), l.phones().isEmpty() ? cut(l.note()) : null).orElseThrow();
            List<Object[]> rows = new ArrayList<>(l.phones().size());
            for (int i = 0; i < l.phones().size(); i++) {
                rows.add(new Object[] {id, i, l.phones().get(i), "QUEUED"});
            }
            for (int from = 0; from < rows.size(); from += 1000) {
                MultiRowInsert.insertIgnoringConflicts(jdbc, "outreach_target", List.of("run_id", "seq", "phone", "status"),
                        rows.subList(from, Math.min(rows.size(), from + 1000)));
            }
            if (l.phones().isEmpty()) {
                jdbc.update("UPDATE outreach_run SET finished_at = ? WHERE id = ?", now, id);
            }
            return id;
        });
    }

    /** Today's run of a kind (the daily batch), if launched. */
    public Optional<Long> runOn(String kind, LocalDate day) {
        return jdbc.queryForList("SELECT id FROM outreach_run WHERE kind = ? AND run_on = ?", Long.class, kind, Date.valueOf(day)).stream()
                .findFirst();
    }

    /** Hands due targets of every running run to the outbox (the batch-runs route calls it). */
    public int pump() {
        List<Long> due = jdbc.queryForList("SELECT id FROM outreach_run WHERE status = ? AND next_send_at <= ? ORDER BY id", Long.class,
                RUNNING,
                Timestamp.from(clock.instant()));
        int handed = 0;
        for (long id : due) {
            try {
                handed += advance(id);
            } catch (RuntimeException e) {
                LOG.warn("run {} could not advance; next pass retries: {}", id, e.toString());
            }
        }
        return handed;
    }

    /**
     * One run's pass, under the run row's lock (a second instance skips it; a cancel waits for it).
     * The pace is a token bucket refilled at the run's pace and holding one pump period's worth (at
     * least one): at a pace slower than the pump, consecutive hand-overs are at least one interval
     * apart; time spent waiting for a slot is not saved up into a burst.
     */
    private int advance(long runId) {
        List<Long> outboxIds = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            List<Map<String, Object>> locked = jdbc.queryForList("SELECT campaign, template, pace_per_minute, max_active, reply_window_min,"
                    + " next_send_at, daily_cap FROM outreach_run WHERE id = ? AND status = ? FOR UPDATE SKIP LOCKED", runId, RUNNING);
            if (locked.isEmpty()) {
                return;
            }
            Map<String, Object> run = locked.get(0);
            Instant now = clock.instant();
            Duration interval = Duration.ofMillis(Math.max(1, 60_000L / SqlValues.toInt(run.get("pace_per_minute"))));
            // A bucket that holds what one pump period's pace allows (at least one): a late pass catches up no more
            // than that, so a run never sends faster than its pace over any stretch longer than one period.
            long burst = Math.min(MAX_PER_PASS, Math.max(1, pumpMillis / interval.toMillis()));
            Instant scheduled = instant(run.get("next_send_at"));
            Instant earliest = now.minus(interval.multipliedBy(burst - 1));
            Instant next = scheduled.isBefore(earliest) ? earliest : scheduled;
            if (next.isAfter(now)) {
                return;
            }
            long allowance = Math.min(burst, 1 + Duration.between(next, now).toMillis() / interval.toMillis());
            Integer maxActive = SqlValues.intOrNull(run.get("max_active"));
            if (maxActive != null) {
                allowance = Math.min(allowance, maxActive.intValue() - active(runId, SqlValues.toInt(run.get("reply_window_min")), now));
            }
            Integer dailyCap = SqlValues.intOrNull(run.get("daily_cap"));
            if (dailyCap != null) {
                allowance = Math.min(allowance, dailyCap - handedToday(runId, now));
            }
            int handed = 0;
            if (allowance > 0) {
                List<Map<String, Object>> targets = jdbc
                        .queryForList("SELECT seq, phone FROM outreach_target WHERE run_id = ? AND status = 'QUEUED'"
                                + " ORDER BY seq LIMIT ?", runId, allowance);
                for (Map<String, Object> t : targets) {
                    Long outboxId = handOver(runId, (String) run.get("campaign"), (String) run.get("template"),
                            SqlValues.toInt(t.get("seq")),
                            (String) t.get("phone"), now);
                    if (outboxId != null) {
                        outboxIds.add(outboxId);
                        handed++;
                    }
                }
            }
            // Each hand-over moves the next slot on by one interval; a pass that handed nothing (no free slot, only
            // skips) restarts the clock at now, so idle time is never saved up into a burst.
            Instant following = handed > 0 ? next.plus(interval.multipliedBy(handed)) : now;
            if (dailyCap != null && handedToday(runId, now) >= dailyCap) {
                following = tomorrow(now); // the day's cap is spent: the rest waits for the business's next day
            }
            jdbc.update("UPDATE outreach_run SET next_send_at = ? WHERE id = ?", Timestamp.from(following), runId);
            Integer left = jdbc.queryForObject("SELECT count(*) FROM outreach_target WHERE run_id = ? AND status = 'QUEUED'", Integer.class,
                    runId);
            // Done only when nothing of it is still waiting in the outbox (held by quiet hours, a cap or a drain).
            if (left != null && left == 0 && onItsWay(runId) == 0) {
                jdbc.update("UPDATE outreach_run SET status = ?, finished_at = ? WHERE id = ? AND status = ?", DONE, Timestamp.from(now),
                        runId,
                        RUNNING);
            }
        });
        return outboxIds.size();
    }

    /** Queues one target's message, or records why it was skipped (null). */
    private Long handOver(long runId, String campaign, String template, int seq, String phone, Instant now) {
        String skip = consent.current(phone, Channel.SMS.code()) == ConsentStatus.OPTED_OUT
                ? "opted out"
                : jdbc.queryForList(
                        "SELECT c.state FROM conversation_closed c JOIN contact_card k ON k.id = c.contact_id WHERE k.phone = ?",
                        String.class, phone).stream().findFirst().map(st -> "conversation in " + st)
                        .orElse(null);
        Long outboxId = null;
        if (skip == null) {
            try {
                outboxId = messages.queue(Outbox.Message.sms("run:" + runId + ":" + phone, phone, template).inCampaign(campaign), Map.of())
                        .id();
                outbox.assignRun(outboxId, runId);
            } catch (MessageTemplates.TemplateException e) {
                skip = e.getMessage();
            }
        }
        if (outboxId == null) {
            jdbc.update("UPDATE outreach_target SET status = 'SKIPPED', reason = ? WHERE run_id = ? AND seq = ?", cut(skip), runId, seq);
        } else {
            jdbc.update("UPDATE outreach_target SET status = 'HANDED', outbox_id = ?, handed_at = ? WHERE run_id = ? AND seq = ?", outboxId,
                    Timestamp.from(now), runId, seq);
        }
        return outboxId;
    }

    /** Targets handed over since the start of the business's day. */
    private int handedToday(long runId, Instant now) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM outreach_target WHERE run_id = ? AND handed_at >= ?", Integer.class, runId,
                Timestamp.from(LocalDate.ofInstant(now, business.zone()).atStartOfDay(business.zone()).toInstant()));
        return n == null ? 0 : n;
    }

    private Instant tomorrow(Instant now) {
        return LocalDate.ofInstant(now, business.zone()).plusDays(1).atStartOfDay(business.zone()).toInstant();
    }

    /** The run's messages still in the outbox, not yet sent, failed or blocked. */
    private int onItsWay(long runId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM outbox_sends WHERE run_id = ? AND status IN (?, ?, ?)", Integer.class, runId,
                Outbox.PENDING,
                Outbox.SENDING, Outbox.UNKNOWN);
        return n == null ? 0 : n;
    }

    /** Conversations of this run awaiting a reply: handed within the reply window, not failed or blocked, no text back since. */
    private int active(long runId, int replyWindowMinutes, Instant now) {
        Integer n = jdbc.queryForObject(
                "SELECT count(*) FROM outreach_target t JOIN outbox_sends o ON o.id = t.outbox_id WHERE t.run_id = ?"
                        + " AND t.status = 'HANDED' AND t.handed_at > ? AND o.status NOT IN ('FAILED', 'BLOCKED', 'EXPIRED')"
                        + " AND NOT EXISTS (SELECT 1 FROM inbound_texts e WHERE e.phone = t.phone AND e.received_at > t.handed_at)",
                Integer.class,
                runId, Timestamp.from(now.minus(Duration.ofMinutes(replyWindowMinutes))));
        return n == null ? 0 : n;
    }

    /** Stops a run: nothing queued is handed over, and its messages still waiting in the outbox are withdrawn. */
    public boolean cancel(long runId) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            List<String> status = jdbc.queryForList("SELECT status FROM outreach_run WHERE id = ? FOR UPDATE", String.class, runId);
            if (status.isEmpty()) {
                return false;
            }
            Timestamp now = Timestamp.from(clock.instant());
            if (RUNNING.equals(status.get(0))) {
                jdbc.update("UPDATE outreach_run SET status = ?, finished_at = ? WHERE id = ?", CANCELLED, now, runId);
            }
            jdbc.update("UPDATE outreach_target SET status = 'CANCELLED' WHERE run_id = ? AND status = 'QUEUED'", runId);
            // A row dispatch has claimed (SENDING) is on its way and cannot be called back; PENDING ones can.
            outbox.cancelRun(runId);
            return true;
        }));
    }

    public Optional<Progress> progress(long runId) {
        List<Map<String, Object>> runs = jdbc.queryForList("SELECT kind, campaign, status, pace_per_minute, max_active, run_on, created_at,"
                + " finished_at, reply_window_min, daily_cap, note FROM outreach_run WHERE id = ?", runId);
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> r = runs.get(0);
        int[] n = new int[7]; // total, queued, sending, sent, failed, skipped, cancelled
        jdbc.query(
                "SELECT t.status, o.status, count(*) FROM outreach_target t LEFT JOIN outbox_sends o ON o.id = t.outbox_id WHERE t.run_id = ?"
                        + " GROUP BY t.status, o.status",
                rs -> {
                    int count = rs.getInt(3);
                    n[0] += count;
                    n[bucket(rs.getString(1), rs.getString(2))] += count;
                }, runId);
        Integer replies = jdbc.queryForObject("SELECT count(*) FROM outreach_target t WHERE t.run_id = ? AND t.status = 'HANDED'"
                + " AND EXISTS (SELECT 1 FROM inbound_texts e WHERE e.phone = t.phone AND e.received_at > t.handed_at)", Integer.class,
                runId);
        Instant now = clock.instant();
        String status = (String) r.get("status");
        int pace = SqlValues.toInt(r.get("pace_per_minute"));
        Integer maxActive = SqlValues.intOrNull(r.get("max_active"));
        Integer dailyCap = SqlValues.intOrNull(r.get("daily_cap"));
        int window = SqlValues.toInt(r.get("reply_window_min"));
        int active = active(runId, window, now);
        int handedToday = handedToday(runId, now);
        List<Hold> holds = RUNNING.equals(status) ? holds(runId) : List.of();
        RunEstimate estimate = new RunEstimate(now, business.zone(), pace, maxActive, active, window, dailyCap, handedToday);
        Instant eta = RUNNING.equals(status)
                ? estimate.eta(n[1], holds.stream().map(Hold::until).max(Instant::compareTo).orElse(null))
                : null;
        String waiting = RUNNING.equals(status)
                ? estimate.waiting(n[1], holds.stream().map(h -> new RunEstimate.Held(h.reason(), h.count(), h.until()))
                        .toList())
                : null;
        Object runOn = r.get("run_on");
        return Optional.of(new Progress(runId, (String) r.get("kind"), (String) r.get("campaign"), status, pace,
                maxActive, runOn == null ? null : LocalDate.parse(runOn.toString()), instant(r.get("created_at")),
                r.get("finished_at") == null ? null : instant(r.get("finished_at")), n[0], n[1], n[2], n[3], n[4], n[5], n[6],
                replies == null ? 0 : replies, active, eta, dailyCap, handedToday, waiting, (String) r.get("note")));
    }

    private record Hold(String reason, int count, Instant until) {}

    /** The run's messages held in the outbox, by reason, each with the latest moment one of them is next tried. */
    private List<Hold> holds(long runId) {
        return jdbc.query(
                "SELECT held_reason, count(*), max(next_attempt_at) FROM outbox_sends WHERE run_id = ? AND status = ? AND held_reason IS NOT NULL"
                        + " GROUP BY held_reason ORDER BY held_reason",
                (rs, i) -> new Hold(rs.getString(1), rs.getInt(2), SqlValues.instant(rs, 3)), runId,
                Outbox.PENDING);
    }

    /** Every target of a run, in the run's order, with its outcome; a page at a time. */
    public List<Recipient> recipients(long runId, int page, int size) {
        Instant now = clock.instant();
        List<Map<String, Object>> runs = jdbc
                .queryForList("SELECT status, max_active, reply_window_min, daily_cap, pace_per_minute FROM outreach_run"
                        + " WHERE id = ?", runId);
        if (runs.isEmpty()) {
            return List.of();
        }
        Map<String, Object> r = runs.get(0);
        Integer maxActive = SqlValues.intOrNull(r.get("max_active"));
        int window = SqlValues.toInt(r.get("reply_window_min"));
        RunEstimate estimate = new RunEstimate(now, business.zone(), SqlValues.toInt(r.get("pace_per_minute")), maxActive,
                maxActive == null ? 0 : active(runId, window, now), window, SqlValues.intOrNull(r.get("daily_cap")),
                handedToday(runId, now));
        String notYet = RUNNING.equals(r.get("status"))
                ? estimate.whyNotHanded()
                : "run " + String.valueOf(r.get("status")).toLowerCase(Locale.ROOT);
        return jdbc.query(
                "SELECT t.seq, t.phone, k.name, t.status, t.reason, t.handed_at, o.status, o.held_reason, o.last_error, o.next_attempt_at,"
                        + " o.sent_at FROM outreach_target t LEFT JOIN outbox_sends o ON o.id = t.outbox_id"
                        + " LEFT JOIN contact_card k ON k.phone = t.phone WHERE t.run_id = ? ORDER BY t.seq LIMIT ? OFFSET ?",
                (rs, i) -> {
                    String target = rs.getString(4);
                    String outbox = rs.getString(7);
                    String[] outcome = RunEstimate.outcome(target, rs.getString(5), outbox, rs.getString(8), rs.getString(9), notYet);
                    Instant next = Outbox.PENDING.equals(outbox) ? SqlValues.instant(rs, 10) : null;
                    return new Recipient(rs.getInt(1), rs.getString(2), rs.getString(3), outcome[0], outcome[1], SqlValues.instant(rs, 6),
                            next,
                            SqlValues.instant(rs, 11));
                }, runId, size, (long) page * size);
    }

    /** Which progress figure a target counts in: by its own status until handed, then by its outbox row's. */
    private static int bucket(String target, String outbox) {
        switch (target) {
            case "QUEUED" :
                return 1;
            case "SKIPPED" :
                return 5;
            case "CANCELLED" :
                return 6;
            default :
                break;
        }
        if (outbox == null) {
            return 2;
        }
        switch (outbox) {
            case Outbox.SENT :
            case Outbox.SIMULATED :
                return 3;
            case Outbox.FAILED :
            case Outbox.EXPIRED :
                return 4;
            case Outbox.BLOCKED :
                return 5;
            default :
                return 2; // PENDING, SENDING, UNKNOWN: on its way
        }
    }

    /** Runs, newest first, optionally of one kind. */
    public List<Progress> list(String kind, int limit) {
        return jdbc
                .queryForList("SELECT id FROM outreach_run" + (kind == null ? "" : " WHERE kind = ?") + " ORDER BY id DESC LIMIT ?",
                        Long.class,
                        kind == null ? new Object[] {limit} : new Object[] {kind, limit})
                .stream().map(id -> progress(id).orElseThrow()).toList();
    }

    /** A deleted customer's place in a run keeps counting, under the erasure's alias. */
    @EventListener
    public void on(PersonErased erased) {
        jdbc.update("UPDATE outreach_target SET phone = ? WHERE phone = ?", erased.alias(), erased.phone());
    }

    private static Instant instant(Object value) {
        return Objects.requireNonNull(SqlValues.instant(value), "timestamp");
    }

    private static String cut(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200);
    }
}
