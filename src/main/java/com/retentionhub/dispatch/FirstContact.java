package com.retentionhub.dispatch;

import com.retentionhub.platform.BusinessProfile;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The first text the business sends a person must say who it is from and how to stop (CTIA): the
 * business's name and opt-out wording ("Reply STOP to opt out"). Checked once, at queue time, for
 * every business-initiated SMS to a phone the business has never sent anything, whoever wrote it
 * (staff, a run, a sequence's first step, the model). What is missing is added when the text still
 * fits {@link #MAX_LENGTH}; otherwise the message is refused with the reason, never sent bare.
 */
final class FirstContact {

    /** Longest a first text may become with the name and opt-out wording added (two concatenated segments). */
    static final int MAX_LENGTH = 320;
    static final String OPT_OUT = "Reply STOP to opt out.";

    private static final Pattern OPT_OUT_WORDING = Pattern.compile(
            "\\b(reply|text|txt|send|respond with)\\s+\"?stop\"?\\b|\\bstop\\s+to\\s+(opt\\s*out|unsubscribe|end|quit|cancel|stop)\\b",
            Pattern.CASE_INSENSITIVE);

    /** The text to queue, or the reason it is refused (then {@code text} is the original). */
    record Decision(String text, String refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    private final String business;

    FirstContact(BusinessProfile profile) {
        this.business = profile.name();
    }

    /** A full stop before the added sentence, except after one already there or after a link, which a stop would seem to extend. */
    private static String separator(String text) {
        if (text.isEmpty() || ".!?".indexOf(text.charAt(text.length() - 1)) >= 0) {
            return text.isEmpty() ? "" : " ";
        }
        String lastWord = text.substring(text.lastIndexOf(' ') + 1);
        return lastWord.contains("://") || lastWord.startsWith("www.") ? " " : ". ";
    }

    Decision check(String body) {
        String text = body == null ? "" : body.strip();
        boolean named = text.toLowerCase(Locale.ROOT).contains(business.toLowerCase(Locale.ROOT));
        boolean optOut = OPT_OUT_WORDING.matcher(text).find();
        if (named && optOut) {
            return new Decision(body, null);
        }
        String amended = (named ? "" : business + ": ") + text + (optOut ? "" : separator(text) + OPT_OUT);
        if (amended.length() > MAX_LENGTH) {
            return new Decision(body, "refused: a first text must name " + business + " and say how to opt out (" + OPT_OUT
                    + "); with them added it would be " + amended.length() + " characters, over " + MAX_LENGTH);
        }
        return new Decision(amended, null);
    }
}
