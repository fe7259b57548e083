package com.retentionhub.conversation;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Which conversations are held for answering, and when one is let go: the offer/settle protocol
 * that keeps a conversation with one worker at a time, so two quick texts never get racing replies,
 * and that never lets one go while a task of it may be unread.
 *
 * <p>An offer holds the conversation and counts itself; a read of its tasks notes the count; the
 * settle after answering them lets it go only if the count is unchanged. A task committed after the
 * read is always followed by an offer, which either finds the conversation still held (the settle
 * then fails and the holder reads again) or, once it has been let go, holds it anew.
 */
final class ReplyOffers {

    /** What an offer did. */
    enum Offered {
        /** The conversation was free: it is held now, and its tasks are to be read. */
        QUEUED,
        /** It was already held: its holder reads its tasks again before letting it go. */
        ALREADY_HELD
    }

    /** What a settle after answering a read's tasks did. */
    enum Settled {
        /** Nothing was left unread: the conversation is free, the next offer queues it. */
        LET_GO,
        /** The read was full, so more tasks may wait: still held, to be read again. */
        MORE_TASKS,
        /** An offer came in since the read, perhaps for a task it missed: still held, to be read again. */
        SUPERSEDED
    }

    /** A read of a conversation's tasks, with the offers that had been made for it by then. */
    record Read(long conversationId, long offersSeen) {}

    /** Held conversations, each with the count of offers made for it since it was last let go. */
    private final ConcurrentHashMap<Long, Long> held = new ConcurrentHashMap<>();

    Offered offer(long conversationId) {
        return held.merge(conversationId, 1L, Long::sum) == 1L ? Offered.QUEUED : Offered.ALREADY_HELD;
    }

    /** Notes the offers so far, just before the conversation's tasks are read. */
    Read read(long conversationId) {
        return new Read(conversationId, held.getOrDefault(conversationId, 0L));
    }

    /** After the read's tasks are answered; {@code full}: the read brought as many tasks as a read takes. */
    Settled settle(Read read, boolean full) {
        if (full) {
            return Settled.MORE_TASKS;
        }
        return held.remove(read.conversationId(), read.offersSeen()) ? Settled.LET_GO : Settled.SUPERSEDED;
    }

    /**
     * Lets the conversation go without answering (its read or an answer failed): its tasks stay
     * pending, and the sweep offers it again.
     */
    void giveUp(long conversationId) {
        held.remove(conversationId);
    }
}
