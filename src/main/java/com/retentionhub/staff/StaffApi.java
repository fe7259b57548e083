package com.retentionhub.staff;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.contact.PhoneNumbers;
import com.retentionhub.conversation.ConversationEntries;
import com.retentionhub.conversation.ConversationFlow;
import com.retentionhub.conversation.ConversationState;
import com.retentionhub.conversation.ConversationStore;
import com.retentionhub.conversation.ManualMessages;
import com.retentionhub.conversation.StaffStateChanges;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.lead.WarmLeads;
import com.retentionhub.platform.Channel;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The staff API: manual texts, conversations and their states, consent. Problems come back as problem+json. */
@RestController
@RequestMapping("/api")
public class StaffApi {

    /** A manual text to one phone. */
    public record SendRequest(@NotBlank String phone, @NotBlank @Size(max = 1600) String body) {}

    /** A staff state change: to which state, who, and why. */
    public record StateRequest(@NotBlank String state, @NotBlank @Size(max = 200) String actor, @Size(max = 500) String reason) {}

    /** Staff-confirmed renewed consent: who confirmed it, when, and how. */
    public record ConsentRequest(@NotBlank String confirmedBy, Instant confirmedAt, @Size(max = 1000) String evidence) {}

    private final Outbox outbox;
    private final ConversationStore conversations;
    private final ConsentLedger consent;
    private final PhoneNumbers phones;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ConversationFlow flow;
    private final StaffStateChanges stateChanges;
    private final ContactStore contacts;
    private final WarmLeads warmLeads;
    private final ManualMessages manual;

    private final ConversationEntries entries;

    public StaffApi(Outbox outbox, ConversationStore conversations, ConsentLedger consent, PhoneNumbers phones,
            TransactionTemplate tx, Clock clock, ConversationFlow flow, StaffStateChanges stateChanges, ContactStore contacts,
            WarmLeads warmLeads, ManualMessages manual, ConversationEntries entries) {
        this.entries = entries;
        this.warmLeads = warmLeads;
        this.manual = manual;
        this.outbox = outbox;
        this.conversations = conversations;
        this.consent = consent;
        this.phones = phones;
        this.tx = tx;
        this.clock = clock;
        this.flow = flow;
        this.stateChanges = stateChanges;
        this.contacts = contacts;
    }

    /** A manual text to one phone; it takes the phone's conversation over (see {@link ManualMessages}). */
    @PostMapping("/messages")
    public ResponseEntity<Map<String, Object>> send(@Valid @RequestBody SendRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Principal who) {
        String phone = phone(request.phone());
        String key = ManualMessages.key(idempotencyKey);
        Outbox.Enqueued enqueued;
        try {
            enqueued = manual.send(key, phone, request.body(), Caller.of(who), null);
        } catch (ManualMessages.OptedOut e) {
            throw new ApiProblem(HttpStatus.CONFLICT, e.getMessage());
        } catch (ManualMessages.FirstContactRefused e) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
        }
        Outbox.Row row = outbox.get(enqueued.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(Map.of("outboxId", row.id(), "idempotencyKey", row.key(), "phone", row.phone(), "status", row.status()));
    }

    @GetMapping(value = "/conversations", params = "phone")
    public Map<String, Object> byPhone(@RequestParam("phone") String rawPhone) {
        String phone = phone(rawPhone);
        ConversationStore.Conversation c = conversations.byPhone(phone)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "no conversation with " + phone));
        return view(c);
    }

    @GetMapping("/conversations/{id}")
    public Map<String, Object> byId(@PathVariable("id") long id) {
        return view(conversations.byId(id).orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "no conversation " + id)));
    }

    @GetMapping("/consent/{phone}")
    public Map<String, Object> consent(@PathVariable("phone") String rawPhone) {
        String phone = phone(rawPhone);
        return Map.of("phone", phone, "channel", Channel.SMS.code(), "status", consent.current(phone, Channel.SMS.code()),
                "ledger", consent.history(phone));
    }

    @PostMapping("/consent/{phone}")
    public ResponseEntity<Map<String, Object>> renewConsent(@PathVariable("phone") String rawPhone,
            @Valid @RequestBody ConsentRequest request) {
        String phone = phone(rawPhone);
        Instant confirmedAt = request.confirmedAt() == null ? clock.instant() : request.confirmedAt();
        if (confirmedAt.isAfter(clock.instant().plusSeconds(60))) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "confirmedAt is in the future");
        }
        String evidence = request.evidence() == null ? "staff-confirmed renewed consent" : request.evidence();
        tx.executeWithoutResult(s -> {
            consent.record(new ConsentChange(phone, Channel.SMS.code(), ConsentChange.Action.OPT_IN, ConsentChange.Source.STAFF, evidence,
                    request.confirmedBy(), confirmedAt));
            stateChanges.restartAfterConsent(phone, request.confirmedBy());
        });
        return ResponseEntity.status(HttpStatus.CREATED).body(consent(phone));
    }

    @PutMapping("/conversations/{id}/state")
    public Map<String, Object> changeState(@PathVariable("id") long id, @Valid @RequestBody StateRequest request) {
        ConversationState to;
        try {
            to = ConversationState.of(request.state().trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        ConversationStore.Conversation conversation = conversations.byId(id)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "no conversation " + id));
        try {
            stateChanges.change(conversation, to, request.actor(), request.reason());
        } catch (StaffStateChanges.RefusedException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, e.getMessage());
        }
        return byId(id);
    }

    private Map<String, Object> view(ConversationStore.Conversation c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id());
        view.put("contactId", c.contactId());
        view.put("phone", c.phone());
        contacts.find(c.phone()).ifPresent(contact -> view.put("contact", contact));
        warmLeads.of(c.phone()).ifPresent(mark -> view.put("warmLead", mark));
        view.put("state", c.state());
        view.put("allowedTransitions", flow.allowedFrom(ConversationState.of(c.state())).stream().map(ConversationState::value).toList());
        if (c.escalatedReason() != null) {
            view.put("escalation", Map.of("reason", c.escalatedReason(), "at", c.escalatedAt()));
        }
        conversations.takeover(c.id()).ifPresent(t -> view.put("takenOverByStaff", t));
        view.put("createdAt", c.createdAt());
        view.put("updatedAt", c.updatedAt());
        view.put("messages", entries.of(c.id(), 500)); // with intents, holds, reasons and call reports
        view.put("stateChanges", conversations.stateChanges(c.id()));
        return view;
    }

    private String phone(String raw) {
        return phones.toE164(raw).orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST, "not a valid phone number: " + raw));
    }
}
