package com.retentionhub.console;

import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Conversation states and consent as staff say them, not as the code spells them ({@code action_sqft}, {@code NONE}). */
@Component("labels")
public class Labels {

    /** The shipped flow's states; a state added to the flow file reads as its name with spaces until it is named here. */
    private static final Map<String, String> STATES = Map.of("start", "New conversation", "interested", "Interested", "action_sqft",
            "Asked for square footage", "follow_up", "Follow up later", "pause", "With staff (assistant paused)", "stop", "Opted out",
            "done", "Done");

    public String state(String state) {
        if (state == null) {
            return "";
        }
        String known = STATES.get(state);
        if (known != null) {
            return known;
        }
        String words = state.replace('_', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** An appointment's status as staff say it: a confirmed one is booked. */
    public String appointment(String status) {
        if (status == null) {
            return "";
        }
        return "confirmed".equalsIgnoreCase(status) ? "booked" : status.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    public String consent(Object status) {
        if (status == null) {
            return "not asked";
        }
        return switch (status.toString().toUpperCase(Locale.ROOT)) {
            case "NONE" -> "not asked";
            case "OPTED_IN" -> "opted in";
            case "OPTED_OUT" -> "opted out";
            default -> status.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
