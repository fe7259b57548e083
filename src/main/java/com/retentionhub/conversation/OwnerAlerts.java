package com.retentionhub.conversation;

import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.PersonErased;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The short texts the business owner gets at {@code SMS_NOTIFICATION_PHONE}: one when a customer
 * starts a conversation and one per escalation, each with the customer's number masked to its last
 * four digits, the customer's text and what the bot answered. Nothing is sent when the number is
 * empty. Each alert has its own outbox key, so a re-processed text never alerts twice.
 */
@Component
public class OwnerAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerAlerts.class);
    /** Two quotes of this size plus the framing stay within three SMS segments. */
    private static final int QUOTE_LIMIT = 120;
    /** The alerts' outbox keys: one per conversation started, one per escalated text. */
    private static final String NEW_CONVERSATION = "new-conversation:";
    private static final String ESCALATION = "escalation-staff:";

    private final Outbox outbox;
    private final JdbcTemplate jdbc;
    private final InboundLog inbound;
    private final String ownerPhone;

    public OwnerAlerts(Outbox outbox, JdbcTemplate jdbc, InboundLog inbound, HubProperties properties) {
        String phone = properties.notificationPhone();
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.inbound = inbound;
        this.ownerPhone = phone == null || phone.isBlank() ? null : phone.trim();
    }

    public boolean enabled() {
        return ownerPhone != null;
    }

    /** The first text of a conversation and the bot's first answer. Call inside the transaction that queues the answer. */
    public void newConversation(long conversationId, String phone, String text, String answer) {
        if (enabled()) {
            outbox.enqueue(NEW_CONVERSATION + conversationId, ownerPhone, newConversationText(phone, text, answer), Outbox.STAFF_ALERT);
        }
    }

    /** @param answer the acknowledgement the customer got, or null when none was sent (the same text opted out) */
    public void escalation(long conversationId, long eventId, String phone, String text, String reason, String answer) {
        if (!enabled()) {
            LOG.warn("conversation {} escalated ({}) but SMS_NOTIFICATION_PHONE is not set; it is flagged in the API only", conversationId,
                    reason);
            return;
        }
        outbox.enqueue(ESCALATION + eventId, ownerPhone, escalationText(phone, text, reason, answer), Outbox.STAFF_ALERT);
    }

    /**
     * A deleted customer's words leave the owner's alerts too: the alerts about their conversation
     * and texts keep their place in the counts with empty bodies. Runs before the conversation and
     * the texts it finds them by are deleted.
     */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public void on(PersonErased erased) {
        List<String> keys = new ArrayList<>();
        jdbc.queryForList("SELECT id FROM conversation WHERE contact_id = ?", Long.class, erased.contactId())
                .forEach(id -> keys.add(NEW_CONVERSATION + id));
        inbound.ids(erased.phone()).forEach(id -> keys.add(ESCALATION + id));
        outbox.blankBodies(Outbox.STAFF_ALERT, keys);
    }

    static String newConversationText(String phone, String text, String answer) {
        return "New conversation from " + mask(phone) + ": \"" + quote(text) + "\" Bot replied: \"" + quote(answer) + "\"";
    }

    static String escalationText(String phone, String text, String reason, String answer) {
        return "Escalation (" + reason + ") from " + mask(phone) + ": \"" + quote(text) + "\""
                + (answer == null ? "" : " Bot replied: \"" + quote(answer) + "\"") + " - conversation paused until staff resume it.";
    }

    /** "+14155550123" becomes "***-***-0123": staff see enough to find the customer, the SMS leaks no number. */
    static String mask(String phone) {
        return "***-***-" + (phone.length() >= 4 ? phone.substring(phone.length() - 4) : phone);
    }

    private static String quote(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() > QUOTE_LIMIT ? flat.substring(0, QUOTE_LIMIT - 3) + "..." : flat;
    }
}
