package com.retentionhub.conversation;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The declared IntentionFlow state machine: which moves are allowed and each state's instructions. */
public final class ConversationFlow {

    /** A move the machine does not declare. */
    public static class IllegalTransitionException extends RuntimeException {
        public IllegalTransitionException(ConversationState from, ConversationState to) {
            super("transition " + from.value() + " -> " + to.value() + " is not allowed");
        }
    }

    private final ConversationState initial;
    private final Map<ConversationState, Set<ConversationState>> transitions;
    private final Map<ConversationState, String> instructions;

    ConversationFlow(ConversationState initial, Map<ConversationState, Set<ConversationState>> transitions,
            Map<ConversationState, String> instructions) {
        this.initial = initial;
        this.transitions = new EnumMap<>(transitions);
        this.instructions = new EnumMap<>(instructions);
    }

    public ConversationState initial() {
        return initial;
    }

    public boolean allows(ConversationState from, ConversationState to) {
        return transitions.getOrDefault(from, Set.of()).contains(to);
    }

    public void check(ConversationState from, ConversationState to) {
        if (!allows(from, to)) {
            throw new IllegalTransitionException(from, to);
        }
    }

    public Set<ConversationState> allowedFrom(ConversationState from) {
        Set<ConversationState> to = transitions.get(from);
        return to == null || to.isEmpty() ? EnumSet.noneOf(ConversationState.class) : EnumSet.copyOf(to);
    }

    public String instructions(ConversationState state) {
        return instructions.get(state);
    }
}
