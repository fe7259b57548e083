package com.retentionhub.conversation;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** What becomes of a reply task: skipped, or answered by an opt-out, a hand-over, a scheduling reply or a text. */
final class ReplyRules {

    private static final Set<ConversationState> SILENT = EnumSet.of(ConversationState.STOP, ConversationState.PAUSE,
            ConversationState.DONE);

    /** How a task ends once its reply is known. */
    enum Fate {
        /** No reply: the task is finished as skipped, with the reason. */
        SKIP,
        /** The model read a revocation the phrase layer missed: recorded as an opt-out and confirmed. */
        OPT_OUT,
        /** The reply asks for staff: the conversation is escalated. */
        HAND_OVER,
        /** A time was named, agreed or cancelled: the scheduling plan is applied and its own reply sent. */
        SCHEDULE,
        /** The reply text is sent. */
        SEND
    }

    /** A fate, with the reason for a skip. */
    record Decision(Fate fate, String reason) {}

    private ReplyRules() {}

    /** Why the conversation gets no reply now: a silent state, an escalation, or staff having taken it over; null if none. */
    static String skipReason(ReplyTaskStore.Standing conversation, Instant now) {
        if (SILENT.contains(conversation.state())) {
            return "no reply in " + conversation.state().value();
        }
        if (conversation.escalatedReason() != null) {
            return "escalated to staff";
        }
        Instant until = conversation.staffUntil();
        return until != null && until.isAfter(now) ? "staff have the conversation" : null;
    }

    /**
     * Why no reply is worth composing, before the model is asked; null if one is. {@code optedOut} is
     * asked only when the conversation itself allows a reply.
     */
    static String skipBeforeAsking(ReplyTaskStore.Standing conversation, Instant now, BooleanSupplier optedOut) {
        String skip = skipReason(conversation, now);
        if (skip == null && optedOut.getAsBoolean()) {
            return "opted out";
        }
        return skip;
    }

    /**
     * The task's fate, decided again under the conversation's lock once the reply is known:
     * {@code skip} is the reason found before asking (the reply is then null), else the conversation
     * may have changed hands while the model was asked. Consent is checked again at the last hop,
     * under its own lock, by dispatch.
     */
    static Decision decide(String skip, ReplyTaskStore.Standing now, Instant at, Reply reply) {
        String lateSkip = skip != null ? skip : skipReason(now, at);
        if (lateSkip != null) {
            return new Decision(Fate.SKIP, lateSkip);
        }
        if (reply.text() == null && reply.escalation() == null) {
            // After hours, already answered once in this closed period.
            return new Decision(Fate.SKIP, reply.source());
        }
        if (reply.optOut()) {
            return new Decision(Fate.OPT_OUT, null);
        }
        if (reply.escalation() != null) {
            return new Decision(Fate.HAND_OVER, null);
        }
        return new Decision(reply.booking() != null ? Fate.SCHEDULE : Fate.SEND, null);
    }
}
