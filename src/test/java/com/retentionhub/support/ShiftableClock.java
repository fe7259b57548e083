package com.retentionhub.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs at real speed from a moment a test chooses. Everything the hub times (backoffs,
 * sweeps, reply delays) keeps working, while quiet hours and caps see the chosen local time.
 */
public final class ShiftableClock extends Clock {

    /** Where integration tests start: a Wednesday 14:00 in New York, inside every quiet-hours window. */
    public static final Instant WORKING_HOURS = Instant.parse("2026-11-18T19:00:00Z");

    private volatile Duration offset = Duration.ZERO;

    public ShiftableClock() {
        setTo(WORKING_HOURS);
    }

    /** From now on the clock reads {@code moment}, and runs on from there. */
    public void setTo(Instant moment) {
        offset = Duration.between(Instant.now(), moment);
    }

    public void advance(Duration d) {
        offset = offset.plus(d);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the hub's clock is UTC");
    }
}
