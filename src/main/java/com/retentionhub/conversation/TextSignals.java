package com.retentionhub.conversation;

import com.retentionhub.platform.Texts;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a single text says about the customer, read deterministically: its intent, its tone, and a
 * name or email it gives. The model, when configured, may refine the intent; these never depend on it.
 */
public final class TextSignals {

    /** Intents, strongest buying signal first. */
    public enum Intent {
        BOOKING(30), SCHEDULING(25), PRICING(20), INTEREST(20), SUPPORT(5), OTHER(0);

        final int weight;

        Intent(int weight) {
            this.weight = weight;
        }
    }

    private static final Pattern BOOKING = Pattern
            .compile("\\b(book|schedule|appointment|come out|come by|set up|sign me up|demo|reserve)\\b");
    private static final Pattern SCHEDULING = Pattern.compile(
            "\\b(today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|evening|what time|when can|available)\\b");
    private static final Pattern PRICING = Pattern
            .compile("\\b(price|prices|pricing|cost|costs|how much|quote|estimate|rate|rates|fee|charge)\\b");
    private static final Pattern INTEREST = Pattern
            .compile("^(yes|yeah|yep|sure|interested|sounds good|i m interested|count me in|ok|okay)\\b");
    private static final Pattern SUPPORT = Pattern
            .compile("\\b(problem|issue|still (seeing|have)|came back|not working|complaint|invoice|bill|receipt|refund|help)\\b");
    private static final Pattern NEGATIVE = Pattern
            .compile("\\b(angry|upset|terrible|awful|worst|disappointed|annoyed|frustrated|never again|useless)\\b");
    private static final Pattern POSITIVE = Pattern
            .compile("\\b(thanks|thank you|great|awesome|perfect|love|appreciate|excellent|amazing)\\b");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern NAME = Pattern
            .compile("(?i:\\b(?:my name is|this is|i am|i'm|it's|its)\\s+)([A-Z][a-z]+(?:\\s+[A-Z][a-z]+)?)");

    private TextSignals() {}

    public static Intent intent(String text) {
        return intentOfNormalised(Texts.normalise(text));
    }

    /** For callers that already normalised the text with {@link Texts#normalise}. */
    public static Intent intentOfNormalised(String t) {
        if (BOOKING.matcher(t).find()) {
            return Intent.BOOKING;
        }
        if (PRICING.matcher(t).find()) {
            return Intent.PRICING;
        }
        if (SCHEDULING.matcher(t).find()) {
            return Intent.SCHEDULING;
        }
        if (INTEREST.matcher(t).find()) {
            return Intent.INTEREST;
        }
        return SUPPORT.matcher(t).find() ? Intent.SUPPORT : Intent.OTHER;
    }

    /** -1 negative, 0 neutral, +1 positive. */
    public static int sentiment(String text) {
        return sentimentOfNormalised(Texts.normalise(text));
    }

    public static int sentimentOfNormalised(String t) {
        return NEGATIVE.matcher(t).find() ? -1 : POSITIVE.matcher(t).find() ? 1 : 0;
    }

    public static Optional<String> email(String text) {
        if (text.indexOf('@') < 0) {
            return Optional.empty();
        }
        Matcher m = EMAIL.matcher(text);
        return m.find() ? Optional.of(m.group().toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** A name the customer gives for themselves ("this is Maria", "my name is John Smith"). */
    public static Optional<String> name(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!(lower.contains("name is") || lower.contains("this is") || lower.contains("i am") || lower.contains("i'm")
                || lower.contains("it's")
                || lower.contains("its "))) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
