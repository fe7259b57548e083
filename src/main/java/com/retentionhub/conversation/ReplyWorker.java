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
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.MultiRowInsert;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Answers customers' texts, one conversation at a time and in arrival order: each conversation's
 * pending reply tasks are drained by one worker, so two quick texts never produce racing replies.
 * Exactly one reply per text (outbox key {@code reply:<MessageSid>}); no reply while the
 * conversation is stopped, paused (a human has it), done or escalated, or to an opted-out phone.
 * Tasks are rows written with the text's processing, so a crash loses none: the sweep re-offers them.
 *
 * <p>Replies come from the chat model when {@code OPENAI_API_KEY} is set and its answer validates,
 * otherwise from the per-state templates.
 */
@Component("replyWorker")
public class ReplyWorker {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyWorker.class);
    private static final Set<ConversationState> SILENT = EnumSet.of(ConversationState.STOP, ConversationState.PAUSE, ConversationState.DONE);
    private static final List<String> TASK_COLUMNS = List.of("inbound_event_id", "conversation_id", "phone", "sid", "body", "status",
            "created_at", "updated_at");

    private record Task(long id, long conversationId, String phone, String sid, long eventId, String body) {}

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
    private final Set<Long> draining = ConcurrentHashMap.newKeySet();

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
        this.pool = Executors.newFixedThreadPool(settings.replyConcurrency(), r -> {
            Thread t = new Thread(r, "reply-worker");
            t.setDaemon(true);
            return t;
        });
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
        List<Object[]> rows = new ArrayList<>();
        Set<Long> conversations = new java.util.HashSet<>();
        for (Planned p : texts) {
            InboundEvent e = p.event();
            if (withinRateLimit(e)) {
                rows.add(new Object[] {e.id(), p.conversationId(), e.phone(), e.sid(), e.body(), "PENDING", now, now});
                conversations.add(p.conversationId());
            } else {
                meters.counter("hub.replies.rate_limited").increment();
            }
        }
        MultiRowInsert.insertIgnoringConflicts(jdbc, "reply_task", TASK_COLUMNS, rows);
        AfterCommit.run(() -> conversations.forEach(this::offer));
    }

    private boolean withinRateLimit(InboundEvent e) {
        Integer texts = jdbc.queryForObject("SELECT count(*) FROM inbound_event WHERE phone = ? AND received_at > ? AND id <= ?", Integer.class,
                e.phone(), Timestamp.from(e.receivedAt().minus(Duration.ofHours(1))), e.id());
        return texts != null && texts <= settings.rateLimitPerHour();
    }

    /** Starts draining a conversation's tasks unless a worker already is. */
    public void offer(long conversationId) {
        if (draining.add(conversationId)) {
            pool.execute(() -> drain(conversationId));
        }
    }

    /** Re-offers conversations whose tasks have waited too long (after a crash or a full pool). */
    public void sweep() {
        jdbc.queryForList("SELECT DISTINCT conversation_id FROM reply_task WHERE status = 'PENDING' AND created_at < ?", Long.class,
                Timestamp.from(clock.instant().minusSeconds(30))).forEach(this::offer);
    }

    private void drain(long conversationId) {
        try {
            Task task;
            while ((task = next(conversationId)) != null) {
                answer(task);
            }
        } catch (RuntimeException e) {
            LOG.warn("replying in conversation {} failed; the sweep will retry: {}", conversationId, e.toString());
        } finally {
            draining.remove(conversationId);
        }
        // A task may have been planned between the last look and the remove above.
        if (next(conversationId) != null) {
            offer(conversationId);
        }
    }

    private Task next(long conversationId) {
        List<Task> tasks = jdbc.query("SELECT id, conversation_id, phone, sid, inbound_event_id, body FROM reply_task WHERE conversation_id = ?"
                + " AND status = 'PENDING' ORDER BY inbound_event_id LIMIT 1",
                (rs, i) -> new Task(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getString(6)), conversationId);
        return tasks.isEmpty() ? null : tasks.get(0);
    }

    /** The reply to send, where it came from, and a state move or escalation the model asked for. */
    private record Reply(String text, ConversationState nextState, String source, String escalation, boolean optOut, Scheduling.Plan booking) {
        Reply(String text, ConversationState nextState, String source, String escalation, boolean optOut) {
            this(text, nextState, source, escalation, optOut, null);
        }
    }

    private void answer(Task task) {
        Map<String, Object> before = jdbc.queryForMap("SELECT state, escalated_reason, staff_until FROM conversation WHERE id = ?",
                task.conversationId());
        ConversationState state = ConversationState.of((String) before.get("state"));
        String stateSkip = skipReason(state, before);
        // An opted-out phone is not worth a model call.
        String skip = stateSkip == null && consent.current(task.phone(), ConsentChange.SMS) == ConsentStatus.OPTED_OUT ? "opted out" : stateSkip;
        // The model is asked outside any transaction: it may take seconds, and no lock may wait for it.
        Reply reply = skip == null ? compose(task, state) : null;
        Long outboxId = tx.execute(s -> {
            if (settings.leadScoringEnabled()) {
                leadScoring.rescore(task.conversationId(), task.phone());
            }
            Map<String, Object> now = jdbc.queryForMap("SELECT state, escalated_reason, staff_until FROM conversation WHERE id = ? FOR UPDATE",
                    task.conversationId());
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
            long id = outbox.enqueue(Outbox.Message.sms("reply:" + task.sid(), task.phone(), text).withPurpose(Outbox.REPLY)
                    .notBefore(clock.instant().plusSeconds(settings.responseDelaySeconds()))).id();
            if (firstText(task)) {
                owner.newConversation(task.conversationId(), task.phone(), task.body(), text);
            }
            if (reply.nextState() != null && reply.nextState() != current && flow.allows(current, reply.nextState())) {
                conversations.moveState(task.conversationId(), current, reply.nextState(), "assistant", "reply to " + task.sid());
            }
            finish(task, "DONE", reply.source());
            return id;
        });
        meters.counter("hub.replies", "outcome", reply == null ? "skipped" : reply.source().replaceFirst(":.*", "")).increment();
        if (outboxId != null) {
            nudges.nudge(outboxId);
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
        Object staffUntil = conversation.get("staff_until");
        java.time.Instant until = staffUntil instanceof Timestamp t ? t.toInstant()
                : staffUntil instanceof java.time.OffsetDateTime o ? o.toInstant() : null;
        return until != null && until.isAfter(clock.instant()) ? "staff have the conversation" : null;
    }

    /**
     * Outside business hours (when required) one after-hours answer per closed period; a time named
     * or a proposed slot confirmed, a booking reply; past the AI turn cap, a hand-over to staff; else the model's answer when one is configured and it
     * validates; otherwise the state's template, counted as a fallback.
     */
    private Reply compose(Task task, ConversationState state) {
        if (settings.businessHoursOnly() && !hours.isOpen(clock.instant())) {
            return afterHours(task);
        }
        Optional<Scheduling.Plan> booking = scheduling.plan(task.conversationId(), task.body());
        if (booking.isPresent()) {
            return new Reply(booking.get().reply(), null, "scheduling", null, false, booking.get());
        }
        if (llmEnabled && aiTurns(task.conversationId()) >= settings.maxAiTurns()) {
            return new Reply(null, null, "ai-turn-cap", "ai-turn-cap", false);
        }
        if (!llmEnabled) {
            return new Reply(ReplyText.fit(templates.forState(state)), null, "template", null, false);
        }
        long asked = System.nanoTime();
        try {
            AiReplies.Answer answer = ai.ask(task.conversationId(), state);
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

    private int aiTurns(long conversationId) {
        Integer turns = jdbc.queryForObject("SELECT count(*) FROM reply_task WHERE conversation_id = ? AND outcome = 'ai'", Integer.class,
                conversationId);
        return turns == null ? 0 : turns;
    }

    private void finish(Task task, String status, String outcome) {
        jdbc.update("UPDATE reply_task SET status = ?, outcome = ?, updated_at = ? WHERE id = ?", status, outcome, Timestamp.from(clock.instant()),
                task.id());
    }

    @PreDestroy
    void stop() {
        pool.shutdown();
    }
}
