package com.retentionhub.staff;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.contact.PhoneNumbers;
import com.retentionhub.conversation.ConversationState;
import com.retentionhub.conversation.ConversationStore;
import com.retentionhub.conversation.ManualMessages;
import com.retentionhub.conversation.Outreach;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.TextFields;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Staff-started conversations, and demo texts generated for a context without sending anything. */
@RestController
@RequestMapping("/api")
public class OutreachApi {

    /** Start a conversation: to whom, which kind of first text, the customer's name if known. */
    public record StartRequest(@NotBlank String phone, @NotBlank String type, @Size(max = 200) String name) {}

    /** A demo first text. */
    public record DemoInitialRequest(@NotBlank String type, @Size(max = 200) String name) {}

    /** A demo reply for a conversation given as messages. */
    public record DemoOngoingRequest(String state, @NotNull @Size(min = 1, max = 50) List<@Valid DemoMessage> messages) {}

    /** One message of a demo conversation. */
    public record DemoMessage(@NotBlank String direction, @NotBlank @Size(max = 1600) String body) {}

    private final Outreach outreach;
    private final Outbox outbox;
    private final ConsentLedger consent;
    private final ContactStore contacts;
    private final ConversationStore conversations;
    private final PhoneNumbers phones;
    private final TransactionTemplate tx;

    public OutreachApi(Outreach outreach, Outbox outbox, ConsentLedger consent, ContactStore contacts, ConversationStore conversations,
            PhoneNumbers phones, TransactionTemplate tx) {
        this.outreach = outreach;
        this.outbox = outbox;
        this.consent = consent;
        this.contacts = contacts;
        this.conversations = conversations;
        this.phones = phones;
        this.tx = tx;
    }

    @PostMapping("/conversations")
    public ResponseEntity<Map<String, Object>> start(@Valid @RequestBody StartRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        String type = type(request.type());
        String phone = phones.toE164(request.phone()).orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST, "not a valid phone number: "
                + request.phone()));
        if (consent.current(phone, Channel.SMS.code()) == ConsentStatus.OPTED_OUT) {
            throw new ApiProblem(HttpStatus.CONFLICT,
                    "recipient has opted out; record renewed consent first (POST /api/consent/" + phone + ")");
        }
        if (idempotencyKey != null) {
            TextFields.require("Idempotency-Key", idempotencyKey.trim(), ManualMessages.MAX_KEY);
        }
        Outreach.Generated first = outreach.first(type, request.name());
        String key = "staff-start:" + (idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID() : idempotencyKey.trim());
        Outbox.Enqueued enqueued = tx.execute(s -> {
            if (request.name() != null && !request.name().isBlank()) {
                contacts.learn(phone, request.name().trim(), null);
            }
            Outbox.Enqueued e = outbox.enqueue(key, phone, first.text());
            // The text is generated anew on a retry, so the key is bound to the phone it was first used for.
            if (!e.created() && !outbox.get(e.id()).phone().equals(phone)) {
                throw new ManualMessages.KeyReused();
            }
            return e;
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversationId", conversations.byPhone(phone).map(ConversationStore.Conversation::id).orElse(null));
        body.put("outboxId", enqueued.id());
        body.put("type", type);
        body.put("text", outbox.get(enqueued.id()).body());
        body.put("source", first.source());
        return ResponseEntity.status(HttpStatus.CREATED).body(body);
    }

    @PostMapping("/demo/initial")
    public Map<String, Object> demoInitial(@Valid @RequestBody DemoInitialRequest request) {
        Outreach.Generated text = outreach.first(type(request.type()), request.name());
        return Map.of("text", text.text(), "source", text.source());
    }

    @PostMapping("/demo/ongoing")
    public Map<String, Object> demoOngoing(@Valid @RequestBody DemoOngoingRequest request) {
        ConversationState state;
        try {
            state = request.state() == null
                    ? ConversationState.START
                    : ConversationState.of(request.state().trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        List<ConversationStore.Message> messages = new ArrayList<>();
        for (DemoMessage m : request.messages()) {
            String direction = m.direction().trim().toUpperCase(Locale.ROOT);
            if (!direction.equals("IN") && !direction.equals("OUT")) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "direction must be IN (customer) or OUT (business)");
            }
            messages.add(new ConversationStore.Message(0, direction, m.body(), 1, "GSM7", null, null, "demo", null, Instant.EPOCH,
                    Instant.EPOCH));
        }
        Outreach.Generated text = outreach.next(messages, state);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text.text());
        body.put("source", text.source());
        body.put("nextState", (text.nextState() == null ? state : text.nextState()).value());
        return body;
    }

    private static String type(String raw) {
        String type = raw.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
        if (!Outreach.TYPES.contains(type)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST,
                    "unknown message type '" + raw + "'; one of " + Outreach.TYPES.stream().sorted().toList());
        }
        return type;
    }
}
