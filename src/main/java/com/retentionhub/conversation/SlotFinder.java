package com.retentionhub.conversation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Finds the slot to propose: the requested start if it is inside business hours, in the future and
 * free; otherwise the next free start on the half hour that is. Appointments last {@code length}.
 */
public final class SlotFinder {

    /** An appointment already booked. */
    public record Booked(Instant start, Instant end) {}

    private static final Duration STEP = Duration.ofMinutes(30);
    private static final int SEARCH_DAYS = 14;

    private final BusinessHours hours;
    private final ZoneId zone;
    private final Duration length;

    public SlotFinder(BusinessHours hours, ZoneId zone, Duration length) {
        this.hours = hours;
        this.zone = zone;
        this.length = length;
    }

    public Optional<Instant> propose(RequestedTime requested, Instant now, List<Booked> booked) {
        ZonedDateTime candidate = requested.date().atTime(requested.earliest()).atZone(zone);
        ZonedDateTime limit = candidate.plusDays(SEARCH_DAYS);
        if (candidate.toInstant().isBefore(now)) {
            candidate = roundUp(now.atZone(zone));
        }
        while (candidate.isBefore(limit)) {
            Instant start = candidate.toInstant();
            Instant end = start.plus(length);
            if (hours.isOpen(start) && hours.isOpen(end.minusSeconds(1)) && free(start, end, booked)) {
                return Optional.of(start);
            }
            candidate = candidate.plus(STEP);
        }
        return Optional.empty();
    }

    private static boolean free(Instant start, Instant end, List<Booked> booked) {
        for (Booked b : booked) {
            if (start.isBefore(b.end()) && b.start().isBefore(end)) {
                return false;
            }
        }
        return true;
    }

    private static ZonedDateTime roundUp(ZonedDateTime t) {
        ZonedDateTime hour = t.withMinute(0).withSecond(0).withNano(0);
        return t.getMinute() == 0 && t.getSecond() == 0 ? hour : hour.plusMinutes(t.getMinute() < 30 ? 30 : 60);
    }
}
