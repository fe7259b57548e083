package com.retentionhub.conversation;

import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.HubProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands a conversation to a human: it is paused and flagged until staff resume it, the customer
 * gets one acknowledgement, and staff get one SMS with the reason, the text and the customer's
 * number masked to its last four digits. Runs inside the processing transaction.
 */
@Component
public class Escalation {

    private static final Logger LOG = LoggerFactory.getLogger(Escalation.class);
    private static final int QUOTE_LIMIT = 200;

    private final ConversationStore conversations;
    private final ConversationFlow flow;
    private final Outbox outbox;
    private final BusinessProfile business;
    private final MeterRegistry meters;
    private final String notificationPhone;

    public Escalation(ConversationStore conversations, ConversationFlow flow, Outbox outbox, BusinessProfile business, MeterRegistry meters,
            HubProperties properties) {
        this.conversations = conversations;
        this.flow = flow;
        this.outbox = outbox;
        this.business = business;
        this.meters = meters;
        this.notificationPhone = properties.notificationPhone();
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
        if (!optedOut) {
            outbox.enqueue("escalation-ack:" + eventId, phone, business.escalationAcknowledgement(), Outbox.REPLY);
        }
        if (notificationPhone == null || notificationPhone.isBlank()) {
            LOG.warn("conversation {} escalated ({}) but SMS_NOTIFICATION_PHONE is not set; it is flagged in the API only", conversationId, reason);
            return;
        }
        outbox.enqueue("escalation-staff:" + eventId, notificationPhone, staffAlert(phone, text, reason), Outbox.STAFF_ALERT);
    }

    static String staffAlert(String phone, String text, String reason) {
        String quote = text.length() > QUOTE_LIMIT ? text.substring(0, QUOTE_LIMIT) + "..." : text;
        return "Escalation (" + reason + ") from " + mask(phone) + ": \"" + quote + "\" - conversation paused until staff resume it.";
    }

    /** "+14155550123" becomes "***-***-0123": staff see enough to find the customer, the SMS leaks no number. */
    static String mask(String phone) {
        return "***-***-" + (phone.length() >= 4 ? phone.substring(phone.length() - 4) : phone);
    }
}
