package com.retentionhub.conversation;

/** The reply to send, where it came from, and a state move, escalation, opt-out or booking to apply with it. */
record Reply(String text, ConversationState nextState, String source, String escalation, boolean optOut, Scheduling.Plan booking) {

    /** The source of a model's answer; the AI turn cap counts the tasks finished with it. */
    static final String FROM_MODEL = "ai";
    /** The source of the one after-hours answer per closed period; later texts in the period look for it. */
    static final String AFTER_HOURS = "after-hours";

    Reply(String text, ConversationState nextState, String source, String escalation, boolean optOut) {
        this(text, nextState, source, escalation, optOut, null);
    }

    /** A text to send and nothing more: no opt-out, escalation or booking to apply first, so it can be written with others. */
    boolean plain() {
        return text != null && escalation == null && !optOut && booking == null;
    }
}
