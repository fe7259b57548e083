package com.retentionhub.conversation;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.Keyword;
import com.retentionhub.consent.MessageLayers;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.lead.WarmLeads;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.GroupCommitter;
import com.retentionhub.platform.Texts;
import com.retentionhub.semantic.LayeredDecision;
import com.retentionhub.semantic.SemanticDecisions;
import com.retentionhub.semantic.SemanticLabel;
import com.retentionhub.semantic.SemanticLayer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies stored inbound texts after the webhook has answered: contact, conversation, message log,
 * the conversation state a STOP or re-consent implies, and escalation to staff.
 *
 * <p>Texts no keyword decided at the webhook are also read by meaning ({@link SemanticLayer}) before
 * any reply is planned: a revocation in any wording opts out here, a threat or emergency with no
 * listed word escalates. The embeddings are computed for the whole batch outside the transaction.
 *
 * <p>Effectively once: an event is claimed by setting {@code processed_at} in the same transaction
 * as its effects, so a re-queued event that was already applied changes nothing. One writer
 * thread applies events in arrival order, which serialises the work of each phone.
 */
@Component("inboundMessageProcessor")
public class InboundMessageProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(InboundMessageProcessor.class);

    private final InboundLog inbound;
    private final ContactStore contacts;
    private final ConversationStore conversations;
    private final ConversationFlow flow;
    private final MessageLayers layers;
    private final Escalation escalation;
    private final ReplyWorker replies;
    private final WarmLeads warmLeads;
    private final Clock clock;
    private final BusinessEvents events;
    private final Counter processed;
    private final Counter failed;
    private final GroupCommitter<InboundEvent, Boolean> committer;
    private final SemanticLayer semantic;
    private final SemanticDecisions semanticAudit;
    private final ConsentLedger consent;
    private final Outbox outbox;
    private final BusinessProfile business;

    public InboundMessageProcessor(InboundLog inbound, TransactionTemplate tx, ContactStore contacts, ConversationStore conversations,
            ConversationFlow flow, MessageLayers layers, Escalation escalation, ReplyWorker replies, WarmLeads warmLeads, Clock clock,
            MeterRegistry meters, BusinessEvents events, SemanticLayer semantic, SemanticDecisions semanticAudit, ConsentLedger consent,
            Outbox outbox, BusinessProfile business) {
        this.semantic = semantic;
        this.semanticAudit = semanticAudit;
        this.consent = consent;
        this.outbox = outbox;
        this.business = business;
        this.inbound = inbound;
        this.warmLeads = warmLeads;
        this.contacts = contacts;
        this.conversations = conversations;
        this.flow = flow;
        this.layers = layers;
        this.escalation = escalation;
        this.replies = replies;
        this.clock = clock;
        this.events = events;
        this.processed = meters.counter("hub.inbound.processed");
        this.failed = meters.counter("hub.inbound.process.failures");
        this.committer = new GroupCommitter<>("process-inbound", 1, 500, 50_000, batch -> {
            Map<Long, LayeredDecision.Decision> meanings = read(batch);
            return tx.execute(s -> apply(batch, meanings));
        });
    }

    /**
     * Queues an event for the writer and returns at once. A failure is logged and counted; the
     * event stays unprocessed in the database and the recovery sweep offers it again.
     */
    public void accept(InboundEvent event) {
        committer.submit(event).whenComplete((ok, error) -> {
            if (error != null) {
                failed.increment();
                LOG.warn("processing inbound event {} failed; the recovery sweep will retry it: {}", event.id(), error.toString());
            }
        });
    }

    public int backlog() {
        return committer.backlog();
    }

    /**
     * The semantic layer's decisions for the texts no keyword decided, in one batch and before the
     * transaction opens (an embedding costs milliseconds; the row locks should not wait for it).
     */
    private Map<Long, LayeredDecision.Decision> read(List<InboundEvent> batch) {
        if (!semantic.enabled()) {
            return Map.of();
        }
        List<InboundEvent> open = batch.stream().filter(e -> e.keyword() == null && e.body() != null && !e.body().isBlank()).toList();
        List<LayeredDecision.Decision> decided = semantic.decideAll(open.stream().map(InboundEvent::body).toList());
        Map<Long, LayeredDecision.Decision> out = new HashMap<>();
        for (int i = 0; i < open.size(); i++) {
            out.put(open.get(i).id(), decided.get(i));
        }
        return out;
    }

    private List<Boolean> apply(List<InboundEvent> batch, Map<Long, LayeredDecision.Decision> meanings) {
        List<Boolean> results = new ArrayList<>(batch.size());
        List<InboundEvent> claimed = claim(batch, results);
        if (claimed.isEmpty()) {
            return results;
        }
        Set<String> phones = new LinkedHashSet<>();
        claimed.forEach(e -> phones.add(e.phone()));
        Map<String, Long> contactIds = contacts.ensure(phones);
        Map<Long, Long> conversationIds = conversations.ensure(contactIds.values());

        List<ConversationStore.NewMessage> messages = new ArrayList<>(claimed.size());
        Map<Long, String> normalised = new HashMap<>();
        List<WarmLeads.Reply> interested = new ArrayList<>();
        for (InboundEvent e : claimed) {
            long conversationId = conversationIds.get(contactIds.get(e.phone()));
            String text = Texts.normalise(e.body());
            normalised.put(e.id(), text);
            TextSignals.Intent intent = TextSignals.intentOfNormalised(text);
            // A warm reply ("Interested! how much?") answering a campaign text; a YES is also the opt-in keyword, which still counts.
            if (WarmReplies.isWarmNormalised(text) && (e.keyword() == null || Keyword.OPT_IN.name().equals(e.keyword()))) {
                interested.add(new WarmLeads.Reply(e.phone(), e.body(), e.receivedAt() != null ? e.receivedAt() : clock.instant()));
            }
            String intentName = intent.name().toLowerCase(Locale.ROOT);
            messages.add(new ConversationStore.NewMessage(conversationId, "IN", e.body(), e.provider(), "received", e.id(), null,
                    intentName, TextSignals.sentimentOfNormalised(text)));
            received(e, conversationId, intentName);
            TextSignals.email(e.body()).ifPresent(email -> contacts.learn(e.phone(), null, email));
            TextSignals.name(e.body()).ifPresent(name -> contacts.learn(e.phone(), name, null));
            if (e.replyText() != null) {
                // The keyword's answer went out (or was simulated) in the webhook's TwiML.
                messages.add(new ConversationStore.NewMessage(conversationId, "OUT", e.replyText(), "twilio-twiml",
                        e.replyLive() ? "sent" : "simulated", null, null));
            }
        }
        conversations.append(messages);
        warmLeads.note(interested);
        List<ReplyWorker.Planned> toAnswer = new ArrayList<>();
        for (InboundEvent e : claimed) {
            long conversationId = conversationIds.get(contactIds.get(e.phone()));
            if (applyEffects(conversationId, e, normalised.get(e.id()), meanings.get(e.id()))) {
                toAnswer.add(new ReplyWorker.Planned(conversationId, e));
            }
        }
        replies.plan(toAnswer);
        processed.increment(claimed.size());
        return results;
    }

    private void received(InboundEvent e, long conversationId, String intent) {
        if (!events.recording()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("inboundEventId", e.id());
        data.put("messageSid", e.sid());
        data.put("provider", e.provider());
        data.put("conversationId", conversationId);
        data.put("text", e.body());
        data.put("keyword", e.keyword());
        data.put("intent", intent);
        data.put("receivedAt", e.receivedAt() == null ? null : e.receivedAt().toString());
        events.publish(BusinessEvents.Type.MESSAGE_RECEIVED, e.provider() + ":" + e.sid(), e.phone(), Channel.SMS.code(), data);
    }

    /**
     * State moves and escalation a text implies; true when it is an ordinary text that deserves a
     * reply. Keyword texts were answered in the webhook's TwiML; escalated ones get the acknowledgement.
     */
    private boolean applyEffects(long conversationId, InboundEvent e, String normalisedText, LayeredDecision.Decision meaning) {
        Keyword keyword = e.keyword() == null ? null : Keyword.valueOf(e.keyword());
        boolean optsOut = keyword != null && keyword.optsOut();
        if (optsOut) {
            move(conversationId, ConversationState.STOP, "customer", "opt-out: " + e.body());
        } else if (keyword == Keyword.OPT_IN) {
            move(conversationId, ConversationState.START, "customer", "renewed consent: " + e.body());
        }
        boolean semanticOptOut = meaning != null && meaning.optOut() == LayeredDecision.Level.ACT;
        if (semanticOptOut) {
            optOutByMeaning(conversationId, e, meaning);
            optsOut = true;
        }
        Optional<String> escalated = normalisedText.isEmpty() ? Optional.empty() : layers.readNormalised(normalisedText).escalation();
        boolean optedOut = optsOut;
        escalated.ifPresent(reason -> escalation.escalate(conversationId, e.id(), e.phone(), e.body(), reason, optedOut));
        if (escalated.isEmpty() && meaning != null && meaning.escalation() == LayeredDecision.Level.ACT) {
            String reason = meaning.escalationClass().code();
            semanticAudit.record(e.id(), conversationId, e.phone(), e.body(), SemanticDecisions.Action.ESCALATE, meaning.escalationClass(),
                    meaning);
            escalation.escalate(conversationId, e.id(), e.phone(), e.body(), reason, optsOut, meaning.evidence(meaning.escalationClass()));
            return false;
        }
        if (keyword != null || escalated.isPresent() || optsOut) {
            return false;
        }
        if (meaning != null && meaning.escalation() == LayeredDecision.Level.BAND && meaning.escalationScore() >= meaning.optOutScore()) {
            semanticAudit.record(e.id(), conversationId, e.phone(), e.body(), SemanticDecisions.Action.FLAG, meaning.escalationClass(),
                    meaning);
            escalation.flag(conversationId, e.id(), e.phone(), e.body(), meaning.escalationClass().code());
            return false;
        }
        if (meaning != null && meaning.optOut() == LayeredDecision.Level.BAND) {
            // The one permitted clarification, instead of the ordinary reply; consent is unchanged until they answer.
            semanticAudit.record(e.id(), conversationId, e.phone(), e.body(), SemanticDecisions.Action.CLARIFY, SemanticLabel.OPT_OUT,
                    meaning);
            outbox.enqueue("opt-out-clarification:" + e.id(), e.phone(), business.optOutClarification(), Outbox.REPLY);
            return false;
        }
        if (meaning != null && meaning.escalation() == LayeredDecision.Level.BAND) {
            semanticAudit.record(e.id(), conversationId, e.phone(), e.body(), SemanticDecisions.Action.FLAG, meaning.escalationClass(),
                    meaning);
            escalation.flag(conversationId, e.id(), e.phone(), e.body(), meaning.escalationClass().code());
            return false;
        }
        return true;
    }

    /** A revocation no keyword or phrase caught: the same effect as STOP, with the layer's evidence in the ledger. */
    private void optOutByMeaning(long conversationId, InboundEvent e, LayeredDecision.Decision meaning) {
        if (!consent.current(e.phone(), Channel.SMS.code()).allowsSending()) {
            return; // already opted out: one confirmation was sent then, and silence is owed now
        }
        String evidence = meaning.evidence(SemanticLabel.OPT_OUT);
        consent.record(new ConsentChange(e.phone(), Channel.SMS.code(), ConsentChange.Action.OPT_OUT, ConsentChange.Source.MESSAGE,
                e.body() + " [" + evidence + "]", "semantic", e.receivedAt() != null ? e.receivedAt() : clock.instant()));
        semanticAudit.record(e.id(), conversationId, e.phone(), e.body(), SemanticDecisions.Action.OPT_OUT, SemanticLabel.OPT_OUT, meaning);
        move(conversationId, ConversationState.STOP, "customer", "opt-out (semantic): " + e.body());
        outbox.enqueue("opt-out-confirmation:" + e.sid(), e.phone(), business.optOutConfirmation(), Outbox.OPT_OUT_CONFIRMATION);
    }

    private void move(long conversationId, ConversationState to, String actor, String reason) {
        ConversationState from = conversations.state(conversationId);
        if (from != to && flow.allows(from, to)) {
            conversations.moveState(conversationId, from, to, actor, reason);
        }
    }

    /**
     * Locks the batch's events, keeps those not processed yet (first copy only: the sweep may have
     * queued an event twice) and marks them processed ({@link InboundLog#claim}). Results get true for
     * the ones claimed now.
     */
    private List<InboundEvent> claim(List<InboundEvent> batch, List<Boolean> results) {
        Set<Long> ids = new LinkedHashSet<>();
        batch.forEach(e -> ids.add(e.id()));
        Set<Long> open = new HashSet<>(inbound.claim(ids, clock.instant()));
        List<InboundEvent> claimed = new ArrayList<>(open.size());
        for (InboundEvent e : batch) {
            boolean mine = open.remove(e.id());
            results.add(mine);
            if (mine) {
                claimed.add(e);
            }
        }
        return claimed;
    }

    @PreDestroy
    void stop() {
        committer.close();
    }
}
