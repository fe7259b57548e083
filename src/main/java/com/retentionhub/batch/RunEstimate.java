package com.retentionhub.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What a run still waits for and when it should be through, from its pace, its {@code maxActive}
 * (conversations awaiting a reply, each freed by a reply or by the reply window), its daily cap and
 * the messages the outbox holds. Times are read in the business's time zone, as staff plan in it.
 */
final class RunEstimate {

    /** Messages of the run the outbox holds for one reason (quiet hours, a cap, a drain), the last until when. */
    record Held(String reason, int count, Instant until) {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM H:mm", Locale.ROOT);

    private final Instant now;
    private final ZoneId zone;
    private final int pace;
    private final Integer maxActive;
    private final int active;
    private final int replyWindowMinutes;
    private final Integer dailyCap;
    private final int handedToday;

    RunEstimate(Instant now, ZoneId zone, int pace, Integer maxActive, int active, int replyWindowMinutes, Integer dailyCap,
            int handedToday) {
        this.now = now;
        this.zone = zone;
        this.pace = Math.max(1, pace);
        this.maxActive = maxActive;
        this.active = active;
        this.replyWindowMinutes = replyWindowMinutes;
        this.dailyCap = dailyCap;
        this.handedToday = handedToday;
    }

    /**
     * When the last of {@code queued} targets should be handed over: the pace alone, but no sooner than
     * {@code maxActive} allows (each full round waits up to the reply window) and the daily cap allows
     * (what exceeds today's cap goes on the following days); then no sooner than the last held message.
     */
    Instant eta(int queued, Instant lastHeld) {
        Instant eta = now.plusMillis((long) queued * 60_000L / pace);
        if (maxActive != null && maxActive > 0 && queued > 0) {
            int free = Math.max(0, maxActive - active);
            long rounds = ceil(Math.max(0, queued - free), maxActive);
            eta = later(eta, now.plus(Duration.ofMinutes(rounds * replyWindowMinutes)));
        }
        if (dailyCap != null && dailyCap > 0 && queued > 0) {
            int leftToday = Math.max(0, dailyCap - handedToday);
            if (queued > leftToday) {
                long days = ceil(queued - leftToday, dailyCap);
                int lastDay = (int) ((queued - leftToday) - (days - 1) * dailyCap);
                Instant lastDayStart = LocalDate.ofInstant(now, zone).plusDays(days).atStartOfDay(zone).toInstant();
                eta = later(eta, lastDayStart.plusMillis((long) lastDay * 60_000L / pace));
            }
        }
        return lastHeld == null ? eta : later(eta, lastHeld);
    }

    /** Why a running run is not done: "waiting: 1 held for quiet hours until 8:00", and what is not handed over yet. */
    String waiting(int queued, List<Held> held) {
        StringBuilder why = new StringBuilder();
        for (Held h : held) {
            why.append(why.isEmpty() ? "" : "; ").append(h.count()).append(" held for ").append(stripHeld(h.reason()));
            if (h.until() != null) {
                why.append(" until ").append(at(h.until()));
            }
        }
        if (queued > 0) {
            why.append(why.isEmpty() ? "" : "; ").append(queued).append(" not handed over yet: ").append(whyNotHanded());
        }
        return why.isEmpty() ? null : "waiting: " + why;
    }

    /** Why the run's queued targets are not handed over now: the daily cap, maxActive, or only the pace. */
    String whyNotHanded() {
        if (dailyCap != null && handedToday >= dailyCap) {
            return "daily cap of " + dailyCap + " reached; continues "
                    + at(LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant());
        }
        if (maxActive != null && active >= maxActive) {
            return active + " conversations awaiting a reply (maxActive " + maxActive + "); the next goes when one replies or its "
                    + replyWindowMinutes + "-minute reply window ends";
        }
        return "in line at " + pace + " a minute";
    }

    /**
     * A target's outcome and its reason, from the target's own status until it is handed over and from
     * its outbox row after: {sent | held | queued | sending | waiting | skipped | failed | cancelled, reason}.
     */
    static String[] outcome(String target, String targetReason, String outbox, String heldReason, String lastError,
            String notHandedReason) {
        switch (target) {
            case "QUEUED" :
                return new String[] {"waiting", notHandedReason};
            case "SKIPPED" :
                return new String[] {"skipped", targetReason};
            case "CANCELLED" :
                return new String[] {"cancelled", "run cancelled"};
            default :
                break;
        }
        if (outbox == null) {
            return new String[] {"sending", null};
        }
        return switch (outbox) {
            case "SENT" -> new String[] {"sent", null};
            case "SIMULATED" -> new String[] {"sent", "simulated: outbound is not live"};
            case "PENDING" -> heldReason != null ? new String[] {"held", stripHeld(heldReason)} : new String[] {"queued", null};
            case "SENDING", "UNKNOWN" -> new String[] {"sending", null};
            case "BLOCKED" -> new String[] {"skipped", lastError != null ? lastError : heldReason};
            default -> new String[] {"failed", lastError}; // FAILED, EXPIRED
        };
    }

    private static String stripHeld(String reason) {
        return reason != null && reason.startsWith("held: ") ? reason.substring(6) : reason;
    }

    /** "8:00" today, "Thu 19 Nov 8:00" on another day, in the business's time zone. */
    private String at(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        return local.toLocalDate().equals(LocalDate.ofInstant(now, zone)) ? TIME.format(local) : DAY_TIME.format(local);
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
