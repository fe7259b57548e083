package com.retentionhub.conversation;

import com.retentionhub.dispatch.DispatchNudges;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.ingress.InboundEvent;
import com.retentionhub.lead.ContactStore;
import com.retentionhub.platform.AfterCommit;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.GroupCommitter;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers customers' texts, one conversation at a time and in arrival order: a conversation is held
 * from its offer until its pending reply tasks are answered, by one worker at a time, so two quick
 * texts never produce racing replies.
 * Exactly one reply per text (outbox key {@code reply:<MessageSid>}); no reply while the
 * conversation is stopped, paused (a human has it), done or escalated, or to an opted-out phone.
 * Tasks are rows written with the text's processing, so a crash loses none: the sweep re-offers them.
 *
 * <p>Replies come from the chat model when {@code OPENAI_API_KEY} is set and its answer validates,
 * otherwise from the per-state templates.
 *
 * <p>Per turn the database sees few statements. A reader thread takes offered conversations in
 * batches and reads their tasks with what the replies depend on in one query, and the prompts'
 * recent messages in another; workers ask the model; plain answers (a text, perhaps a state move)
 * from all workers are written together by a group committer, one transaction per batch, as ingest
 * does. Opt-outs, escalations, bookings and skips each take a transaction of their own.
 */
