package com.retentionhub.ingress.instantly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.conversation.ConversationStore;
import com.retentionhub.dispatch.DeliveryLog;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.platform.web.WebhookRequest;
import com.retentionhub.platform.web.Webhooks;
import com.retentionhub.sequence.SmartReengagement;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Instantly's webhook ({@code POST /webhooks/instantly?token=...}). Instantly signs nothing, so the
 * URL carries a secret token, compared in constant time. An event names the campaign and the
 * lead's email; that finds the email the hub sent (the latest to that address in that Instantly
 * campaign). {@code event_type} is mapped by {@code hub.dispatch.providers.instantly.dlr.statuses}
 * (email_sent to sent, email_opened to read, reply_received to replied, email_bounced to failed),
 * deduped and applied forward-only; {@code lead_unsubscribed} records an email opt-out. A reply's
 * text ({@code reply_text}, or the snippet) is also added to the contact's conversation as an
 * inbound message, once per reply ({@code email_id}), so staff and the assistant see it with the texts.
 */
@Component("instantlyEvents")
public class InstantlyEvents {

    static final String PROVIDER = "instantly";
    private static final int MAX_REPLY_CHARS = 4000;
    private static final String UNSUBSCRIBED = "lead_unsubscribed";

    private final HubProperties.Dispatch settings;
    private final DeliveryLog deliveries;
    private final ConsentLedger consent;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final SmartReengagement reengagement;
    private final ContactStore contacts;
    private final ConversationStore conversations;

    public InstantlyEvents(HubProperties properties, DeliveryLog deliveries, ConsentLedger consent, JdbcTemplate jdbc,
            TransactionTemplate tx,
            ObjectMapper json, MeterRegistry meters, Clock clock, SmartReengagement reengagement, ContactStore contacts,
            ConversationStore conversations) {
        this.reengagement = reengagement;
        this.contacts = contacts;
        this.conversations = conversations;
        this.settings = properties.dispatch();
        this.deliveries = deliveries;
        this.consent = consent;
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    public void accept(Exchange exchange) throws Exception {
        HubProperties.Provider config = settings.providers().get(PROVIDER);
        HubProperties.Dlr dlr = config == null ? null : config.dlr();
        WebhookRequest request = WebhookRequest.read(exchange);
        Webhooks.requireSecret(Webhooks.queryToken(request), dlr == null ? null : dlr.token());
        JsonNode event = Webhooks.jsonObject(request, json);
        String type = event.path("event_type").asText("");
        String email = event.path("lead_email").asText("").trim().toLowerCase(Locale.ROOT);
        String campaign = event.path("campaign_id").asText("");
        if (type.isBlank()) {
            throw WebhookRejectedException.badRequest("missing event_type");
        }
        String status = dlr.statuses() == null ? null : dlr.statuses().get(type);
        boolean unsubscribed = UNSUBSCRIBED.equals(type);
        if ((status == null && !unsubscribed) || email.isBlank()) {
            // Account and campaign events, or one without a lead: nothing of the hub's to update.
            meters.counter("hub.webhooks.ignored", "provider", PROVIDER, "event", status == null ? "unmapped" : "no-lead").increment();
            Webhooks.answer(exchange, "ok\n");
            return;
        }
        String params = event.toString();
        tx.executeWithoutResult(s -> {
            Sent sent = find(email, campaign);
            if (sent == null) {
                meters.counter("hub.webhooks.ignored", "provider", PROVIDER, "event", "unmatched").increment();
                return;
            }
            if (unsubscribed) {
                consent.record(
                        new ConsentChange(sent.phone(), Channel.EMAIL.code(), ConsentChange.Action.OPT_OUT, ConsentChange.Source.PROVIDER,
                                "Instantly: lead unsubscribed", PROVIDER, clock.instant()));
            } else {
                if (deliveries.apply(PROVIDER, sent.providerId(), status, null, params) && "read".equals(status)) {
                    reengagement.emailOpened(sent.providerId());
                }
                if ("replied".equals(status)) {
                    keepReply(sent.phone(), event);
                }
            }
        });
        Webhooks.answer(exchange, "ok\n");
    }

    private record Sent(String providerId, String phone) {}

    /** The reply's text in the contact's conversation; a retried delivery of the same reply adds nothing. */
    private void keepReply(String phone, JsonNode event) {
        String text = event.path("reply_text").asText("").strip();
        if (text.isEmpty()) {
            text = event.path("reply_text_snippet").asText("").strip();
        }
        if (text.isEmpty() || phone == null) {
            return;
        }
        String subject = event.path("reply_subject").asText("").strip();
        String body = (subject.isEmpty() ? "" : subject + "\n\n") + text;
        String replyId = event.path("email_id").asText("");
        String key = "reply:" + (replyId.isBlank() ? event.path("timestamp").asText("") : replyId);
        long conversation = conversations.ensure(List.of(contacts.ensure(phone))).values().iterator().next();
        // An email may quote the whole thread below the reply; the conversation keeps the start of it.
        body = body.length() > MAX_REPLY_CHARS ? body.substring(0, MAX_REPLY_CHARS) + "…" : body;
        if (conversations.appendReceived(conversation, body, PROVIDER, key.length() > 64 ? key.substring(0, 64) : key)) {
            meters.counter("hub.email.replies", "provider", PROVIDER).increment();
        }
    }

    /** The latest email sent to this address in this Instantly campaign (any campaign if it names none). */
    private Sent find(String email, String campaign) {
        List<Sent> rows = jdbc.query(
                "SELECT provider_id, phone FROM outbox_sends WHERE address = ? AND provider = ? AND provider_id IS NOT NULL"
                        + (campaign.isBlank() ? "" : " AND provider_ref = ?") + " ORDER BY id DESC LIMIT 1",
                (rs, i) -> new Sent(rs.getString(1), rs.getString(2)),
                campaign.isBlank() ? new Object[] {email, PROVIDER} : new Object[] {email, PROVIDER, campaign});
        return rows.isEmpty() ? null : rows.get(0);
    }
}
