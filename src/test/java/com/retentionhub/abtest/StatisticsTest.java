package com.retentionhub.abtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    // Reference values computed independently (Python's math.erfc and statistics.NormalDist).
    @Test
    void shouldReproduceTheTwoProportionZTest() {
        Statistics.ZTest t = Statistics.zTest(100, 1000, 130, 1000);
        assertThat(t.z()).isCloseTo(2.102740605622114, within(1e-9));
        assertThat(t.pValue()).isCloseTo(0.03548845046647475, within(1e-6));

        Statistics.ZTest u = Statistics.zTest(50, 500, 60, 500);
        assertThat(u.z()).isCloseTo(1.010668323265702, within(1e-9));
        assertThat(u.pValue()).isCloseTo(0.3121752029650513, within(1e-6));
    }

    @Test
    void shouldReproduceTheMixtureLikelihoodRatio() {
        assertThat(Statistics.mixtureLikelihoodRatio(100, 1000, 130, 1000, 0.0004)).isCloseTo(2.5226756845307112, within(1e-9));
        assertThat(Statistics.mixtureLikelihoodRatio(100, 1000, 160, 1000, 0.0004)).isCloseTo(102.20109684767051, within(1e-6));
    }

    @Test
    void shouldReproduceTheSampleRatioTestAndThePlanner() {
        assertThat(Statistics.sampleRatioPValue(5000, 5200)).isCloseTo(0.04767038065616144, within(1e-6));
        assertThat(Statistics.sampleRatioPValue(1000, 1000, 1100)).isCloseTo(0.03972373338644103, within(1e-9));
        assertThat(Statistics.sampleRatioPValue(5000, 5000)).isEqualTo(1.0);
        assertThat(Statistics.sampleSizePerArm(0.10, 0.20, 0.05, 0.80)).isEqualTo(3841);
        assertThat(Statistics.inverseNormalCdf(0.975)).isCloseTo(1.959963984540054, within(1e-8));
    }

    /**
     * 1,000 A/A tests (both arms convert at 10%, 200 visitors per arm a day for 30 days), each looked
     * at every day and stopped at the first "significant" look: the naive z-test declares far more
     * than 5% false winners; the mSPRT stays at or under 5%.
     */
    @Test
    void shouldKeepTheSequentialTestsFalsePositivesUnderFivePercentWhenPeekedDaily() {
        Random random = new Random(20261121L);
        int tests = 1000;
        int naiveFalse = 0;
        int sequentialFalse = 0;
        for (int t = 0; t < tests; t++) {
            long ca = 0;
            long cb = 0;
            long n = 0;
            boolean naiveStopped = false;
            boolean sequentialStopped = false;
            for (int day = 0; day < 30; day++) {
                for (int v = 0; v < 200; v++) {
                    ca += random.nextDouble() < 0.10 ? 1 : 0;
                    cb += random.nextDouble() < 0.10 ? 1 : 0;
                }
                n += 200;
                if (!naiveStopped && n >= 50 && Statistics.zTest(ca, n, cb, n).pValue() < 0.05) {
                    naiveStopped = true;
                    naiveFalse++;
                }
                if (!sequentialStopped && Statistics.mixtureLikelihoodRatio(ca, n, cb, n, 0.0004) >= 1 / 0.05) {
                    sequentialStopped = true;
                    sequentialFalse++;
                }
            }
        }
        double naiveRate = (double) naiveFalse / tests;
        double sequentialRate = (double) sequentialFalse / tests;
        System.out.printf("A/A, 1,000 tests peeked daily for 30 days: naive z-test false positives %.1f%%, mSPRT %.1f%%%n", 100 * naiveRate,
                100 * sequentialRate);
        assertThat(naiveRate).isGreaterThan(0.05);
        assertThat(sequentialRate).isLessThanOrEqualTo(0.05);
    }
}
