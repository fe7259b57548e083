package com.retentionhub.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Gives this test JVM a PostgreSQL database of its own, {@code <database>_run_<pid>}, created when
 * the JUnit session opens and dropped when it closes, and points {@link TestDatabase} (and through
 * it application-test.yaml) at it. Every test context cleans and rebuilds its schemas with Flyway;
 * in one shared database a second build on the machine (a colleague's, CI's) cleaned the schema
 * under the first one's running contexts and failed its inserts at random. Databases left by a
 * killed run (its process gone) are dropped at the next start. Where the user may not create
 * databases, the run stays in the configured one and says so.
 *
 * <p>The Spring contexts the tests cached are closed before the drop: left to the JVM's shutdown
 * hooks, they would outlive their database, and their routes would wait on connections that cannot
 * be made until Surefire kills the fork (30 s at the end of every run).
 */
public final class RunDatabase implements LauncherSessionListener {

    private static final String MARK = "_run_";

    private String created;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty(TestDatabase.DATABASE_PROPERTY) != null) {
            return; // claimed already (a nested launcher in this JVM)
        }
        String server = TestDatabase.serverDatabaseUrl();
        String base = server.substring(server.lastIndexOf('/') + 1);
        String name = base + MARK + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(server, TestDatabase.user(), TestDatabase.password());
                Statement s = c.createStatement()) {
            for (String stale : leftBehind(s, base)) {
                s.execute("DROP DATABASE IF EXISTS \"" + stale + "\" WITH (FORCE)");
            }
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + name + "\"");
            created = name;
            System.setProperty(TestDatabase.DATABASE_PROPERTY, server.substring(0, server.lastIndexOf('/') + 1) + name);
        } catch (SQLException e) {
            System.err.println("[run-database] cannot create a database of this run's own, using " + server + ": " + e.getMessage());
            System.setProperty(TestDatabase.DATABASE_PROPERTY, server);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (created == null) {
            return;
        }
        Contexts.closeAll();
        try (Connection c = DriverManager.getConnection(TestDatabase.serverDatabaseUrl(), TestDatabase.user(), TestDatabase.password());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + created + "\" WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("[run-database] could not drop " + created + " (the next run will): " + e.getMessage());
        }
    }

    /** Run databases of this base whose JVM is no longer running on this machine. */
    private static List<String> leftBehind(Statement s, String base) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (ResultSet r = s
                .executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + base.replace("_", "\\_") + "\\_run\\_%'")) {
            while (r.next()) {
                String name = r.getString(1);
                String pid = name.substring(name.lastIndexOf('_') + 1);
                if (pid.chars().allMatch(Character::isDigit) && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    stale.add(name);
                }
            }
        }
        return stale;
    }

    /** Remembers the Spring contexts test classes ran in (registered in META-INF/spring.factories). */
    public static final class Contexts implements TestExecutionListener {

        // Weak: a context closed by @DirtiesContext is let go; the test context cache holds the others.
        private static final Set<ConfigurableApplicationContext> STARTED = Collections
                .synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

        @Override
        public void afterTestClass(TestContext testContext) {
            if (testContext.hasApplicationContext()) {
                ApplicationContext context = testContext.getApplicationContext();
                if (context instanceof ConfigurableApplicationContext started) {
                    STARTED.add(started);
                }
            }
        }

        static void closeAll() {
            List<ConfigurableApplicationContext> open;
            synchronized (STARTED) {
                open = new ArrayList<>(STARTED);
                STARTED.clear();
            }
            open.stream().filter(ConfigurableApplicationContext::isActive).forEach(ConfigurableApplicationContext::close);
        }
    }
}
