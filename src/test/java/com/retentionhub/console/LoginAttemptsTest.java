package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.ShiftableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginAttemptsTest {

    private final ShiftableClock clock = new ShiftableClock();
    private final LoginAttempts attempts = new LoginAttempts(new ConsoleProperties("admin", null, 3, Duration.ofMinutes(15)), clock);

    @Test
    void shouldLockAfterTheConfiguredFailuresAndUnlockWhenTheLockoutEnds() {
        attempts.failed("Admin");
        attempts.failed("admin ");
        assertThat(attempts.locked("admin")).isFalse();
        attempts.failed("admin");
        assertThat(attempts.locked("ADMIN")).isTrue();

        clock.advance(Duration.ofMinutes(16));

        assertThat(attempts.locked("admin")).isFalse();
        attempts.failed("admin");
        assertThat(attempts.locked("admin")).as("the count starts again after a lockout").isFalse();
    }

    @Test
    void shouldForgetFailuresAfterASuccessfulLogin() {
        attempts.failed("admin");
        attempts.failed("admin");
        attempts.succeeded("admin");
        attempts.failed("admin");

        assertThat(attempts.locked("admin")).isFalse();
    }
}