@Component("replyWorker")
public class ReplyWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyWorker.class);
    private static final Set<ConversationState> SILENT = EnumSet.of(ConversationState.STOP, ConversationState.PAUSE, ConversationState.DONE);
    private static final List<String> TASK_COLUMNS = List.of("inbound_event_id", "conversation_id", "phone", "sid", "body", "status",
            "created_at", "updated_at");

    private record Task(long id, long conversationId, String phone, String sid, long eventId, String body) {}

    /** Tasks read per conversation and read: a burst of texts from one phone costs one read, not one each. */
    private static final int TASKS_PER_READ = 16;
    /** Conversations read together: their tasks and recent messages come in two queries, not two each. */
    private static final int CONVERSATIONS_PER_READ = 64;

    /** A text to answer and its conversation. */
    public record Planned(long conversationId, InboundEvent event) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ConsentLedger consent;
    private final Outbox outbox;
    private final ReplyTemplates templates;
    private final AiReplies ai;
    private final boolean llmEnabled;
    private final ConversationStore conversations;
    private final ConversationFlow flow;
    private final Escalation escalation;
    private final OwnerAlerts owner;
    private final BusinessProfile business;
    private final BusinessHours hours;
    private final Scheduling scheduling;
    private final LeadScoring leadScoring;
    private final ContactStore contacts;
    private final DispatchNudges nudges;
    private final Clock clock;
    private final MeterRegistry meters;
    private final HubProperties.Conversation settings;
    private final ExecutorService pool;
    /** Workers free to take a conversation: the reader reads no further ahead than they can answer, so what it read stays fresh. */
    private final Semaphore idleWorkers;
    /**
     * Conversations offered or being answered, each with a count of the offers made for it: a
     * conversation is let go only if no offer came in since its tasks were last read (see {@link #drain}).
     */
    private final ConcurrentHashMap<Long, Long> offers = new ConcurrentHashMap<>();
    /** Conversations whose tasks are to be read, taken in batches by the reader thread. */
    private final BlockingQueue<Long> toRead = new LinkedBlockingQueue<>();
    private final Thread reader;
    /** Plain answers from all workers, written together: one transaction and a few statements per batch, not per answer. */
    private final GroupCommitter<Answered, Long> commits;

    public ReplyWorker(JdbcTemplate jdbc, TransactionTemplate tx, ConsentLedger consent, Outbox outbox, ReplyTemplates templates, AiReplies ai,
            ConversationStore conversations, ConversationFlow flow, Escalation escalation, OwnerAlerts owner, BusinessProfile business, Scheduling scheduling,
            LeadScoring leadScoring, ContactStore contacts, DispatchNudges nudges, Clock clock, MeterRegistry meters, HubProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.consent = consent;
        this.outbox = outbox;
        this.templates = templates;
        this.ai = ai;
        this.llmEnabled = properties.llm().enabled();
        this.conversations = conversations;
        this.flow = flow;
        this.escalation = escalation;
        this.owner = owner;
        this.business = business;
        this.hours = new BusinessHours(business);
        this.scheduling = scheduling;
        this.leadScoring = leadScoring;
        this.contacts = contacts;
        this.nudges = nudges;
        this.clock = clock;
        this.meters = meters;
        this.settings = properties.conversation();
        this.commits = new GroupCommitter<>("reply-commit", 1, 256, Math.max(256, settings.replyConcurrency()), batch -> tx.execute(s -> commit(batch)));
        this.pool = Executors.newFixedThreadPool(settings.replyConcurrency(), r -> {
            Thread t = new Thread(r, "reply-worker");
            t.setDaemon(true);
            return t;
        });
        this.idleWorkers = new Semaphore(settings.replyConcurrency());
        this.reader = new Thread(this::readLoop, "reply-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Called inside the processing transaction: a reply task for each text that deserves an answer,
     * unless the bot is off or the phone is past its hourly limit (the text stays stored,
     * unanswered). The conversations are offered to the workers once the transaction commits.
     */
    public void plan(List<Planned> texts) {
        if (!settings.botEnabled() || texts.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        Set<Long> pastLimit = pastRateLimit(texts.stream().map(Planned::event).toList());
        List<Object[]> rows = new ArrayList<>();
        Set<Long> conversations = new java.util.HashSet<>();
        for (Planned p : texts) {
            InboundEvent e = p.event();
            if (pastLimit.contains(e.id())) {
                meters.counter("hub.replies.rate_limited").increment();
            } else {
                rows.add(new Object[] {e.id(), p.conversationId(), e.phone(), e.sid(), e.body(), "PENDING", now, now});
                conversations.add(p.conversationId());
            }
        }
        MultiRowInsert.insertIgnoringConflicts(jdbc, "reply_task", TASK_COLUMNS, rows);
        AfterCommit.run(() -> conversations.forEach(this::offer));
    }

    /** A phone's texts in the hour before one of its texts, that text included, as read for the rate limit. */
    private record Received(String phone, long id, Instant at) {}

    /**
     * The texts past their phone's hourly limit: counting each text and the phone's texts in the hour
     * before it, from one read of the batch's phones instead of a count per text.
     */
    private Set<Long> pastRateLimit(List<InboundEvent> events) {
        Duration window = Duration.ofHours(1);
        List<String> phones = events.stream().map(InboundEvent::phone).distinct().toList();
        Instant since = events.stream().map(InboundEvent::receivedAt).min(Instant::compareTo).orElseThrow().minus(window);
        long lastId = events.stream().mapToLong(InboundEvent::id).max().orElseThrow();
        List<Object> args = new ArrayList<>(phones);
        args.add(Timestamp.from(since));
        args.add(lastId);
        Map<String, List<Received>> byPhone = jdbc.query("SELECT phone, id, received_at FROM inbound_event WHERE phone IN ("
                + MultiRowInsert.placeholders(phones.size()) + ") AND received_at > ? AND id <= ?",
                (rs, i) -> new Received(rs.getString(1), rs.getLong(2), SqlValues.instant(rs, 3)), args.toArray())
                .stream().collect(java.util.stream.Collectors.groupingBy(Received::phone));
        Set<Long> past = new java.util.HashSet<>();
        for (InboundEvent e : events) {
            // As stored: the database keeps microseconds.
            Instant from = e.receivedAt().minus(window).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            long texts = byPhone.getOrDefault(e.phone(), List.of()).stream().filter(r -> r.id() <= e.id() && r.at().isAfter(from)).count();
            if (texts > settings.rateLimitPerHour()) {
                past.add(e.id());
            }
        }
        return past;
    }

    /** Queues the conversation for a read of its tasks, unless it is already queued or being answered. */
    public void offer(long conversationId) {
        if (offers.merge(conversationId, 1L, Long::sum) == 1L) {
            toRead.add(conversationId);
        }
    }

    /** Re-offers conversations whose tasks have waited too long (after a crash or a full pool). */
    public void sweep() {
        jdbc.queryForList("SELECT DISTINCT conversation_id FROM reply_task WHERE status = 'PENDING' AND created_at < ?", Long.class,
                Timestamp.from(clock.instant().minusSeconds(30))).forEach(this::offer);
    }

    /**
     * Takes queued conversations in batches, as many as there are idle workers, and reads their
     * pending tasks, what each first reply depends on and the prompts' recent messages in two
     * queries per batch; then hands each conversation to a worker.
     */
    private void readLoop() {
        List<Long> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                idleWorkers.acquire();
                batch.add(toRead.take());
            } catch (InterruptedException e) {
                return;
            }
            // Only this thread takes permits, so the ones it sees stay available.
            toRead.drainTo(batch, Math.min(CONVERSATIONS_PER_READ - 1, idleWorkers.availablePermits()));
            idleWorkers.acquireUninterruptibly(batch.size() - 1);
            try {
                read(batch);
            } catch (RuntimeException e) {
                // Only a pool shutting down gets here; the reader itself must outlive any one batch.
                LOG.warn("handing out {} conversations failed: {}", batch.size(), e.toString());
            }
            batch.clear();
        }
    }

    private void read(List<Long> conversationIds) {
        Map<Long, Long> seen = new java.util.HashMap<>();
        conversationIds.forEach(id -> seen.put(id, offers.get(id)));
        Map<Long, List<Map<String, Object>>> tasks;
        Map<Long, List<ConversationStore.Message>> recent;
        try {
            tasks = pending(conversationIds);
            recent = llmEnabled ? ai.recentMessages(tasks.keySet()) : Map.of();
        } catch (RuntimeException e) {
            conversationIds.forEach(offers::remove);
            idleWorkers.release(conversationIds.size());
            LOG.warn("reading the reply tasks of {} conversations failed; the sweep will retry: {}", conversationIds.size(), e.toString());
            return;
        }
        for (long id : conversationIds) {
            List<Map<String, Object>> rows = tasks.getOrDefault(id, List.of());
            if (rows.isEmpty()) {
                idleWorkers.release();
                settle(id, seen.get(id), false);
            } else {
                pool.execute(() -> drain(id, seen.get(id), rows, recent.getOrDefault(id, List.of())));
            }
        }
    }

    /**
     * Answers a conversation's tasks, as read, in arrival order; then lets the conversation go or
     * queues it for another read (see {@link #settle}).
     */
    private void drain(long conversationId, Long seen, List<Map<String, Object>> rows, List<ConversationStore.Message> recent) {
        try {
            for (int i = 0; i < rows.size(); i++) {
                Task task = task(rows.get(i));
                // The read brought what the first task's reply depends on; a later one's may have been changed by the answers before it.
                if (i == 0) {
                    answer(task, before(task, rows.get(i)), recent);
                } else {
                    answer(task, before(task), null);
                }
            }
            settle(conversationId, seen, rows.size() == TASKS_PER_READ);
        } catch (RuntimeException e) {
            offers.remove(conversationId);
            LOG.warn("replying in conversation {} failed; the sweep will retry: {}", conversationId, e.toString());
        } finally {
            idleWorkers.release();
        }
    }

    /**
     * Lets the conversation go when its last read found the last of its tasks and no offer has come
     * in since that read; otherwise queues it for another read. A task committed after the read is
     * always followed by an offer, which either finds the conversation still held (the removal fails
     * and it is read again) or queues it anew.
     */
    private void settle(long conversationId, Long seen, boolean maybeMore) {
        if (maybeMore || !offers.remove(conversationId, seen)) {
            toRead.add(conversationId);
        }
    }

    /** What a reply depends on, from a task row {@code t} joined to its conversation {@code c}. */
    private static final String BEFORE_COLUMNS = "c.state, c.escalated_reason, c.staff_until, c.proposed_slot,"
            + " (SELECT status FROM consent_state WHERE phone = t.phone AND channel = '" + ConsentChange.SMS + "') AS consent,"
            + " (SELECT count(*) FROM reply_task a WHERE a.conversation_id = c.id AND a.outcome = 'ai') AS ai_turns";

    /** The first {@link #TASKS_PER_READ} pending tasks of each conversation, in arrival order, with what their replies depend on. */
    private Map<Long, List<Map<String, Object>>> pending(List<Long> conversationIds) {
        Map<Long, List<Map<String, Object>>> byConversation = new java.util.HashMap<>();
        jdbc.queryForList("SELECT * FROM (SELECT t.id, t.conversation_id, t.phone, t.sid, t.inbound_event_id, t.body, " + BEFORE_COLUMNS + ","
                + " row_number() OVER (PARTITION BY t.conversation_id ORDER BY t.inbound_event_id) AS place"
                + " FROM reply_task t JOIN conversation c ON c.id = t.conversation_id"
                + " WHERE t.conversation_id IN (" + MultiRowInsert.placeholders(conversationIds.size()) + ") AND t.status = 'PENDING') p"
                + " WHERE place <= " + TASKS_PER_READ + " ORDER BY conversation_id, inbound_event_id", conversationIds.toArray())
                .forEach(row -> byConversation.computeIfAbsent(SqlValues.toLong(row.get("conversation_id")), id -> new ArrayList<>()).add(row));
        return byConversation;
    }

    private static Task task(Map<String, Object> row) {
        return new Task(SqlValues.toLong(row.get("id")), SqlValues.toLong(row.get("conversation_id")), (String) row.get("phone"),
                (String) row.get("sid"), SqlValues.toLong(row.get("inbound_event_id")), (String) row.get("body"));
    }

    /** The reply to send, where it came from, and a state move or escalation the model asked for. */
    private record Reply(String text, ConversationState nextState, String source, String escalation, boolean optOut, Scheduling.Plan booking) {
        Reply(String text, ConversationState nextState, String source, String escalation, boolean optOut) {
            this(text, nextState, source, escalation, optOut, null);
        }

        /** A text to send and nothing more: no opt-out, escalation or booking to apply first. */
        boolean plain() {
            return text != null && escalation == null && !optOut && booking == null;
        }
    }

    /** What a reply is decided from, read in one query before the model is asked. */
    private record Before(ConversationState state, String skip, Instant proposedSlot, int aiTurns) {}

    private Before before(Task task) {
        return before(task, jdbc.queryForMap("SELECT " + BEFORE_COLUMNS + " FROM reply_task t JOIN conversation c ON c.id = t.conversation_id"
                + " WHERE t.id = ?", task.id()));
    }

    private Before before(Task task, Map<String, Object> row) {
        ConversationState state = ConversationState.of((String) row.get("state"));
        String skip = skipReason(state, row);
        // An opted-out phone is not worth a model call.
        if (skip == null && consent.resolve(task.phone(), ConsentChange.SMS, (String) row.get("consent")) == ConsentStatus.OPTED_OUT) {
            skip = "opted out";
        }
        return new Before(state, skip, SqlValues.instant(row.get("proposed_slot")), SqlValues.toInt(row.get("ai_turns")));
    }

    /** {@code recent}: the prompt's recent messages if already read, or null to read them when asking. */
    private void answer(Task task, Before before, List<ConversationStore.Message> recent) {
        // The model is asked outside any transaction: it may take seconds, and no lock may wait for it.
        Reply reply = before.skip() == null ? compose(task, before, recent) : null;
        Long outboxId = reply != null && reply.plain() ? commits.submit(new Answered(task, reply)).join()
                : tx.execute(s -> applyAlone(task, before.skip(), reply));
        meters.counter("hub.replies", "outcome", reply == null ? "skipped" : reply.source().replaceFirst(":.*", "")).increment();
        if (outboxId != null) {
            nudges.nudge(outboxId);
        }
    }

    /** A plain answer waiting to be written with others. */
    private record Answered(Task task, Reply reply) {}

    /**
     * Writes a batch of plain answers in one transaction: the conversations are locked together (in
     * id order, so two batches cannot deadlock), re-checked, and their replies queued, tasks finished
     * and leads scored in a few statements for the whole batch. Returns each answer's outbox id, or
     * null where the conversation changed hands while the model was asked.
     */
    private List<Long> commit(List<Answered> batch) {
        if (settings.leadScoringEnabled()) {
            leadScoring.rescore(batch.stream().map(a -> new LeadScoring.Scored(a.task().conversationId(), a.task().phone())).toList());
        }
        Map<Long, Map<String, Object>> locked = lock(batch.stream().map(a -> a.task().conversationId()).toList());
        List<Answered> sending = new ArrayList<>();
        List<Object[]> finished = new ArrayList<>();
        for (Answered a : batch) {
            Map<String, Object> conversation = locked.get(a.task().conversationId());
            String lateSkip = skipReason(ConversationState.of((String) conversation.get("state")), conversation);
            if (lateSkip != null) {
                finished.add(finished(a.task(), "SKIPPED", lateSkip));
            } else {
                sending.add(a);
            }
        }
        List<Outbox.Enqueued> queued = outbox.enqueueAll(sending.stream().map(a -> replyMessage(a.task(), a.reply().text())).toList());
        Map<Long, Long> outboxIds = new java.util.HashMap<>();
        for (int i = 0; i < sending.size(); i++) {
            Answered a = sending.get(i);
            ConversationState current = ConversationState.of((String) locked.get(a.task().conversationId()).get("state"));
            followUp(a.task(), a.reply().text(), current, a.reply().nextState());
            finished.add(finished(a.task(), "DONE", a.reply().source()));
            outboxIds.put(a.task().id(), queued.get(i).id());
        }
        finish(finished);
        return batch.stream().map(a -> outboxIds.get(a.task().id())).toList();
    }

    /** Everything but a plain answer, in a transaction of its own: skips, opt-outs, escalations and bookings. */
    private Long applyAlone(Task task, String skip, Reply reply) {
        if (settings.leadScoringEnabled()) {
            leadScoring.rescore(task.conversationId(), task.phone());
        }
        Map<String, Object> now = lock(List.of(task.conversationId())).get(task.conversationId());
        ConversationState current = ConversationState.of((String) now.get("state"));
        // Consent is checked again at the last hop, under its lock, by dispatch; here only what the reply depends on.
        String lateSkip = skip != null ? skip : skipReason(current, now);
        if (lateSkip != null) {
            finish(task, "SKIPPED", lateSkip);
            return null;
        }
        if (reply.text() == null && reply.escalation() == null) {
            finish(task, "SKIPPED", reply.source()); // after hours, already answered once in this closed period
            return null;
        }
        if (reply.optOut()) {
            // The model read a revocation the phrase layer missed: same effect as STOP.
            consent.record(new ConsentChange(task.phone(), ConsentChange.SMS, ConsentChange.Action.OPT_OUT, ConsentChange.Source.MESSAGE,
                    task.body(), "model", clock.instant()));
            if (current != ConversationState.STOP) {
                conversations.moveState(task.conversationId(), current, ConversationState.STOP, "customer", "opt-out (model): " + task.body());
            }
            long id = outbox.enqueue("opt-out-confirmation:" + task.sid(), task.phone(), business.optOutConfirmation(),
                    Outbox.OPT_OUT_CONFIRMATION).id();
            finish(task, "DONE", "opt-out by the model");
            return id;
        }
        if (reply.escalation() != null) {
            escalation.escalate(task.conversationId(), task.eventId(), task.phone(), task.body(), reply.escalation(), false);
            finish(task, "DONE", "handed to staff: " + reply.escalation());
            return null;
        }
        String text = reply.booking() == null ? reply.text()
                : scheduling.apply(reply.booking(), task.conversationId(), task.phone(), contacts.find(task.phone()).map(ContactStore.Contact::email).orElse(null));
        long id = outbox.enqueue(replyMessage(task, text)).id();
        followUp(task, text, current, reply.nextState());
        finish(task, "DONE", reply.source());
        return id;
    }

    /** The conversations' rows, locked for the rest of the transaction. */
    private Map<Long, Map<String, Object>> lock(List<Long> conversationIds) {
        List<Object> ids = conversationIds.stream().distinct().sorted().<Object>map(id -> id).toList();
        Map<Long, Map<String, Object>> rows = new java.util.HashMap<>();
        jdbc.queryForList("SELECT id, state, escalated_reason, staff_until FROM conversation WHERE id IN (" + MultiRowInsert.placeholders(ids.size())
                + ") ORDER BY id FOR UPDATE", ids.toArray()).forEach(row -> rows.put(SqlValues.toLong(row.get("id")), row));
        return rows;
    }

    private Outbox.Message replyMessage(Task task, String text) {
        return Outbox.Message.sms("reply:" + task.sid(), task.phone(), text).withPurpose(Outbox.REPLY)
                .notBefore(clock.instant().plusSeconds(settings.responseDelaySeconds()));
    }

    /** After a reply is queued: the owner hears of a first text, and the state follows the model where the machine allows. */
    private void followUp(Task task, String text, ConversationState current, ConversationState next) {
        if (firstText(task)) {
            owner.newConversation(task.conversationId(), task.phone(), task.body(), text);
        }
        if (next != null && next != current && flow.allows(current, next)) {
            conversations.moveState(task.conversationId(), current, next, "assistant", "reply to " + task.sid());
        }
    }

    /** Why the conversation gets no reply now: a silent state, an escalation, or staff having taken it over. */
    private String skipReason(ConversationState state, Map<String, Object> conversation) {
        if (SILENT.contains(state)) {
            return "no reply in " + state.value();
        }
        if (conversation.get("escalated_reason") != null) {
            return "escalated to staff";
        }
        Instant until = SqlValues.instant(conversation.get("staff_until"));
        return until != null && until.isAfter(clock.instant()) ? "staff have the conversation" : null;
    }

    /**
     * Outside business hours (when required) one after-hours answer per closed period; a time named
     * or a proposed slot confirmed, a booking reply; past the AI turn cap, a hand-over to staff; else the model's answer when one is configured and it
     * validates; otherwise the state's template, counted as a fallback.
     */
    private Reply compose(Task task, Before before, List<ConversationStore.Message> recent) {
        if (settings.businessHoursOnly() && !hours.isOpen(clock.instant())) {
            return afterHours(task);
        }
        Optional<Scheduling.Plan> booking = scheduling.plan(before.proposedSlot(), task.body());
        if (booking.isPresent()) {
            return new Reply(booking.get().reply(), null, "scheduling", null, false, booking.get());
        }
        ConversationState state = before.state();
        if (llmEnabled && before.aiTurns() >= settings.maxAiTurns()) {
            return new Reply(null, null, "ai-turn-cap", "ai-turn-cap", false);
        }
        if (!llmEnabled) {
            return new Reply(ReplyText.fit(templates.forState(state)), null, "template", null, false);
        }
        long asked = System.nanoTime();
        try {
            AiReplies.Answer answer = recent != null ? ai.ask(state, recent) : ai.ask(task.conversationId(), state);
            modelLatency("ok", asked);
            return new Reply(answer.reply(), answer.nextState(), "ai", answer.escalationReason(), answer.optOut());
        } catch (AiReplies.InvalidAnswer e) {
            modelLatency(e.reason(), asked);
            meters.counter("hub.replies.fallback", "reason", e.reason()).increment();
            LOG.info("model answer for {} not used ({}); replying from the template", task.sid(), e.getMessage());
            return new Reply(ReplyText.fit(templates.forState(state)), null, "fallback:" + e.reason(), null, false);
        }
    }

    /** How long the model took, by outcome ("ok" or the fallback's reason): a timeout shows as its own tail. */
    private void modelLatency(String outcome, long askedNanos) {
        meters.timer("hub.model.latency", "outcome", outcome).record(System.nanoTime() - askedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Reply afterHours(Task task) {
        java.time.Instant closedSince = hours.closedSince(clock.instant()).orElse(clock.instant());
        Integer already = jdbc.queryForObject("SELECT count(*) FROM reply_task WHERE conversation_id = ? AND outcome = 'after-hours'"
                + " AND updated_at >= ?", Integer.class, task.conversationId(), Timestamp.from(closedSince));
        if (already != null && already > 0) {
            return new Reply(null, null, "after-hours-quiet", null, false);
        }
        String opening = hours.nextOpening(clock.instant())
                .map(t -> t.format(java.time.format.DateTimeFormatter.ofPattern("EEE h:mm a", java.util.Locale.US)))
                .orElse("next");
        return new Reply(ReplyText.fit(business.afterHoursReply().replace("{opening}", opening)), null, "after-hours", null, false);
    }

    /** The customer's first text in this conversation: the owner hears of it (an escalating first text alerts as an escalation). */
    private boolean firstText(Task task) {
        return owner.enabled() && Boolean.FALSE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM reply_task WHERE conversation_id = ? AND id < ?)", Boolean.class, task.conversationId(), task.id()));
    }

    private void finish(Task task, String status, String outcome) {
        finish(List.<Object[]>of(finished(task, status, outcome)));
    }

    private Object[] finished(Task task, String status, String outcome) {
        return new Object[] {status, outcome, Timestamp.from(clock.instant()), task.id()};
    }

    /** Marks tasks done or skipped, in one batched round trip. */
    private void finish(List<Object[]> finished) {
        if (!finished.isEmpty()) {
            jdbc.batchUpdate("UPDATE reply_task SET status = ?, outcome = ?, updated_at = ? WHERE id = ?", finished);
        }
    }

    @PreDestroy
    void stop() {
        reader.interrupt();
        pool.shutdown();
        commits.close();
    }
}
