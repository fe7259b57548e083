package com.retentionhub.dispatch;

import java.util.List;

/**
 * Where each queued message is written into the person's conversation, in the transaction that
 * queued it. The conversation module keeps that log; dispatch only says what it queued.
 */
public interface OutboundJournal {

    /** One queued message: {@code blocked} when consent refused it at the door. */
    record Entry(String phone, String channel, String body, boolean blocked, long outboxId) {}

    void queued(List<Entry> entries);
}
