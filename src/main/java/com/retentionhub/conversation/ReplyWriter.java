package com.retentionhub.conversation;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Writes composed replies, inside the caller's transaction: each task's fate is decided again under
 * its conversation's lock ({@link ReplyRules#decide}), then the reply is queued in the outbox, the
 * task finished and the conversation followed up. Returns outbox ids for the caller to nudge.
 */
@Component
class ReplyWriter {

    /** A plain answer waiting to be written with others. */
    record Answered(ReplyTaskStore.ReplyTask task, Reply reply) {}

    private final ReplyTaskStore tasks;
    private final ConsentLedger consent;
    private final Outbox outbox;
    private final ConversationStore conversations;
    private final ConversationFlow flow;
    private final Escalation escalation;
    private final OwnerAlerts owner;
    private final BusinessProfile business;
    private final Scheduling scheduling;
    private final LeadScoring leadScoring;
    private final ContactStore contacts;
    private final Clock clock;
    private final HubProperties.Conversation settings;

    ReplyWriter(ReplyTaskStore tasks, ConsentLedger consent, Outbox outbox, ConversationStore conversations, ConversationFlow flow,
            Escalation escalation, OwnerAlerts owner, BusinessProfile business, Scheduling scheduling, LeadScoring leadScoring,
            ContactStore contacts, Clock clock, HubProperties properties) {
        this.tasks = tasks;
        this.consent = consent;
        this.outbox = outbox;
        this.conversations = conversations;
        this.flow = flow;
        this.escalation = escalation;
        this.owner = owner;
        this.business = business;
        this.scheduling = scheduling;
        this.leadScoring = leadScoring;
        this.contacts = contacts;
        this.clock = clock;
        this.settings = properties.conversation();
    }

    /**
     * Writes a batch of plain answers: the conversations are locked together, re-checked, and their
     * replies queued, tasks finished and leads scored in a few statements for the whole batch.
     * Returns each answer's outbox id, or null where the conversation changed hands while the model
     * was asked.
     */
    List<Long> writeTogether(List<Answered> batch) {
        if (settings.leadScoringEnabled()) {
            leadScoring.rescore(batch.stream().map(a -> new LeadScoring.Scored(a.task().conversationId(), a.task().phone())).toList());
        }
        Map<Long, ReplyTaskStore.Standing> locked = tasks.lockConversations(batch.stream().map(a -> a.task().conversationId()).toList());
        List<Answered> sending = new ArrayList<>();
        List<ReplyTaskStore.Finished> finished = new ArrayList<>();
        for (Answered a : batch) {
            ReplyRules.Decision decision = ReplyRules.decide(null, locked.get(a.task().conversationId()), clock.instant(), a.reply());
            if (decision.fate() == ReplyRules.Fate.SKIP) {
                finished.add(finished(a.task(), ReplyTaskStatus.SKIPPED, decision.reason()));
            } else {
                sending.add(a);
            }
        }
        List<Outbox.Enqueued> queued = outbox.enqueueAll(sending.stream().map(a -> replyMessage(a.task(), a.reply().text())).toList());
        Map<Long, Long> outboxIds = new HashMap<>();
        for (int i = 0; i < sending.size(); i++) {
            Answered a = sending.get(i);
            followUp(a.task(), a.reply().text(), locked.get(a.task().conversationId()).state(), a.reply().nextState());
            finished.add(finished(a.task(), ReplyTaskStatus.DONE, a.reply().source()));
            outboxIds.put(a.task().id(), queued.get(i).id());
        }
        tasks.finish(finished);
        return batch.stream().map(a -> outboxIds.get(a.task().id())).toList();
    }

    /**
     * Everything but a plain answer, alone: skips, opt-outs, escalations and bookings. {@code skip}:
     * the reason found before asking, with no reply composed. Returns the outbox id of a text queued,
     * or null.
     */
    Long writeAlone(ReplyTaskStore.ReplyTask task, String skip, Reply reply) {
        if (settings.leadScoringEnabled()) {
            leadScoring.rescore(task.conversationId(), task.phone());
        }
        ReplyTaskStore.Standing now = tasks.lockConversations(List.of(task.conversationId())).get(task.conversationId());
        ConversationState current = now.state();
        ReplyRules.Decision decision = ReplyRules.decide(skip, now, clock.instant(), reply);
        return switch (decision.fate()) {
            case SKIP -> {
                finish(task, ReplyTaskStatus.SKIPPED, decision.reason());
                yield null;
            }
            case OPT_OUT -> optOut(task, current);
            case HAND_OVER -> {
                escalation.escalate(task.conversationId(), task.eventId(), task.phone(), task.body(), reply.escalation(), false);
                finish(task, ReplyTaskStatus.DONE, "handed to staff: " + reply.escalation());
                yield null;
            }
            case SCHEDULE, SEND -> {
                String text = decision.fate() == ReplyRules.Fate.SCHEDULE
                        ? scheduling.apply(reply.booking(), task.conversationId(), task.phone(),
                                contacts.find(task.phone()).map(ContactStore.Contact::email).orElse(null))
                        : reply.text();
                long id = outbox.enqueue(replyMessage(task, text)).id();
                followUp(task, text, current, reply.nextState());
                finish(task, ReplyTaskStatus.DONE, reply.source());
                yield id;
            }
        };
    }

    /** Same effect as STOP: recorded in the ledger, the conversation stopped, and the one confirmation queued. */
    private long optOut(ReplyTaskStore.ReplyTask task, ConversationState current) {
        consent.record(new ConsentChange(task.phone(), Channel.SMS.code(), ConsentChange.Action.OPT_OUT, ConsentChange.Source.MESSAGE,
                task.body(), "model", clock.instant()));
        if (current != ConversationState.STOP) {
            conversations.moveState(task.conversationId(), current, ConversationState.STOP, "customer", "opt-out (model): " + task.body());
        }
        long id = outbox
                .enqueue("opt-out-confirmation:" + task.sid(), task.phone(), business.optOutConfirmation(), Outbox.OPT_OUT_CONFIRMATION)
                .id();
        finish(task, ReplyTaskStatus.DONE, "opt-out by the model");
        return id;
    }

    private Outbox.Message replyMessage(ReplyTaskStore.ReplyTask task, String text) {
        return Outbox.Message.sms("reply:" + task.sid(), task.phone(), text).withPurpose(Outbox.REPLY)
                .notBefore(clock.instant().plusSeconds(settings.responseDelaySeconds()));
    }

    /** After a reply is queued: the owner hears of a first text, and the state follows the model where the machine allows. */
    private void followUp(ReplyTaskStore.ReplyTask task, String text, ConversationState current, ConversationState next) {
        if (owner.enabled() && !tasks.hasEarlierTask(task)) {
            owner.newConversation(task.conversationId(), task.phone(), task.body(), text);
        }
        if (next != null && next != current && flow.allows(current, next)) {
            conversations.moveState(task.conversationId(), current, next, "assistant", "reply to " + task.sid());
        }
    }

    private void finish(ReplyTaskStore.ReplyTask task, ReplyTaskStatus status, String outcome) {
        tasks.finish(List.of(finished(task, status, outcome)));
    }

    private ReplyTaskStore.Finished finished(ReplyTaskStore.ReplyTask task, ReplyTaskStatus status, String outcome) {
        return new ReplyTaskStore.Finished(task.id(), status, outcome, clock.instant());
    }
}
