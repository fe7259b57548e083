package com.retentionhub.sequence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Delays as people say them: "3 days", "12 hours", "1 day 6 hours", "at once"; and back from what an operator typed. */
public final class Delays {

    /** The longest delay a step may have: a sequence that waits longer is a different campaign. */
    public static final Duration LONGEST = Duration.ofDays(365);

    private static final Pattern PART = Pattern.compile("(\\d{1,6})\\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|w|weeks?)(?![a-z])");

    private Delays() {}

    /** The delay in words, largest unit first: 4320 minutes reads "3 days", 1830 "1 day 6 hours 30 minutes". */
    public static String spoken(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return d.isZero() ? "at once" : "-" + spoken(d.negated());
        }
        List<String> parts = new ArrayList<>();
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        add(parts, days, "day");
        add(parts, hours, "hour");
        add(parts, minutes, "minute");
        add(parts, seconds, "second");
        return String.join(" ", parts);
    }

    /** A step's delay in minutes, spoken. */
    public static String ofMinutes(long minutes) {
        return spoken(Duration.ofMinutes(minutes));
    }

    private static void add(List<String> parts, long n, String unit) {
        if (n > 0) {
            parts.add(n + " " + unit + (n == 1 ? "" : "s"));
        }
    }

    /**
     * What an operator typed ("3 days", "12h", "1 day 6 hours", "0", "at once") in minutes; an
     * {@link IllegalArgumentException} saying how to write it otherwise.
     */
    public static long parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0") || t.equals("at once") || t.equals("now") || t.equals("immediately")) {
            return 0;
        }
        Matcher m = PART.matcher(t);
        long minutes = 0;
        int end = 0;
        boolean any = false;
        while (m.find()) {
            if (!t.substring(end, m.start()).replace(",", "").replace("and", "").isBlank()) {
                throw unreadable(text);
            }
            long n = Long.parseLong(m.group(1));
            minutes += switch (m.group(2).charAt(0)) {
                case 'w' -> n * 7 * 24 * 60;
                case 'd' -> n * 24 * 60;
                case 'h' -> n * 60;
                default -> n;
            };
            end = m.end();
            any = true;
        }
        if (!any || !t.substring(end).isBlank()) {
            throw unreadable(text);
        }
        if (minutes > LONGEST.toMinutes()) {
            throw new IllegalArgumentException("delay: at most " + spoken(LONGEST) + " (\"" + text.trim() + "\" is longer)");
        }
        return minutes;
    }

    private static IllegalArgumentException unreadable(String text) {
        return new IllegalArgumentException("delay: \"" + (text == null ? "" : text.trim())
                + "\" is not a delay; write it like \"3 days\", \"12 hours\" or \"30 minutes\"");
    }

    /** The unit and value a step definition stores for this many minutes (the largest unit that divides it). */
    public static SequenceDefinition.Delay definition(long minutes) {
        if (minutes > 0 && minutes % (24 * 60) == 0) {
            return new SequenceDefinition.Delay(minutes / (24 * 60), "days");
        }
        if (minutes > 0 && minutes % 60 == 0) {
            return new SequenceDefinition.Delay(minutes / 60, "hours");
        }
        return new SequenceDefinition.Delay(minutes, "minutes");
    }
}
