package com.retentionhub.conversation;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff moving a conversation by hand, along the declared machine only, audited. A staff STOP is a
 * real opt-out: it is recorded in the consent ledger and the customer gets the same single
 * confirmation a customer STOP gets, so the log and the phone agree. Leaving stop needs renewed
 * consent recorded with who confirmed it, not a state change.
 */
@Component
public class StaffStateChanges {

    /** Why a change was refused; the staff API turns it into a 409. */
    public static class RefusedException extends RuntimeException {
        public RefusedException(String reason) {
            super(reason);
        }
    }

    private final ConversationStore conversations;
    private final ConversationFlow flow;
    private final ConsentLedger consent;
    private final Outbox outbox;
    private final BusinessProfile business;
    private final Clock clock;

    public StaffStateChanges(ConversationStore conversations, ConversationFlow flow, ConsentLedger consent, Outbox outbox,
            BusinessProfile business, Clock clock) {
        this.conversations = conversations;
        this.flow = flow;
        this.consent = consent;
        this.outbox = outbox;
        this.business = business;
        this.clock = clock;
    }

    /** Returns the outbox id of the opt-out confirmation when the change was a STOP. */
    @Transactional
    public Optional<Long> change(ConversationStore.Conversation conversation, ConversationState to, String actor, String reason) {
        ConversationState from = ConversationState.of(conversation.state());
        if (from == to) {
            throw new RefusedException("conversation is already in " + to.value());
        }
        if (from == ConversationState.STOP) {
            throw new RefusedException("the customer opted out; record renewed consent with POST /api/consent/" + conversation.phone());
        }
        if (!flow.allows(from, to)) {
            throw new RefusedException("transition " + from.value() + " -> " + to.value() + " is not allowed; allowed from " + from.value()
                    + ": " + flow.allowedFrom(from).stream().map(ConversationState::value).toList());
        }
        if (!conversations.moveState(conversation.id(), from, to, actor, reason)) {
            throw new RefusedException("the conversation changed meanwhile; reload and try again");
        }
        if (to != ConversationState.STOP) {
            return Optional.empty();
        }
        consent.record(new ConsentChange(conversation.phone(), Channel.SMS.code(), ConsentChange.Action.OPT_OUT, ConsentChange.Source.STAFF,
                reason == null ? "staff set the conversation to stop" : reason, actor, clock.instant()));
        return Optional.of(outbox.enqueue("staff-stop:" + conversation.id() + ":" + UUID.randomUUID(), conversation.phone(),
                business.optOutConfirmation(), Outbox.OPT_OUT_CONFIRMATION).id());
    }

    /** After staff recorded renewed consent: a stopped conversation starts again, audited. */
    @Transactional
    public void restartAfterConsent(String phone, String actor) {
        conversations.byPhone(phone)
                .filter(c -> ConversationState.STOP.value().equals(c.state()))
                .ifPresent(c -> conversations.moveState(c.id(), ConversationState.STOP, flow.initial(), actor,
                        "renewed consent recorded by staff"));
    }
}
