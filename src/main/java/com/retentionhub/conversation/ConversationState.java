package com.retentionhub.conversation;

import java.util.Locale;

/** The IntentionFlow states a conversation can be in. */
public enum ConversationState {
    START, INTERESTED, ACTION_SQFT, FOLLOW_UP, PAUSE, STOP, DONE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state with this stored or API name ("action_sqft"); IllegalArgumentException when there is none. */
    public static ConversationState of(String value) {
        for (ConversationState s : values()) {
            if (s.value().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown state '" + value + "'");
    }
}
