package com.retentionhub.abtest;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * The statistics A/B tests decide by. No I/O, no state.
 *
 * <ul>
 *   <li>{@link #zTest}: the seed systems' two-proportion z-test (pooled), valid when looked at once.
 *   <li>{@link #mixtureLikelihoodRatio}: the mixture sequential probability ratio test (mSPRT,
 *       Johari et al. 2017, normal approximation). Its Type I error stays under alpha however often
 *       it is looked at: stop when the ratio reaches 1/alpha.
 *   <li>{@link #sampleRatioPValue}: the chi-square test of the assignment counts against an even
 *       split; a tiny p-value means assignment or logging is broken and the test cannot be trusted.
 *   <li>{@link #sampleSizePerArm}: visitors per arm to detect a relative lift with a given power.
 * </ul>
 */
public final class Statistics {

    /** Only its distribution functions are used: no random generator behind it. */
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private Statistics() {}

    /** The z statistic and two-sided p-value of arm B's rate against arm A's. */
    public record ZTest(double z, double pValue) {}

    public static ZTest zTest(long conversionsA, long visitorsA, long conversionsB, long visitorsB) {
        double pa = (double) conversionsA / visitorsA;
        double pb = (double) conversionsB / visitorsB;
        double pooled = (double) (conversionsA + conversionsB) / (visitorsA + visitorsB);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / visitorsA + 1.0 / visitorsB));
        if (se == 0) {
            return new ZTest(0, 1);
        }
        double z = (pb - pa) / se;
        return new ZTest(z, Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))));
    }

    /**
     * The mSPRT's mixture likelihood ratio for "the rates differ", with a normal mixing distribution
     * of variance {@code tau2} over the difference. Reject the null (declare a winner) when it
     * reaches {@code 1/alpha}; {@code 1/max ratio seen so far} is the always-valid p-value.
     */
    public static double mixtureLikelihoodRatio(long conversionsA, long visitorsA, long conversionsB, long visitorsB, double tau2) {
        double pa = (double) conversionsA / visitorsA;
        double pb = (double) conversionsB / visitorsB;
        double v = pa * (1 - pa) / visitorsA + pb * (1 - pb) / visitorsB;
        if (v <= 0) {
            return 1;
        }
        double theta = pb - pa;
        return Math.sqrt(v / (v + tau2)) * Math.exp(theta * theta * tau2 / (2 * v * (v + tau2)));
    }

    /** The p-value of the observed assignment counts against an even split (chi-square, k - 1 degrees of freedom). */
    public static double sampleRatioPValue(long... assigned) {
        long total = 0;
        for (long a : assigned) {
            total += a;
        }
        if (total == 0 || assigned.length < 2) {
            return 1;
        }
        double expected = (double) total / assigned.length;
        double chi2 = 0;
        for (long a : assigned) {
            chi2 += (a - expected) * (a - expected) / expected;
        }
        return chiSquareSurvival(chi2, assigned.length - 1);
    }

    /** Visitors per arm to detect a relative {@code lift} over {@code baseline} at two-sided {@code alpha} with {@code power}. */
    public static long sampleSizePerArm(double baseline, double lift, double alpha, double power) {
        if (baseline <= 0 || baseline >= 1 || lift == 0 || alpha <= 0 || alpha >= 1 || power <= 0 || power >= 1) {
            throw new IllegalArgumentException(
                    "baseline and the target rate must lie in (0, 1), lift must not be 0, alpha and power in (0, 1)");
        }
        double pa = baseline;
        double pb = baseline * (1 + lift);
        if (pb <= 0 || pb >= 1) {
            throw new IllegalArgumentException("baseline x (1 + lift) must lie in (0, 1)");
        }
        double za = inverseNormalCdf(1 - alpha / 2);
        double zb = inverseNormalCdf(power);
        double mean = (pa + pb) / 2;
        double n = Math.pow(za * Math.sqrt(2 * mean * (1 - mean)) + zb * Math.sqrt(pa * (1 - pa) + pb * (1 - pb)), 2)
                / Math.pow(pb - pa, 2);
        return (long) Math.ceil(n);
    }

    /** The standard normal CDF. */
    public static double normalCdf(double z) {
        return STANDARD_NORMAL.cumulativeProbability(z);
    }

    /** The inverse of the standard normal CDF. */
    public static double inverseNormalCdf(double p) {
        return STANDARD_NORMAL.inverseCumulativeProbability(p);
    }

    /** P(X >= chi2) for a chi-square variable with {@code df} degrees of freedom: the regularized upper incomplete gamma Q(df/2, chi2/2). */
    static double chiSquareSurvival(double chi2, int df) {
        // Q directly rather than 1 - CDF, which loses the small p-values that matter here to cancellation.
        return chi2 <= 0 ? 1 : Gamma.regularizedGammaQ(df / 2.0, chi2 / 2);
    }
}
