package com.retentionhub.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * Where each queued message is written into the person's conversation, in the transaction that
 * queued it, and where its delivery status follows it there. The conversation module keeps that
 * log; dispatch only says what it queued, sent, withdrew and heard back about.
 */
public interface OutboundJournal {

    /** One queued message: {@code blocked} when consent refused it at the door. */
    record Entry(String phone, String channel, String body, boolean blocked, long outboxId) {}

    /**
     * A settled outbox row's log status: {@code provider} and {@code providerId} null keep the ones
     * the message has, {@code errorCode} replaces its code.
     */
    record Settled(long outboxId, String status, String provider, String providerId, String errorCode) {}

    void queued(List<Entry> entries);

    /** Writes the log status of a dispatched group's rows in one batched statement. */
    void settled(List<Settled> settled, Instant at);

    /** Links a sent row's message to the provider's id with its first status (a send found again after a crash). */
    void linked(long outboxId, String provider, String providerId, String status, Instant at);

    /**
     * Moves the messages with this provider id to {@code status}, only from a status in
     * {@code from} (forward only); an error code, when given, replaces theirs. Returns how many moved.
     */
    int advance(String providerId, String status, String errorCode, List<String> from, Instant at);

    /** The outbox rows whose messages carry this provider id. */
    List<Long> outboxIds(String providerId);

    /** The still-queued messages of withdrawn outbox rows become blocked. */
    void withdrawn(List<Long> outboxIds, Instant at);
}
