package com.retentionhub.conversation;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.TextFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A text staff write by hand. It takes the conversation over: the AI stays quiet for
 * {@code hub.conversation.staff-takeover-minutes} (or until staff hand it back), so a customer never
 * gets a bot answer on top of a person's.
 */
@Component
public class ManualMessages {

    /** The phone opted out: nothing is queued until renewed consent is recorded. */
    public static class OptedOut extends RuntimeException {
        public OptedOut(String phone) {
            super("recipient has opted out; record renewed consent first (POST /api/consent/" + phone + ")");
        }
    }

    private final Outbox outbox;
    private final ConsentLedger consent;
    private final ConversationStore conversations;
    private final InboundLog inbound;
    private final Clock clock;
    private final Duration takeover;

    public ManualMessages(Outbox outbox, ConsentLedger consent, ConversationStore conversations, InboundLog inbound, Clock clock,
            @Value("${hub.conversation.staff-takeover-minutes:60}") long takeoverMinutes) {
        this.outbox = outbox;
        this.consent = consent;
        this.conversations = conversations;
        this.inbound = inbound;
        this.clock = clock;
        this.takeover = Duration.ofMinutes(takeoverMinutes);
    }

    /** A first text to a phone that cannot carry the business's name and opt-out wording: nothing is queued. */
    public static class FirstContactRefused extends RuntimeException {
        public FirstContactRefused(String reason) {
            super(reason);
        }
    }

    /** An Idempotency-Key already used for another phone or text: the key is bound to its first payload. */
    public static class KeyReused extends RuntimeException {
        public KeyReused() {
            super("Idempotency-Key was already used with a different phone or body");
        }
    }

    /** The longest Idempotency-Key taken: the outbox key (200) less its prefix, with room to spare. */
    public static final int MAX_KEY = 128;

    /** The outbox key of a manual text: the caller's Idempotency-Key, else a fresh one. */
    public static String key(String idempotencyKey) {
        if (idempotencyKey != null) {
            TextFields.require("Idempotency-Key", idempotencyKey.trim(), MAX_KEY);
        }
        return "manual:" + (idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID() : idempotencyKey.trim());
    }

    /**
     * Queues the text and takes the conversation over. Inside a live exchange (the customer texted in
     * the last 24 hours) it is an answer, exempt from the daily caps like the bot's; otherwise a
     * business-initiated message under every cap and quiet hour.
     *
     * @param minutes how long the AI stays quiet; null for the configured default, 0 until handed back
     */
    @Transactional
    public Outbox.Enqueued send(String key, String phone, String body, String by, Integer minutes) {
        if (consent.current(phone, Channel.SMS.code()) == ConsentStatus.OPTED_OUT) {
            throw new OptedOut(phone);
        }
        Instant now = clock.instant();
        String purpose = inbound.countAfter(phone, now.minus(Duration.ofHours(24))) > 0 ? Outbox.REPLY : Outbox.MESSAGE;
        Outbox.Message message = Outbox.Message.sms(key, phone, body).withPurpose(purpose);
        outbox.firstContactRefusal(message).ifPresent(reason -> {
            throw new FirstContactRefused(reason);
        });
        Outbox.Enqueued enqueued = outbox.enqueue(message);
        if (!enqueued.created()) {
            Outbox.Row first = outbox.get(enqueued.id());
            if (!first.phone().equals(phone) || !outbox.holds(first, body)) {
                throw new KeyReused();
            }
        }
        conversations.byPhone(phone).ifPresent(c -> conversations.takeOver(c.id(), by, until(now, minutes)));
        return enqueued;
    }

    /** Takes a conversation over without writing. */
    public void takeOver(long conversationId, String by, Integer minutes) {
        conversations.takeOver(conversationId, by, until(clock.instant(), minutes));
    }

    private Instant until(Instant now, Integer minutes) {
        if (minutes != null && minutes == 0) {
            return Instant.parse("9999-12-31T00:00:00Z"); // until staff hand it back
        }
        return now.plus(minutes == null ? takeover : Duration.ofMinutes(minutes));
    }
}
