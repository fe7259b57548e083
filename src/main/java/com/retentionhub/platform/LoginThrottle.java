package com.retentionhub.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Slows password guessing per source address with a growing wait, instead of locking a user name:
 * a lock per name lets anyone shut the only admin out, while a wait per address only slows the
 * address that guesses. What it remembers is bounded (the least recently failing addresses go first)
 * and expires, so no flood of requests can grow it. An IPv6 client is counted by its /64, the block
 * one subscriber usually holds.
 */
public class LoginThrottle {

    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    private record Failures(int count, Instant last, Instant notBefore) {}

    private final LoginProperties properties;
    private final Clock clock;
    private final Map<String, Failures> failures;

    public LoginThrottle(LoginProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.failures = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > properties.maxAddresses();
            }
        };
    }

    /** How long the address must still wait before its next password is checked; zero when it may try now. */
    public synchronized Duration waitFor(String address) {
        Failures f = current(key(address));
        if (f == null || f.notBefore() == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), f.notBefore());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** A wrong password (or an impossible user name) from the address: the wait after it doubles. */
    public synchronized void failed(String address) {
        String key = key(address);
        Failures f = current(key);
        int count = f == null ? 1 : f.count() + 1;
        Instant now = clock.instant();
        failures.put(key, new Failures(count, now, count > properties.freeFailures() ? now.plus(delay(count)) : null));
    }

    /** The right password from the address: its failures are forgiven. */
    public synchronized void succeeded(String address) {
        failures.remove(key(address));
    }

    /** Addresses remembered now (for tests and the curious). */
    public synchronized int size() {
        return failures.size();
    }

    private Duration delay(int count) {
        int doublings = Math.min(count - properties.freeFailures() - 1, 30);
        Duration delay = properties.firstDelay().multipliedBy(1L << doublings);
        return delay.compareTo(properties.maxDelay()) > 0 ? properties.maxDelay() : delay;
    }

    private Failures current(String key) {
        Failures f = failures.get(key);
        if (f != null && f.last().plus(properties.forgetAfter()).isBefore(clock.instant())) {
            failures.remove(key);
            return null;
        }
        return f;
    }

    /** The address as counted: IPv4 as is, IPv6 by its /64. */
    static String key(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        if (address.length() > 64 || address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
            // Servlet containers hand over literals; anything else is counted as given, never looked up.
            return address.length() > 64 ? address.substring(0, 64) : address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
