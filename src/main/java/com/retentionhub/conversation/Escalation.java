package com.retentionhub.conversation;

import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.BusinessProfile;
import java.util.LinkedHashMap;
import java.util.Map;
import io.micrometer.core.instrument.MeterRegistry;
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
        ConversationState current = conversations.state(conversationId);
        if (current != ConversationState.PAUSE && flow.allows(current, ConversationState.PAUSE)) {
            conversations.moveState(conversationId, current, ConversationState.PAUSE, "system", "escalation: " + reason);
        }
        if (!conversations.flagEscalation(conversationId, reason)) {
            return; // already with staff: one acknowledgement and one alert per escalation
        }
        meters.counter("hub.escalations", "reason", reason).increment();
        String acknowledgement = optedOut ? null : business.escalationAcknowledgement();
        if (acknowledgement != null) {
            outbox.enqueue("escalation-ack:" + eventId, phone, acknowledgement, Outbox.REPLY);
        }
        owner.escalation(conversationId, eventId, phone, text, reason, acknowledgement);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversationId", conversationId);
        data.put("inboundEventId", eventId);
        data.put("reason", reason);
        data.put("text", text);
        events.publish(BusinessEvents.Type.ESCALATED, String.valueOf(eventId), phone, "sms", data);
    }
}
