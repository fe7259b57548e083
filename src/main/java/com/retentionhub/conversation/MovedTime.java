package com.retentionhub.conversation;

import com.retentionhub.platform.BusinessProfile;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * Why a requested time cannot be booked, in the words a customer expects: "we're closed Sundays",
 * "we're open 9:00-13:00 on Saturdays", "that time has passed", "that time is already booked".
 */
final class MovedTime {

    private MovedTime() {}

    static String reason(BusinessProfile business, Instant asked, Instant now, List<SlotFinder.Booked> booked) {
        ZonedDateTime local = asked.atZone(business.zone());
        DayOfWeek day = local.getDayOfWeek();
        String days = day.getDisplayName(TextStyle.FULL, Locale.US) + "s";
        String hours = business.hours().get(day.name().substring(0, 3).toLowerCase(Locale.ROOT));
        if (hours == null || "closed".equals(hours)) {
            return "we're closed " + days;
        }
        if (asked.isBefore(now)) {
            return "that time has already passed";
        }
        String[] window = hours.split("-");
        LocalTime open = LocalTime.parse(window[0]);
        LocalTime close = LocalTime.parse(window[1]);
        LocalTime start = local.toLocalTime();
        if (start.isBefore(open) || start.plus(Scheduling.LENGTH).isAfter(close) || start.plus(Scheduling.LENGTH).isBefore(start)) {
            return "we're open " + clock(open) + "-" + clock(close) + " on " + days;
        }
        boolean taken = booked.stream().anyMatch(b -> asked.isBefore(b.end()) && b.start().isBefore(asked.plus(Scheduling.LENGTH)));
        return taken ? "that time is already booked" : "that time is not available";
    }

    private static String clock(LocalTime t) {
        return t.getHour() + ":" + String.format("%02d", t.getMinute());
    }
}
