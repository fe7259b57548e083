package com.retentionhub.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces sends evenly: at {@code rate} per second, one send every {@code 1/rate} seconds per key
 * (a provider, a sender number). Evenly spaced slots never put more than {@code rate} sends into
 * any one-second window, which a per-second bucket would (a burst at the end of one second and
 * another at the start of the next). Slots are handed out in order across threads.
 */
public final class Pacer {

    private final Map<String, long[]> nextSlot = new ConcurrentHashMap<>();

    /**
     * Reserves the next slot for all of {@code keys} at once (a send must fit the provider's pace and
     * its sender number's) and returns when it is, in {@link System#nanoTime()} terms.
     *
     * @param rates sends per second per key, parallel to keys; 0 or less means unpaced
     */
    public synchronized long reserve(String[] keys, double[] rates) {
        long now = System.nanoTime();
        long slot = now;
        for (int i = 0; i < keys.length; i++) {
            if (rates[i] > 0) {
                long[] next = nextSlot.computeIfAbsent(keys[i], k -> new long[] {now});
                slot = Math.max(slot, next[0]);
            }
        }
        for (int i = 0; i < keys.length; i++) {
            if (rates[i] > 0) {
                nextSlot.get(keys[i])[0] = slot + (long) Math.ceil(1_000_000_000d / rates[i]);
            }
        }
        return slot;
    }

    /** Sleeps until a reserved slot; answers how long that was, in nanoseconds (0 when the slot had come). */
    public static long awaitSlot(long slotNanos) throws InterruptedException {
        long wait = slotNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        return Math.max(0, wait);
    }
}
