package com.retentionhub.ingress.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.connector.vapi.VapiCallStatus;
import com.retentionhub.dispatch.CallReports;
import com.retentionhub.dispatch.DeliveryLog;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.platform.web.WebhookRequest;
import com.retentionhub.platform.web.Webhooks;
import com.retentionhub.sequence.SmartReengagement;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * VAPI's server messages ({@code POST /webhooks/vapi}), verified by the shared secret VAPI sends
 * as {@code X-Vapi-Secret} (or as a bearer credential), compared in constant time. Status updates
 * move the call's message forward; the end-of-call report also keeps the transcript, the summary
 * and the keywords extracted from the call. A call that ends unanswered, busy, in voicemail or in
 * an error is a failure; one that connected and ended is delivered. Other message types are
 * acknowledged and ignored.
 */
@Component("vapiEvents")
public class VapiEvents {

    static final String PROVIDER = "vapi";

    private final HubProperties.Dispatch settings;
    private final DeliveryLog deliveries;
    private final CallReports calls;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final BusinessProfile business;
    private final SmartReengagement reengagement;

    public VapiEvents(HubProperties properties, DeliveryLog deliveries, CallReports calls, TransactionTemplate tx, ObjectMapper json,
            MeterRegistry meters, Clock clock, BusinessProfile business, SmartReengagement reengagement) {
        this.reengagement = reengagement;
        this.settings = properties.dispatch();
        this.deliveries = deliveries;
        this.calls = calls;
        this.tx = tx;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
        this.business = business;
    }

    public void accept(Exchange exchange) throws Exception {
        HubProperties.Provider config = settings.providers().get(PROVIDER);
        WebhookRequest request = WebhookRequest.read(exchange);
        Webhooks.requireSecret(secret(request), config == null || config.dlr() == null ? null : config.dlr().token());
        JsonNode root = Webhooks.jsonObject(request, json);
        JsonNode message = root.path("message");
        if (!message.isObject()) {
            throw WebhookRejectedException.badRequest("missing message");
        }
        String type = message.path("type").asText("");
        String callId = message.path("call").path("id").asText("");
        if (!type.equals("status-update") && !type.equals("end-of-call-report")) {
            meters.counter("hub.webhooks.ignored", "provider", PROVIDER, "event", type.isBlank() ? "untyped" : "other").increment();
            Webhooks.answer(exchange, "ok\n");
            return;
        }
        if (callId.isBlank() || callId.length() > 64) {
            throw WebhookRejectedException.badRequest("missing message.call.id");
        }
        String endedReason = message.path("endedReason").asText(message.path("call").path("endedReason").asText(null));
        String status = type.equals("end-of-call-report")
                ? VapiCallStatus.of("ended", endedReason)
                : VapiCallStatus.of(message.path("status").asText(""), endedReason);
        if (status == null) {
            throw WebhookRejectedException.badRequest("unknown call status");
        }
        String code = "failed".equals(status) ? VapiCallStatus.failureCode(endedReason) : null;
        String params = message.toString();
        tx.executeWithoutResult(s -> {
            deliveries.apply(PROVIDER, callId, status, code, params.length() > 4000 ? params.substring(0, 4000) : params);
            if (type.equals("end-of-call-report")) {
                saveReport(callId, message, endedReason);
                JsonNode analysis = message.path("analysis");
                reengagement.callEnded(callId, text(analysis.path("summary"), message.path("summary")),
                        analysis.path("structuredData").path("callBack").asBoolean(false));
            }
        });
        Webhooks.answer(exchange, "ok\n");
    }

    /** VAPI sends the server secret as X-Vapi-Secret; a bearer credential carries the same secret. */
    private static String secret(WebhookRequest request) {
        String header = request.servlet().getHeader("X-Vapi-Secret");
        if (header != null) {
            return header;
        }
        String auth = request.servlet().getHeader("Authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    }

    private void saveReport(String callId, JsonNode m, String endedReason) {
        JsonNode artifact = m.path("artifact");
        JsonNode analysis = m.path("analysis");
        String transcript = text(artifact.path("transcript"), m.path("transcript"));
        String summary = text(analysis.path("summary"), m.path("summary"));
        String recording = text(artifact.path("recordingUrl"), m.path("recordingUrl"));
        Double duration = m.hasNonNull("durationSeconds") ? m.get("durationSeconds").asDouble() : null;
        Double cost = m.hasNonNull("cost") ? m.get("cost").asDouble() : null;
        String keywords = String.join(",", keywords(analysis.path("structuredData"), transcript));
        calls.record(new CallReports.Report(PROVIDER, callId, endedReason, summary, transcript, keywords, duration, cost,
                recording == null || recording.length() > 1000 ? null : recording, clock.instant()));
    }

    /**
     * The call's keywords: those the assistant's structured-data analysis extracted (a
     * {@code keywords} list), then the business's services the customer's side of the transcript names.
     */
    Set<String> keywords(JsonNode structured, String transcript) {
        Set<String> out = new LinkedHashSet<>();
        structured.path("keywords").forEach(k -> {
            if (k.isTextual() && !k.asText().isBlank()) {
                out.add(k.asText().trim().toLowerCase(Locale.ROOT));
            }
        });
        if (transcript != null) {
            String lower = transcript.toLowerCase(Locale.ROOT);
            business.services().forEach(svc -> {
                if (lower.contains(svc.name().toLowerCase(Locale.ROOT))) {
                    out.add(svc.name().toLowerCase(Locale.ROOT));
                }
            });
        }
        return out;
    }

    private static String text(JsonNode first, JsonNode second) {
        JsonNode n = first.isTextual() ? first : second;
        return n.isTextual() ? n.asText() : null;
    }
}
