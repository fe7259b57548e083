package com.retentionhub.ingress.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.lead.LeadFields;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.MetaLeadNotifications;
import com.retentionhub.platform.DeadLetters;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.platform.web.FormBody;
import com.retentionhub.platform.web.WebhookRequest;
import com.retentionhub.platform.web.Webhooks;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Meta lead ads. {@code GET /webhooks/meta} answers the subscription handshake; {@code POST}
 * checks {@code X-Hub-Signature-256} over the raw bytes with the app secret and stores every
 * {@code leadgen_id} (the dedupe key) before Meta gets its 200. A lead whose fields came inline
 * ({@code field_data} or a flat object) is taken at once; the others are fetched from the Graph API
 * by {@link #fetchDue()}, which retries with backoff and keeps the notification until the lead is
 * stored, so a failed fetch never loses a lead.
 */
@Component("metaLeads")
public class MetaLeads {

    private static final Logger LOG = LoggerFactory.getLogger(MetaLeads.class);
    private static final String FETCH_ENDPOINT = "direct:meta-lead-fetch";

    private final HubProperties.Meta settings;
    private final LeadIntake intake;
    private final MetaLeadNotifications notifications;
    private final TransactionTemplate tx;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final DeadLetters deadLetters;
    /** Fetch-and-store attempts before a notification is given up as INVALID (about a day with the default backoff). */
    private final int maxAttempts;

    public MetaLeads(HubProperties properties, LeadIntake intake, MetaLeadNotifications notifications, TransactionTemplate tx,
            ProducerTemplate producer, ObjectMapper json, MeterRegistry meters, Clock clock, DeadLetters deadLetters,
            @Value("${hub.meta.max-attempts:10}") int maxAttempts) {
        this.deadLetters = deadLetters;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.settings = properties.meta();
        this.intake = intake;
        this.notifications = notifications;
        this.tx = tx;
        this.producer = producer;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    /** The webhook: the GET handshake or a POST delivery. */
    public void handle(Exchange exchange) throws Exception {
        if ("GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
            handshake(exchange);
        } else {
            deliver(exchange);
        }
    }

    private void handshake(Exchange exchange) {
        FormBody query = Webhooks.query(WebhookRequest.read(exchange));
        String mode = query.first("hub.mode");
        String token = query.first("hub.verify_token");
        String challenge = query.first("hub.challenge");
        if (!"subscribe".equals(mode)) {
            throw WebhookRejectedException.forbidden("not a subscription handshake");
        }
        Webhooks.requireSecret(token, settings.verifyToken());
        if (challenge == null || challenge.isBlank() || challenge.length() > 200) {
            throw WebhookRejectedException.badRequest("missing hub.challenge");
        }
        Webhooks.answer(exchange, challenge);
    }

    private void deliver(Exchange exchange) throws Exception {
        WebhookRequest request = WebhookRequest.read(exchange);
        verifySignature(request.body(), request.header("X-Hub-Signature-256"));
        JsonNode root = Webhooks.jsonObject(request, json);
        List<JsonNode> leads = new ArrayList<>();
        root.path("entry").forEach(entry -> entry.path("changes").forEach(change -> {
            if ("leadgen".equals(change.path("field").asText()) && change.path("value").isObject()) {
                leads.add(change.path("value"));
            }
        }));
        if (leads.isEmpty() && !root.path("entry").isArray()) {
            throw WebhookRejectedException.badRequest("no entry array");
        }
        for (JsonNode value : leads) {
            String id = value.path("leadgen_id").asText("");
            if (!id.matches("\\d{1,40}")) {
                throw WebhookRejectedException.badRequest("leadgen_id missing or not numeric");
            }
        }
        Instant now = clock.instant();
        List<String> inline = new ArrayList<>();
        tx.executeWithoutResult(s -> notifications.receive(leads.stream()
                .map(value -> new MetaLeadNotifications.Notification(value.path("leadgen_id").asText(), value.toString())).toList(), now));
        for (JsonNode value : leads) {
            if (inlineFields(value) != null) {
                inline.add(value.path("leadgen_id").asText());
            }
        }
        meters.counter("hub.leads.meta.notifications").increment(leads.size());
        Webhooks.answer(exchange, "EVENT_RECEIVED");
        // Inline fields need no fetch: take them now (a failure here leaves them for the worker).
        inline.forEach(id -> {
            try {
                store(id, null);
            } catch (RuntimeException e) {
                LOG.warn("inline Meta lead {} not stored yet; the fetch worker retries: {}", id, e.toString());
            }
        });
    }

    /**
     * Fetches and stores pending leads whose time has come; a failure backs off and keeps the row.
     * Returns how many were stored.
     */
    public int fetchDue() {
        // Two workers may both fetch one lead (a wasted read at worst): store() is where it is taken exactly once.
        List<MetaLeadNotifications.Notification> due = notifications.due(clock.instant(), 50);
        int stored = 0;
        for (MetaLeadNotifications.Notification row : due) {
            String id = row.leadgenId();
            try {
                JsonNode lead = inlineFields(parse(row.payload())) != null ? null : fetch(id);
                store(id, lead);
                stored++;
            } catch (LeadIntake.InvalidLead e) {
                // The form gave nothing to reach the person by: kept, with the reason, not retried.
                tx.executeWithoutResult(s -> notifications.invalid(id, e.getMessage(), clock.instant()));
            } catch (RuntimeException e) {
                backOff(id, e);
            }
        }
        return stored;
    }

    private JsonNode fetch(String id) {
        Exchange result = producer.send(FETCH_ENDPOINT, e -> e.getMessage().setBody(id));
        if (result.getException() != null) {
            throw new IllegalStateException(result.getException().getMessage(), result.getException());
        }
        return result.getMessage().getBody(JsonNode.class);
    }

    /** Stores the lead of one notification (fields from the Graph answer, else inline) and marks it done, once. */
    private void store(String id, JsonNode graphLead) {
        tx.executeWithoutResult(s -> {
            Optional<String> pending = notifications.lockPending(id);
            if (pending.isEmpty()) {
                return; // another worker stored it
            }
            JsonNode value = parse(pending.get());
            JsonNode fields = graphLead != null ? graphLead.path("field_data") : inlineFields(value);
            LeadFields.Extracted f = LeadFields.extract(fields);
            LeadIntake.Accepted lead = intake.accept(new LeadIntake.NewLead(f.name(), f.phone(), f.email(), LeadIntake.Source.META, id,
                    f.subId(), f.clickId()));
            notifications.stored(id, lead.id(), clock.instant());
            meters.counter("hub.leads.meta.stored", "outcome", lead.created() ? "created" : "duplicate").increment();
        });
    }

    /**
     * Backs off, or after {@code maxAttempts} gives the notification up: INVALID with the reason, and
     * a dead letter staff see and can act on, instead of a row retried for ever.
     */
    private void backOff(String id, RuntimeException e) {
        String error = e.getMessage() == null ? e.toString() : e.getMessage();
        boolean gaveUp = Boolean.TRUE.equals(tx.execute(s -> {
            int attempts = notifications.attempts(id) + 1;
            if (attempts >= maxAttempts) {
                String reason = "gave up after " + attempts + " attempts: " + error;
                String payload = notifications.giveUp(id, attempts, reason.length() > 500 ? reason.substring(0, 500) : reason,
                        clock.instant());
                deadLetters.recordFailure("lead-meta-fetch", "meta-leadgen:" + id, payload, reason);
                return true;
            }
            long wait = Math.min(3600, (long) settings.retryBaseSeconds() << Math.min(16, attempts - 1));
            notifications.retryAt(id, attempts, clock.instant().plusSeconds(wait), error.length() > 500 ? error.substring(0, 500) : error,
                    clock.instant());
            return false;
        }));
        meters.counter("hub.leads.meta.fetch.failures").increment();
        if (gaveUp) {
            LOG.warn("Meta lead {} given up after {} attempts, marked INVALID and dead-lettered: {}", id, maxAttempts, error);
        } else {
            LOG.warn("Meta lead {} not stored; retrying later: {}", id, error);
        }
    }

    /** Fields that came with the notification: a {@code field_data} array or a flat {@code fields} object; null when there are none. */
    static JsonNode inlineFields(JsonNode value) {
        if (value.path("field_data").isArray() && !value.path("field_data").isEmpty()) {
            return value.path("field_data");
        }
        if (value.path("fields").isObject() && !value.path("fields").isEmpty()) {
            return value.path("fields");
        }
        return null;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("stored Meta payload is not JSON", e);
        }
    }

    private void verifySignature(byte[] body, String header) {
        String secret = settings.appSecret();
        if (secret == null || secret.isBlank()) {
            throw WebhookRejectedException.forbidden("META_APP_SECRET is not configured");
        }
        if (header == null || !header.startsWith("sha256=")) {
            throw WebhookRejectedException.forbidden("missing X-Hub-Signature-256");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal(body));
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    header.substring(7).trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
                throw WebhookRejectedException.forbidden("bad signature");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
