package com.retentionhub.abtest;

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
            throw new IllegalArgumentException("baseline and the target rate must lie in (0, 1), lift must not be 0, alpha and power in (0, 1)");
        }
        double pa = baseline;
        double pb = baseline * (1 + lift);
        if (pb <= 0 || pb >= 1) {
            throw new IllegalArgumentException("baseline x (1 + lift) must lie in (0, 1)");
        }
        double za = inverseNormalCdf(1 - alpha / 2);
        double zb = inverseNormalCdf(power);
        double mean = (pa + pb) / 2;
        double n = Math.pow(za * Math.sqrt(2 * mean * (1 - mean)) + zb * Math.sqrt(pa * (1 - pa) + pb * (1 - pb)), 2) / Math.pow(pb - pa, 2);
        return (long) Math.ceil(n);
    }

    public static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** erfc with fractional error under 1.2e-7 (Chebyshev fit, Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
                + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** The inverse of the standard normal CDF (Acklam's rational approximation, relative error under 1.2e-9). */
    public static double inverseNormalCdf(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
            2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
            2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double x;
        if (p < 0.02425) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p > 1 - 0.02425) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        return x; // no refinement step: it would go through erfc below, which is less exact than this
    }

    /** P(X >= chi2) for a chi-square variable with {@code df} degrees of freedom: the regularized upper incomplete gamma Q(df/2, chi2/2). */
    static double chiSquareSurvival(double chi2, int df) {
        return upperGamma(df / 2.0, chi2 / 2);
    }

    private static double upperGamma(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        if (x < a + 1) {
            // Series for P, then Q = 1 - P.
            double sum = 1 / a;
            double term = sum;
            for (int n = 1; n < 500; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-15) {
                    break;
                }
            }
            return 1 - sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
        }
        // Continued fraction for Q (Lentz).
        double b = x + 1 - a;
        double c = 1 / 1e-300;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 500; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.abs(d) < 1e-300 ? 1e-300 : d;
            c = b + an / c;
            c = Math.abs(c) < 1e-300 ? 1e-300 : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
    }

    /** ln Gamma(x) (Lanczos, g = 7). */
    static double logGamma(double x) {
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double sum = g[0];
        for (int i = 1; i < 9; i++) {
            sum += g[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
