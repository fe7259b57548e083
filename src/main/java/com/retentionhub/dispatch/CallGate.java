package com.retentionhub.dispatch;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The last check before a provider call, per key (a provider, a sender number): calls start evenly
 * spaced at the rate, and no one-second window (widened by a margin for the jitter between here
 * and the provider) ever holds more than the rate's number of starts. Spacing alone lets two
 * calls bunch when one starts late; the window count does not.
 */
final class CallGate {

    /** Extra width of the window: what the thread wake-up and the connection may add before the provider sees the call. */
    static final long MARGIN_NANOS = 25_000_000L;
    /** A call that wakes later than this after its slot takes a new one, so the window count stays true. */
    static final long LATE_NANOS = 10_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private static final class Window {
        long nextSlot;
        long[] starts = new long[0];
        int oldest;
    }

    private final Map<String, Window> windows = new HashMap<>();

    /**
     * Reserves the earliest start that keeps every key inside its pace and returns it, in
     * {@link System#nanoTime()} terms.
     *
     * @param rates calls per second per key, parallel to keys; 0 or less means unpaced
     */
    synchronized long reserve(String[] keys, double[] rates) {
        long now = System.nanoTime();
        long start = now;
        for (int i = 0; i < keys.length; i++) {
            if (rates[i] > 0) {
                Window w = window(keys[i], rates[i], now);
                start = Math.max(start, w.nextSlot);
                start = Math.max(start, w.starts[w.oldest] + SECOND + MARGIN_NANOS);
            }
        }
        for (int i = 0; i < keys.length; i++) {
            if (rates[i] > 0) {
                Window w = windows.get(keys[i]);
                w.nextSlot = start + (long) Math.ceil(SECOND / rates[i]);
                w.starts[w.oldest] = start;
                w.oldest = (w.oldest + 1) % w.starts.length;
            }
        }
        return start;
    }

    /** Waits for a start that is on time: a reservation woken up late is given up for the next one. */
    void await(String[] keys, double[] rates) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long start = reserve(keys, rates);
            try {
                Pacer.awaitSlot(start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (System.nanoTime() - start <= LATE_NANOS) {
                return;
            }
        }
    }

    private Window window(String key, double rate, long now) {
        int capacity = (int) Math.max(1, Math.floor(rate));
        Window w = windows.computeIfAbsent(key, k -> new Window());
        if (w.starts.length != capacity) {
            w.starts = new long[capacity];
            Arrays.fill(w.starts, now - 2 * SECOND);
            w.oldest = 0;
            w.nextSlot = now;
        }
        return w;
    }
}
