package com.retentionhub.conversation;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.ConfigFiles.InvalidConfigException;
import java.util.EnumMap;
import java.util.Map;

/** Per-state template replies from {@code config/replies.yaml}, with the business name filled in. */
public final class ReplyTemplates {

    private final Map<ConversationState, String> byState = new EnumMap<>(ConversationState.class);

    public ReplyTemplates(Map<String, String> templates, BusinessProfile business) {
        templates.forEach((state, text) -> {
            ConversationState s;
            try {
                s = ConversationState.of(state);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("replies: unknown state '" + state + "'");
            }
            String filled = text.replace("{business}", business.name());
            if (filled.length() > ReplyText.MAX_LENGTH) {
                throw new InvalidConfigException(
                        "replies: the template for '" + state + "' is over " + ReplyText.MAX_LENGTH + " characters");
            }
            byState.put(s, filled);
        });
        for (ConversationState s : new ConversationState[] {ConversationState.START, ConversationState.INTERESTED,
                ConversationState.ACTION_SQFT, ConversationState.FOLLOW_UP}) {
            if (!byState.containsKey(s)) {
                throw new InvalidConfigException("replies: no template for state '" + s.value() + "'");
            }
        }
    }

    public String forState(ConversationState state) {
        return byState.getOrDefault(state, byState.get(ConversationState.START));
    }
}
