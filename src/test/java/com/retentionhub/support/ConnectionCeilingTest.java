package com.retentionhub.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The guard on the suite's PostgreSQL connections, each case counting an application name of its own. */
class ConnectionCeilingTest {

    @Test
    void shouldFailTheRunWhenItHeldMoreConnectionsThanTheLimit() throws SQLException {
        String run = newName();
        ConnectionCeiling ceiling = new ConnectionCeiling(2, run);
        ceiling.launcherSessionOpened(null);
        List<Connection> held = open(run, 2);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ceiling.peak() == 3); // two and the sampler's own
        } finally {
            close(held);
        }

        assertThatThrownBy(() -> ceiling.launcherSessionClosed(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("held 3 PostgreSQL connections at once").hasMessageContaining("the limit is 2");
    }

    @Test
    void shouldCountOnlyTheConnectionsOfItsOwnRunWhenOthersShareTheServer() throws SQLException {
        String run = newName();
        ConnectionCeiling ceiling = new ConnectionCeiling(3, run);
        ceiling.launcherSessionOpened(null);
        List<Connection> ours = open(run, 2);
        List<Connection> theirs = open(newName(), 5); // another build of this suite on the same server
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ceiling.peak() == 3);
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> ceiling.peak() == 3);
        } finally {
            close(ours);
            close(theirs);
        }

        assertThatCode(() -> ceiling.launcherSessionClosed(null)).doesNotThrowAnyException();
        assertThat(ceiling.peak()).isEqualTo(3);
    }

    private static String newName() {
        return "ceiling-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<Connection> open(String applicationName, int n) throws SQLException {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            connections.add(
                    DriverManager.getConnection(TestDatabase.url(null, applicationName), TestDatabase.user(), TestDatabase.password()));
        }
        return connections;
    }

    private static void close(List<Connection> connections) throws SQLException {
        for (Connection c : connections) {
            c.close();
        }
    }
}
