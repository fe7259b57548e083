package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallGateTest {

    private static final String[] KEYS = {"provider:p", "sender:p:+1"};

    @Test
    void shouldSpaceStartsEvenlyAtTheRate() {
        CallGate gate = new CallGate();
        long first = gate.reserve(KEYS, new double[] {10, 0});
        long second = gate.reserve(KEYS, new double[] {10, 0});
        assertThat(second - first).isEqualTo(100_000_000L);
    }

    @Test
    void shouldNeverPutMoreThanTheRateIntoAnyWindowOfOneSecondPlusTheMargin() {
        CallGate gate = new CallGate();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            starts.add(gate.reserve(KEYS, new double[] {10, 0}));
        }
        for (int i = 10; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 10)).isGreaterThanOrEqualTo(1_000_000_000L + CallGate.MARGIN_NANOS);
        }
        // The margin is paid once per window, not per call: 50 starts take about 5 s, not 50 x 104 ms.
        assertThat(starts.get(49) - starts.get(0)).isLessThan(5_250_000_000L);
    }

    @Test
    void shouldHoldTheSenderToItsOwnSlowerPace() {
        CallGate gate = new CallGate();
        long first = gate.reserve(KEYS, new double[] {100, 1});
        long second = gate.reserve(KEYS, new double[] {100, 1});
        assertThat(second - first).isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void shouldLetUnpacedCallsGoAtOnce() {
        CallGate gate = new CallGate();
        long before = System.nanoTime();
        long start = gate.reserve(KEYS, new double[] {0, 0});
        assertThat(start - before).isLessThan(50_000_000L);
    }
}
