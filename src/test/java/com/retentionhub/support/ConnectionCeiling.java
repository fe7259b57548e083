package com.retentionhub.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Fails the test run when the suite ever holds more than {@link #LIMIT} PostgreSQL connections at
 * once: half of the server's 100, which developers and CI share. Registered for every JUnit
 * Platform run through {@code META-INF/services}.
 *
 * <p>Every connection the suite opens carries an application name unique to this JVM
 * ({@link TestDatabase#applicationName()}), so a sample counts this run only: other engineers'
 * builds, even of this very suite, cannot push it over. The sampler's own connection carries the
 * name too, and counts.
 */
public final class ConnectionCeiling implements LauncherSessionListener {

    /** At most half of PostgreSQL's max_connections (100). */
    public static final int LIMIT = 50;
    private static final long SAMPLE_MS = 200;

    private final int limit;
    private String applicationName;

    private ScheduledExecutorService sampler;
    private Connection connection;
    private volatile int peak;
    private volatile String peakAt = "";

    public ConnectionCeiling() {
        this(Math.min(LIMIT, Integer.getInteger("hub.test.max-connections", LIMIT)), null); // lower only, to see it fire
    }

    /** {@code applicationName}: whose connections to count; null for this run's. */
    ConnectionCeiling(int limit, String applicationName) {
        this.limit = limit;
        this.applicationName = applicationName;
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (applicationName == null) {
            TestDatabase.claimApplicationName();
            applicationName = TestDatabase.applicationName();
        }
        try {
            connection = DriverManager.getConnection(TestDatabase.url(null, applicationName), TestDatabase.user(), TestDatabase.password());
        } catch (SQLException e) {
            // The tests that need the database fail on their own and say why; there is nothing to count.
            System.err.println("[connection-ceiling] cannot sample PostgreSQL, not checking: " + e.getMessage());
            return;
        }
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "connection-ceiling");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (sampler == null) {
            return;
        }
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            sample(); // the last moment too
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            // closing only
        }
        System.out
                .println("[connection-ceiling] peak PostgreSQL connections held by this run: " + peak + " (limit " + limit + ")" + peakAt);
        if (peak > limit) {
            throw new IllegalStateException(
                    "the test suite held " + peak + " PostgreSQL connections at once" + peakAt + "; the limit is " + limit
                            + " (half of max_connections): make pools smaller or close contexts sooner");
        }
    }

    /** Visible for the guard's own test. */
    int peak() {
        return peak;
    }

    private synchronized void sample() {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?")) {
            s.setString(1, applicationName);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                int now = r.getInt(1);
                if (now > peak) {
                    peak = now;
                    peakAt = " (while " + TestDatabase.runningClass() + " ran)";
                }
            }
        } catch (SQLException | RuntimeException e) {
            // A missed sample is not a verdict; the next one comes in SAMPLE_MS.
        }
    }
}
