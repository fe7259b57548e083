package com.retentionhub.conversation;

import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Hands a conversation to a human: it is paused and flagged until staff resume it, the customer
 * gets one acknowledgement, and the owner one SMS ({@link OwnerAlerts}). Runs inside the processing
 * transaction.
 */
@Component
public class Escalation {

    private final ConversationStore conversations;
    private final ConversationFlow flow;
    private final Outbox outbox;
    private final BusinessProfile business;
    private final MeterRegistry meters;
    private final OwnerAlerts owner;
    private final BusinessEvents events;

    /** The escalation reason of a conversation that reached the AI turn cap. */
    public static final String TURN_CAP = "ai-turn-cap";
    /** What the customer is told when the AI turn cap hands the conversation to staff. */
    public static final String TURN_CAP_HANDOVER = "Thanks for bearing with us. A team member will pick this up from here and get back to you.";

    public Escalation(ConversationStore conversations, ConversationFlow flow, Outbox outbox, BusinessProfile business, MeterRegistry meters,
            OwnerAlerts owner, BusinessEvents events) {
        this.conversations = conversations;
        this.flow = flow;
        this.outbox = outbox;
        this.business = business;
        this.meters = meters;
        this.owner = owner;
        this.events = events;
    }

    /**
     * @param eventId the inbound event, whose id keys the two messages so a re-processed event sends nothing twice
     * @param optedOut the same text also revoked consent: no acknowledgement to the customer then
     */
    public void escalate(long conversationId, long eventId, String phone, String text, String reason, boolean optedOut) {
        escalate(conversationId, eventId, phone, text, reason, optedOut, null);
    }

    /**
     * @param evidence which layer decided and why (the semantic layer's score and nearest exemplar),
     *     kept in the state change's audit and the escalation event; null for the phrase layer
     */
    public void escalate(long conversationId, long eventId, String phone, String text, String reason, boolean optedOut, String evidence) {
        ConversationState current = conversations.state(conversationId);
        if (current != ConversationState.PAUSE && flow.allows(current, ConversationState.PAUSE)) {
            conversations.moveState(conversationId, current, ConversationState.PAUSE, "system", audit("escalation: " + reason, evidence));
        }
        if (!conversations.flagEscalation(conversationId, reason)) {
            return; // already with staff: one acknowledgement and one alert per escalation
        }
        meters.counter("hub.escalations", "reason", reason).increment();
        // Past the AI turn cap the customer has asked nothing new to acknowledge: say plainly that a person takes over.
        String acknowledgement = optedOut ? null : TURN_CAP.equals(reason) ? TURN_CAP_HANDOVER : business.escalationAcknowledgement();
        if (acknowledgement != null) {
            outbox.enqueue("escalation-ack:" + eventId, phone, acknowledgement, Outbox.REPLY);
        }
        owner.escalation(conversationId, eventId, phone, text, reason, acknowledgement);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", conversationId);
        data.put("inboundEventId", eventId);
        data.put("reason", reason);
        data.put("text", text);
        if (evidence != null) {
            data.put("evidence", evidence);
        }
        events.publish(BusinessEvents.Type.ESCALATED, String.valueOf(eventId), phone, Channel.SMS.code(), data);
    }

    /**
     * Below the act threshold but too close to ignore: the conversation is flagged for staff
     * ({@code review: <class>}) and the owner alerted, without pausing the conversation or telling the
     * customer anything; the bot does not answer this one text. The evidence is in the semantic layer's audit.
     */
    public void flag(long conversationId, long eventId, String phone, String text, String reason) {
        String flagged = "review: " + reason;
        if (!conversations.flagEscalation(conversationId, flagged)) {
            return;
        }
        meters.counter("hub.escalations.flagged", "reason", reason).increment();
        owner.escalation(conversationId, eventId, phone, text, flagged, null);
    }

    private static String audit(String what, String evidence) {
        String line = evidence == null ? what : what + " (" + evidence + ")";
        return line.length() <= 500 ? line : line.substring(0, 499) + "…";
    }
}
