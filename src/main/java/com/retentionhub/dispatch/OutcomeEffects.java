package com.retentionhub.dispatch;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.Channel;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What a send's outcome means beyond its own row, written in the same transaction: an opt-out the
 * provider reported, a phone the provider says is invalid, and the business events
 * {@code message.sent} and {@code message.failed}.
 */
@Component
class OutcomeEffects {

    private final ConsentLedger consent;
    private final ContactStore contacts;
    private final BusinessEvents events;
    private final Clock clock;

    OutcomeEffects(ConsentLedger consent, ContactStore contacts, BusinessEvents events, Clock clock) {
        this.consent = consent;
        this.contacts = contacts;
        this.events = events;
        this.clock = clock;
    }

    void apply(Outbox.Row row, Outcome o) {
        publish(row, o);
        ProviderError.Kind kind = o.failure();
        if (kind == ProviderError.Kind.OPTED_OUT) {
            consent.record(new ConsentChange(row.phone(), row.channel(), ConsentChange.Action.OPT_OUT, ConsentChange.Source.PROVIDER,
                    "provider error " + o.errorCode(), o.provider(), clock.instant()));
        } else if (kind == ProviderError.Kind.INVALID_RECIPIENT && Channel.isTelephonic(row.channel())) {
            contacts.markInvalid(row.phone()); // a bad email address says nothing about the phone
        }
    }

    /** message.sent for a send that left (or was simulated), message.failed for one given up on. */
    private void publish(Outbox.Row row, Outcome o) {
        if (!events.recording()) {
            return; // the facts are not even gathered on the send path while no one listens
        }
        if (o.sent()) {
            events.publish(BusinessEvents.Type.MESSAGE_SENT, row.key(), row.phone(), row.channel(), sendFacts(row, o,
                    "simulated", Outbox.SIMULATED.equals(o.status())));
        } else if (Outbox.FAILED.equals(o.status())) {
            events.publish(BusinessEvents.Type.MESSAGE_FAILED, row.key(), row.phone(), row.channel(),
                    sendFacts(row, o, "reason", o.detail()));
        }
    }

    private static Map<String, Object> sendFacts(Outbox.Row row, Outcome o, String extraName, Object extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("outboxId", row.id());
        data.put("idempotencyKey", row.key());
        data.put("purpose", row.purpose());
        data.put("campaign", row.campaign());
        data.put("provider", o.provider());
        data.put("providerId", o.providerId());
        data.put("errorCode", o.errorCode());
        data.put(extraName, extra);
        return data;
    }
}
