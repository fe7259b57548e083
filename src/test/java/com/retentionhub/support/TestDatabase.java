package com.retentionhub.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Where the tests' PostgreSQL is, and the application name every connection of this test run
 * carries, so that {@link ConnectionCeiling} counts this run's connections and nobody else's.
 * Each test JVM works in a database of its own ({@link RunDatabase}), so two builds on one server
 * never clean or fill each other's schemas.
 */
public final class TestDatabase {

    /** System property with this run's application name; application-test.yaml reads it too. */
    static final String NAME_PROPERTY = "hub.test.application-name";
    /** System property with this run's database URL (no query); application-test.yaml reads it too. */
    static final String DATABASE_PROPERTY = "hub.test.database-url";
    private static volatile String runningClass = "before the first test class";

    private TestDatabase() {}

    /** Unique to this JVM: two builds on one machine never count each other's connections. */
    static synchronized void claimApplicationName() {
        if (System.getProperty(NAME_PROPERTY) == null) {
            System.setProperty(NAME_PROPERTY, "retention-hub-test-" + ProcessHandle.current().pid());
        }
    }

    public static String applicationName() {
        return System.getProperty(NAME_PROPERTY, "retention-hub-test");
    }

    /** The test database's JDBC URL with this run's application name, in {@code schema} when one is given. */
    public static String url(String schema) {
        return url(schema, applicationName());
    }

    static String url(String schema, String applicationName) {
        return System.getProperty(DATABASE_PROPERTY, serverDatabaseUrl()) + "?ApplicationName="
                + URLEncoder.encode(applicationName, StandardCharsets.UTF_8)
                + (schema == null ? "" : "&currentSchema=" + schema);
    }

    /** The database named by TEST_DATABASE_URL (default "test" on 127.0.0.1:5432), without its query. */
    static String serverDatabaseUrl() {
        String url = System.getenv().getOrDefault("TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        return url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
    }

    public static String user() {
        return System.getenv().getOrDefault("TEST_DATABASE_USER", "postgres");
    }

    public static String password() {
        return System.getenv().getOrDefault("TEST_DATABASE_PASSWORD", "");
    }

    static String runningClass() {
        return runningClass;
    }

    /** Keeps note of the test class under way, so a breach of the ceiling names where it happened. */
    public static final class ClassTracker implements TestExecutionListener {
        @Override
        public void executionStarted(TestIdentifier test) {
            test.getSource().filter(ClassSource.class::isInstance)
                    .ifPresent(s -> runningClass = ((ClassSource) s).getClassName());
        }
    }
}
