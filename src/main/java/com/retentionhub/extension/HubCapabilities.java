package com.retentionhub.extension;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.contact.PhoneNumbers;
import com.retentionhub.conversation.StaffStateChanges;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.TextFields;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the {@code hub:} endpoints do, through the same module APIs as the staff API behind them
 * ({@code POST /api/leads}, {@code POST /api/messages}, {@code GET/POST /api/consent/{phone}}): a
 * route gets the hub's validation, transactions and policies, and never a table. Input is a map
 * (a JSON object); answers are maps, documented in docs/extending.md.
 */
@Component
public class HubCapabilities {

    /** The longest idempotency key a route may give (the hub prefixes it with {@code ext:}). */
    static final int MAX_KEY = 200;

    /** The fields each endpoint reads from its body; docs/extending.md lists the same (a test checks). */
    static final Map<String, List<String>> BODY_FIELDS = Map.of(
            "leads", List.of("name", "phone", "email", "subId", "clickId", "externalId"),
            "messages", List.of("phone", "text"),
            "consent", List.of("phone", "evidence", "actor"));

    private final LeadIntake leads;
    private final Outbox outbox;
    private final ConsentLedger consent;
    private final StaffStateChanges stateChanges;
    private final ContactStore contacts;
    private final PhoneNumbers phones;
    private final TransactionTemplate tx;
    private final Clock clock;

    public HubCapabilities(LeadIntake leads, Outbox outbox, ConsentLedger consent, StaffStateChanges stateChanges,
            ContactStore contacts, PhoneNumbers phones, TransactionTemplate tx, Clock clock) {
        this.leads = leads;
        this.outbox = outbox;
        this.consent = consent;
        this.stateChanges = stateChanges;
        this.contacts = contacts;
        this.phones = phones;
        this.tx = tx;
        this.clock = clock;
    }

    /** As {@code POST /api/leads}: normalised, deduplicated, assigned to campaigns; {id, duplicate, campaigns}. */
    public Map<String, Object> takeLead(Map<String, Object> body, String source) {
        LeadIntake.Source from = source(source);
        LeadIntake.Accepted lead;
        try {
            lead = leads.accept(new LeadIntake.NewLead(text(body, "name", 200), text(body, "phone", 40), text(body, "email", 320), from,
                    text(body, "externalId", 100), text(body, "subId", 200), text(body, "clickId", 200)));
        } catch (LeadIntake.InvalidLead e) {
            throw HubRefusedException.badInput(e.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", lead.id());
        answer.put("duplicate", !lead.created());
        answer.put("campaigns", lead.campaigns());
        return answer;
    }

    /**
     * Queues a text through the outbox, so dispatch applies consent (again, at the last hop), quiet
     * hours, caps and pacing; {outboxId, idempotencyKey, status, duplicate}. An opted-out phone is
     * refused here, before anything is queued.
     */
    public Map<String, Object> queueMessage(Map<String, Object> body, String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw HubRefusedException
                    .badInput("header " + HubHeaders.IDEMPOTENCY_KEY + " is required: the same key never queues a second message");
        }
        String key = "ext:" + require(HubHeaders.IDEMPOTENCY_KEY, idempotencyKey.trim(), MAX_KEY);
        String phone = phone(body);
        String text = require("text", text(body, "text", 1600), 1600);
        if (consent.current(phone, Channel.SMS.code()) == ConsentStatus.OPTED_OUT) {
            throw HubRefusedException.conflict("recipient " + phone + " has opted out; nothing was queued");
        }
        Outbox.Enqueued enqueued = tx.execute(s -> {
            Outbox.Enqueued e = outbox.enqueue(Outbox.Message.sms(key, phone, text));
            Outbox.Row row = outbox.get(e.id());
            if (!e.created() && !(row.phone().equals(phone) && outbox.holds(row, text))) {
                throw HubRefusedException.conflict(HubHeaders.IDEMPOTENCY_KEY + " was already used with a different phone or text");
            }
            return e;
        });
        Outbox.Row row = outbox.get(enqueued.id());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outboxId", row.id());
        answer.put("idempotencyKey", row.key());
        answer.put("status", row.status());
        answer.put("duplicate", !enqueued.created());
        return answer;
    }

    /**
     * Records a consent change with its evidence and who recorded it, as the staff API does (an
     * opt-in also restarts the conversation the opt-out ended); answers with the lookup.
     */
    public Map<String, Object> changeConsent(Map<String, Object> body, String action) {
        String phone = phone(body);
        String evidence = require("evidence", text(body, "evidence", 1000), 1000);
        String actor = require("actor", text(body, "actor", 200), 200);
        ConsentChange.Action what = switch (action.trim().toLowerCase(Locale.ROOT)) {
            case "opt-in" -> ConsentChange.Action.OPT_IN;
            case "opt-out" -> ConsentChange.Action.OPT_OUT;
            default -> throw HubRefusedException.badInput(HubHeaders.CONSENT_ACTION + " must be lookup, opt-in or opt-out");
        };
        tx.executeWithoutResult(s -> {
            consent.record(new ConsentChange(phone, Channel.SMS.code(), what, ConsentChange.Source.API, evidence, actor, clock.instant()));
            if (what == ConsentChange.Action.OPT_IN) {
                stateChanges.restartAfterConsent(phone, actor);
            }
        });
        return lookUp(body);
    }

    /** A contact and its consent: {phone, status, contact {name, email, leadScore} or absent, ledger [...]}. */
    public Map<String, Object> lookUp(Map<String, Object> body) {
        String phone = phone(body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("phone", phone);
        answer.put("channel", Channel.SMS.code());
        answer.put("status", consent.current(phone, Channel.SMS.code()).name());
        contacts.find(phone).ifPresent(c -> {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("name", c.name());
            contact.put("email", c.email());
            contact.put("leadScore", c.leadScore());
            answer.put("contact", contact);
        });
        answer.put("ledger", consent.history(phone));
        return answer;
    }

    private String phone(Map<String, Object> body) {
        String raw = require("phone", text(body, "phone", 40), 40);
        return phones.toE164(raw).orElseThrow(() -> HubRefusedException.badInput("phone is not a valid number"));
    }

    private static LeadIntake.Source source(String raw) {
        if (raw == null || raw.isBlank()) {
            return LeadIntake.Source.API;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "api" -> LeadIntake.Source.API;
            case "manual" -> LeadIntake.Source.MANUAL;
            case "bulk" -> LeadIntake.Source.BULK;
            case "import" -> LeadIntake.Source.IMPORT;
            default -> throw HubRefusedException.badInput(HubHeaders.LEAD_SOURCE + " must be api, manual, bulk or import");
        };
    }

    /** A field as text (numbers too), or null; longer than {@code max} is refused, not cut. */
    private static String text(Map<String, Object> body, String field, int max) {
        Object v = body.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof Collection) {
            throw HubRefusedException.badInput(field + " must be text");
        }
        String s = v.toString();
        if (s.length() > max) {
            throw HubRefusedException.badInput(field + " is longer than " + max + " characters");
        }
        return s;
    }

    private static String require(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw HubRefusedException.badInput(field + " is required");
        }
        try {
            return TextFields.require(field, value, max);
        } catch (TextFields.InvalidText e) {
            throw HubRefusedException.badInput(e.getMessage());
        }
    }
}
