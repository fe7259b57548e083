package com.retentionhub.conversation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The stored inbound texts as processing needs them: claimed once, counted per phone. Ingress keeps
 * them (it stores each text before the webhook answers, so it owns {@code inbound_event}) and
 * implements this; conversation, which ingress hands texts to, never names ingress.
 */
public interface InboundLog {

    /** One stored text of a phone. */
    record Received(String phone, long id, Instant at) {}

    /**
     * Locks these events, marks those not processed yet as processed at {@code at}, and returns their
     * ids. Call in the transaction that applies them, so the mark commits with their effects.
     */
    Collection<Long> claim(Collection<Long> eventIds, Instant at);

    /** The texts of these phones received after {@code after} whose id is at most {@code upToId}. */
    List<Received> receivedAfter(Collection<String> phones, Instant after, long upToId);

    /** How many texts the phone sent after {@code after}. */
    int countAfter(String phone, Instant after);

    /** The ids of every text the phone sent. */
    List<Long> ids(String phone);
}
