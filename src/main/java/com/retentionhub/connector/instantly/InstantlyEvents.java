package com.retentionhub.connector.instantly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.dispatch.Channels;
import com.retentionhub.dispatch.DeliveryLog;
import com.retentionhub.ingress.WebhookRequest;
import com.retentionhub.ingress.Webhooks;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.sequence.SmartReengagement;
import com.retentionhub.platform.WebhookRejectedException;
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
 * deduped and applied forward-only; {@code lead_unsubscribed} records an email opt-out.
 */
@Component("instantlyEvents")
public class InstantlyEvents {

    static final String PROVIDER = "instantly";
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

    public InstantlyEvents(HubProperties properties, DeliveryLog deliveries, ConsentLedger consent, JdbcTemplate jdbc, TransactionTemplate tx,
            ObjectMapper json, MeterRegistry meters, Clock clock, SmartReengagement reengagement) {
        this.reengagement = reengagement;
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
                consent.record(new ConsentChange(sent.phone(), Channels.EMAIL, ConsentChange.Action.OPT_OUT, ConsentChange.Source.PROVIDER,
                        "Instantly: lead unsubscribed", PROVIDER, clock.instant()));
            } else if (deliveries.apply(PROVIDER, sent.providerId(), status, null, params) && "read".equals(status)) {
                reengagement.emailOpened(sent.providerId());
            }
        });
        Webhooks.answer(exchange, "ok\n");
    }

    private record Sent(String providerId, String phone) {}

    /** The latest email sent to this address in this Instantly campaign (any campaign if it names none). */
    private Sent find(String email, String campaign) {
        List<Sent> rows = jdbc.query("SELECT provider_id, phone FROM outbox WHERE address = ? AND provider = ? AND provider_id IS NOT NULL"
                + (campaign.isBlank() ? "" : " AND provider_ref = ?") + " ORDER BY id DESC LIMIT 1",
                (rs, i) -> new Sent(rs.getString(1), rs.getString(2)),
                campaign.isBlank() ? new Object[] {email, PROVIDER} : new Object[] {email, PROVIDER, campaign});
        return rows.isEmpty() ? null : rows.get(0);
    }
}
