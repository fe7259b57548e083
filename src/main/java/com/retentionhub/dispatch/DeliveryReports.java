package com.retentionhub.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.platform.web.WebhookRequest;
import com.retentionhub.platform.web.Webhooks;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivery reports from HTTP SMS gateways ({@code POST /webhooks/dlr/{provider}?token=...}): the
 * secret token in the callback URL is compared in constant time, the provider's status words are
 * mapped to the hub's ({@code delivered}/{@code DELIVRD} to delivered, {@code failed}/{@code UNDELIV}
 * to failed), and the report is deduped and applied forward-only, like Twilio's callbacks.
 */
@Component("deliveryReports")
public class DeliveryReports {

    private final HubProperties.Dispatch settings;
    private final DeliveryLog deliveries;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public DeliveryReports(HubProperties properties, DeliveryLog deliveries, TransactionTemplate tx, ObjectMapper json) {
        this.settings = properties.dispatch();
        this.deliveries = deliveries;
        this.tx = tx;
        this.json = json;
    }

    /**
     * The callback URL a provider is given with each message: Twilio's status path, VAPI's webhook
     * (its secret travels in a header), or a gateway's delivery-report path with its token.
     */
    public static String callbackUrl(String publicBaseUrl, String provider, HubProperties.Provider settings) {
        String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        if (Channel.VOICE.code().equals(settings.channel())) {
            return base + "/webhooks/" + provider;
        }
        if (settings.dlr() == null) {
            return base + "/sms/status"; // Twilio signs its callbacks; no token needed
        }
        if (settings.dlr().token() == null || settings.dlr().token().isBlank()) {
            return ""; // no token configured: the gateway gets no callback URL rather than an unguarded one
        }
        return base + "/webhooks/dlr/" + provider + "?token=" + URLEncoder.encode(settings.dlr().token(), StandardCharsets.UTF_8);
    }

    public void accept(Exchange exchange) throws Exception {
        String provider = exchange.getMessage().getHeader("provider", String.class);
        HubProperties.Provider config = provider == null ? null : settings.providers().get(provider);
        HubProperties.Dlr dlr = config == null ? null : config.dlr();
        WebhookRequest request = WebhookRequest.read(exchange);
        if (dlr == null || dlr.token() == null || dlr.token().isBlank()) {
            throw WebhookRejectedException.forbidden("no delivery reports configured for this provider");
        }
        Webhooks.requireSecret(Webhooks.queryToken(request), dlr.token());
        Map<String, String> fields = fields(request);
        String id = fields.get(dlr.idField());
        String raw = fields.get(dlr.statusField());
        if (id == null || id.isBlank() || id.length() > 64) {
            throw WebhookRejectedException.badRequest("missing " + dlr.idField());
        }
        String status = raw == null ? null : mapped(dlr, raw.trim());
        if (status == null) {
            throw WebhookRejectedException.badRequest("missing or unknown " + dlr.statusField());
        }
        String errorCode = fields.get("error_code");
        if (errorCode != null && errorCode.length() > 16) {
            throw WebhookRejectedException.badRequest("error_code: at most 16 characters");
        }
        String params = json.writeValueAsString(fields);
        tx.executeWithoutResult(s -> deliveries.apply(provider, id, status, errorCode, params));
        Webhooks.answer(exchange, "ok\n");
    }

    private static String mapped(HubProperties.Dlr dlr, String raw) {
        String exact = dlr.statuses().get(raw);
        if (exact != null) {
            return exact;
        }
        return dlr.statuses().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(raw)).map(Map.Entry::getValue).findFirst()
                .orElse(null);
    }

    /** A flat JSON object or a form, as field name to text. */
    private Map<String, String> fields(WebhookRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        String type = request.contentType() == null ? "" : request.contentType();
        if (type.startsWith("application/json")) {
            JsonNode node = Webhooks.jsonObject(request, json);
            node.fields().forEachRemaining(
                    f -> fields.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
            return fields;
        }
        fields.putAll(request.form().single());
        return fields;
    }
}
