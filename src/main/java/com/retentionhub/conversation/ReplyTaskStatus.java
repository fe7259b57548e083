package com.retentionhub.conversation;

/** Where a reply task stands, as stored in {@code reply_task.status}. */
enum ReplyTaskStatus {
    /** Written with its text's processing; the workers have not answered it yet. */
    PENDING,
    /** Answered: a reply queued, an opt-out confirmed or the conversation handed to staff. */
    DONE,
    /** Passed over on purpose (a silent state, staff, an opt-out, a quiet after-hours period); the outcome says why. */
    SKIPPED
}
