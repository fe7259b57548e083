package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.ShiftableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final ShiftableClock clock = new ShiftableClock();
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginProperties(5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1), 100), clock);

    @Test
    void shouldDoubleTheWaitAfterTheFreeFailuresUpToTheMaximum() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("203.0.113.7");
            assertThat(throttle.waitFor("203.0.113.7")).as("failure %d is free", i + 1).isZero();
        }
        throttle.failed("203.0.113.7");
        assertThat(seconds(throttle.waitFor("203.0.113.7"))).isEqualTo(1);
        throttle.failed("203.0.113.7");
        assertThat(seconds(throttle.waitFor("203.0.113.7"))).isEqualTo(2);
        for (int i = 0; i < 20; i++) {
            throttle.failed("203.0.113.7");
        }
        assertThat(seconds(throttle.waitFor("203.0.113.7"))).isEqualTo(300);

        clock.advance(Duration.ofMinutes(5));

        assertThat(throttle.waitFor("203.0.113.7")).as("a wait, not a lock").isZero();
        assertThat(throttle.waitFor("198.51.100.1")).as("another address is not slowed").isZero();
    }

    @Test
    void shouldForgiveAnAddressOnSuccessAndForgetItAfterAQuietHour() {
        for (int i = 0; i < 7; i++) {
            throttle.failed("203.0.113.8");
            throttle.failed("203.0.113.9");
        }
        throttle.succeeded("203.0.113.8");
        clock.advance(Duration.ofMinutes(61));
        throttle.failed("203.0.113.8");
        throttle.failed("203.0.113.9");

        assertThat(throttle.waitFor("203.0.113.8")).isZero();
        assertThat(throttle.waitFor("203.0.113.9")).as("counting starts again after an hour without failures").isZero();
    }

    @Test
    void shouldRememberAtMostTheConfiguredNumberOfAddressesWhenFloodedFromManyAddresses() {
        for (int i = 0; i < 10_000; i++) {
            throttle.failed("10.0." + (i / 256) + "." + (i % 256));
        }

        assertThat(throttle.size()).isEqualTo(100);
    }

    @Test
    void shouldCountAnIpv6ClientByItsSlash64WhenItRotatesAddresses() {
        for (int i = 1; i <= 6; i++) {
            throttle.failed("2001:db8:1:2:0:0:0:" + Integer.toHexString(i));
        }

        assertThat(seconds(throttle.waitFor("2001:db8:1:2::ffff"))).isEqualTo(1);
        assertThat(throttle.waitFor("2001:db8:1:3::1")).isZero();
    }

    /** The wait in whole seconds: the test clock runs on in real time between calls. */
    private static long seconds(Duration wait) {
        return Math.round(wait.toMillis() / 1000.0);
    }
}
