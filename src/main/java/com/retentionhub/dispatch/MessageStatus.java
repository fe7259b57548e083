package com.retentionhub.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Delivery statuses and the order they move in. Callbacks arrive late, twice and out of order, so
 * a status only ever moves forward; delivered, undelivered, failed, read, replied and canceled are
 * final (read may still follow delivered, and replied either).
 */
public final class MessageStatus {

    private static final List<String> ORDER = List.of("queued", "accepted", "scheduled", "sending", "sent");
    private static final Set<String> TERMINAL = Set.of("delivered", "undelivered", "failed", "read", "replied", "canceled");

    public static final String DELIVERED = "delivered";

    private MessageStatus() {}

    /** A final status that means the message did not arrive. */
    public static boolean isFailure(String status) {
        return "failed".equals(status) || "undelivered".equals(status) || "canceled".equals(status);
    }

    public static boolean isKnown(String status) {
        return ORDER.contains(status) || TERMINAL.contains(status);
    }

    public static boolean canMove(String from, String to) {
        if (from.equals(to)) {
            return false;
        }
        if (TERMINAL.contains(from)) {
            // Engagement still follows delivery: read (an SMS read receipt, an email opened), then replied.
            return (from.equals("delivered") && (to.equals("read") || to.equals("replied")))
                    || (from.equals("read") && to.equals("replied"));
        }
        if (TERMINAL.contains(to)) {
            return true;
        }
        int f = ORDER.indexOf(from);
        int t = ORDER.indexOf(to);
        return t > f;
    }

    /** Every status a message may be in for {@code to} to be a move forward (used in SQL). */
    public static List<String> predecessorsOf(String to) {
        List<String> from = new ArrayList<>();
        for (String s : ORDER) {
            if (canMove(s, to)) {
                from.add(s);
            }
        }
        for (String s : TERMINAL) {
            if (canMove(s, to)) {
                from.add(s);
            }
        }
        return from;
    }

    public static String normalise(String providerStatus) {
        return providerStatus == null ? null : providerStatus.trim().toLowerCase(Locale.ROOT);
    }
}
