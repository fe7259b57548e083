package com.retentionhub.console;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locks a console user out after {@code maxFailures} wrong passwords in a row, for the lockout
 * period, counted per user name so guessing from many addresses does not help. While locked even
 * the right password is refused, so a guesser cannot tell when it found it. Kept in memory: a
 * restart forgives, which only ever shortens a lockout.
 */
public class LoginAttempts {

    private record Failures(int count, Instant lockedUntil) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final ConsoleProperties properties;
    private final Clock clock;

    public LoginAttempts(ConsoleProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    public boolean locked(String user) {
        Failures f = failures.get(key(user));
        return f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(clock.instant());
    }

    public void failed(String user) {
        failures.compute(key(user), (k, f) -> {
            int count = f == null || (f.lockedUntil() != null && !f.lockedUntil().isAfter(clock.instant())) ? 1 : f.count() + 1;
            return new Failures(count, count >= properties.maxFailures() ? clock.instant().plus(properties.lockout()) : null);
        });
    }

    public void succeeded(String user) {
        failures.remove(key(user));
    }

    private static String key(String user) {
        return user == null ? "" : user.trim().toLowerCase(Locale.ROOT);
    }
}
