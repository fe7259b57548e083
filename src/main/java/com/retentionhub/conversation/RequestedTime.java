package com.retentionhub.conversation;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time a customer asks for in plain words, resolved in the business's time zone: "tomorrow at
 * 2pm", "next Tuesday morning", "Friday after 3", "today at 4:30". {@code earliest} is the start
 * they asked for; a part of the day ("morning") starts at its first hour.
 */
public record RequestedTime(LocalDate date, LocalTime earliest) {

    private static final Pattern DAY = Pattern.compile(
            "\\b(today|tonight|tomorrow|tmrw|(next |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun))\\b");
    private static final Pattern CLOCK = Pattern
            .compile("\\b(at|after|around|by|@)?\\s*(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?\\b");
    private static final Pattern PART = Pattern.compile("\\b(morning|afternoon|evening|noon|midday)\\b");

    /** Empty when the text names no day (a bare "at 3" is too vague to book). */
    public static Optional<RequestedTime> parse(String text, ZonedDateTime now) {
        String t = text.toLowerCase(Locale.ROOT);
        Matcher day = DAY.matcher(t);
        if (!day.find()) {
            return Optional.empty();
        }
        LocalDate date = date(day, now.toLocalDate());
        LocalTime time = clock(t.substring(day.end()) + " " + t.substring(0, day.start())).orElse(null);
        if (time == null) {
            Matcher part = PART.matcher(t);
            time = part.find() ? switch (part.group(1)) {
                case "morning" -> LocalTime.of(9, 0);
                case "afternoon" -> LocalTime.of(13, 0);
                case "evening" -> LocalTime.of(17, 0);
                default -> LocalTime.NOON;
            } : day.group(1).equals("tonight") ? LocalTime.of(17, 0) : LocalTime.of(8, 0);
        }
        return Optional.of(new RequestedTime(date, time));
    }

    private static LocalDate date(Matcher day, LocalDate today) {
        String word = day.group(1);
        if (word.equals("today") || word.equals("tonight")) {
            return today;
        }
        if (word.equals("tomorrow") || word.equals("tmrw")) {
            return today.plusDays(1);
        }
        DayOfWeek dow = dayOfWeek(day.group(3));
        LocalDate next = today.with(TemporalAdjusters.next(dow));
        // "next Tuesday" said on a Monday means the day after tomorrow, not in eight days; only
        // when the plain next one is today or tomorrow does "next" push it a week further.
        if (day.group(2) != null && day.group(2).startsWith("next") && !next.isAfter(today.plusDays(1))) {
            return next.plusWeeks(1);
        }
        return next;
    }

    private static Optional<LocalTime> clock(String text) {
        Matcher m = CLOCK.matcher(text);
        while (m.find()) {
            String marker = m.group(1);
            String meridiem = m.group(4);
            if (marker == null && meridiem == null) {
                continue; // a bare number ("2 rooms") is not a time
            }
            int hour = Integer.parseInt(m.group(2));
            int minute = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            if (hour > 23 || minute > 59) {
                continue;
            }
            if (meridiem != null && meridiem.startsWith("p") && hour < 12) {
                hour += 12;
            } else if (meridiem != null && meridiem.startsWith("a") && hour == 12) {
                hour = 0;
            } else if (meridiem == null && hour >= 1 && hour <= 7) {
                hour += 12; // "after 3", "at 4": service calls are in the afternoon, not at 3 a.m.
            }
            return Optional.of(LocalTime.of(hour, minute));
        }
        return Optional.empty();
    }

    private static DayOfWeek dayOfWeek(String word) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(word.substring(0, 3))) {
                return d;
            }
        }
        throw new IllegalArgumentException(word);
    }
}
