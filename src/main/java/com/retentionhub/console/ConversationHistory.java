package com.retentionhub.console;

import com.retentionhub.conversation.ConversationStore;
import com.retentionhub.platform.ApiAudit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A conversation's change history as staff read it: state changes (from the conversation's own log,
 * with the reason) and what people did to it (taken, handed back, written to) from the audit, each
 * with who and when, oldest first.
 */
@Component
public class ConversationHistory {

    /** One change: when, who (a console user's name, or the API key's fingerprint), what. */
    public record Change(Instant at, String who, String what) {}

    private static final List<String> ACTIONS = List.of("/console/conversations/{id}/", "/api/conversations/{id}/");
    private static final int LIMIT = 200;

    private final ApiAudit audit;
    private final Labels labels;

    public ConversationHistory(ApiAudit audit, Labels labels) {
        this.audit = audit;
        this.labels = labels;
    }

    public List<Change> of(long conversationId, Map<String, Object> view) {
        List<Change> changes = new ArrayList<>();
        if (view.get("stateChanges") instanceof List<?> states) {
            for (Object s : states) {
                if (s instanceof ConversationStore.StateChange c) {
                    changes.add(
                            new Change(c.changedAt(), c.actor(), "moved it from " + labels.state(c.from()) + " to " + labels.state(c.to())
                                    + (c.reason() == null ? "" : " (" + c.reason() + ")")));
                }
            }
        }
        for (ApiAudit.Entry e : audit.changesTo("id=" + conversationId, ACTIONS, LIMIT)) {
            String what = what(e.action());
            if (what != null) {
                changes.add(new Change(e.at(), e.user() != null ? e.user() : "API " + e.keyId(), what));
            }
        }
        changes.sort(Comparator.comparing(Change::at));
        return changes;
    }

    /** The audited action in words; state changes are left to the conversation's own log, which has the states. */
    private static String what(String action) {
        String verb = action.substring(action.lastIndexOf('/') + 1);
        return switch (verb) {
            case "take", "takeover" -> "took the conversation";
            case "handback" -> "handed it back to the AI";
            case "messages" -> "wrote to the customer";
            default -> null;
        };
    }
}
