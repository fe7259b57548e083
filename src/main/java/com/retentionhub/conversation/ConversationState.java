package com.retentionhub.conversation;

import java.util.Locale;

/** The IntentionFlow states a conversation can be in. */
public enum ConversationState {
    START,
    INTERESTED,
    ACTION_SQFT,
    FOLLOW_UP,
    PAUSE,
    STOP,
    DONE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
