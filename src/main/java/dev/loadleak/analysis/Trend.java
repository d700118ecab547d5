package dev.loadleak.analysis;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Robust trend statistics over points (x, y): Theil–Sen slope with Sen's confidence interval, the
 * Mann–Kendall test with tie correction, and the R² of a least-squares line. Pure functions.
 *
 * <p><b>Mann–Kendall.</b> {@code S = Σ_{i<j} sign(y_j − y_i)} over points ordered by x. Under "no
 * trend", S has mean 0 and variance
 * {@code Var(S) = [n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5)] / 18}, where t_g are the sizes of groups
 * of tied y values (the tie correction). With the continuity correction
 * {@code Z = (S − sign(S)) / sqrt(Var S)}, and the two-sided p-value is {@code 2(1 − Φ(|Z|))}.
 *
 * <p><b>Theil–Sen.</b> The slope is the median of the N = n(n−1)/2 pairwise slopes
 * {@code (y_j − y_i)/(x_j − x_i)}. Its 1−α confidence interval (Sen 1968; Gilbert 1987) takes
 * {@code C = z_{1−α/2} · sqrt(Var S)}, {@code M1 = (N − C)/2}, {@code M2 = (N + C)/2}, and reads the
 * M1-th and (M2+1)-th smallest pairwise slopes. It assumes independent residuals.
 *
 * <p><b>Serial correlation</b> ({@link #fitCorrelated}). Points of a lower envelope (window minima
 * of RSS, of a heap whose collections are rarer than the windows) are not independent: a window
 * that sits on a plateau or on a rise between two collections is followed by one that does too.
 * Then Var(S) is too small, and so are the interval and the p-value. Following Yue &amp; Wang (2004),
 * the lag-1 autocorrelation ρ of the residuals around the Theil–Sen line is estimated and, when it is
 * significant ({@code ρ > 1.96/√n}), Var(S) is multiplied by the variance inflation of an AR(1)
 * series, {@code n/n* = 1 + 2 Σ_{k=1}^{n−1} (1 − k/n) ρ^k}, before the test and the interval are
 * computed (ρ is capped at 0.95). Independent points are left as they are.
 */
public final class Trend {
    /** The figures of one fit. */
    public record Fit(double slope, double ciLow, double ciHigh, double mannKendallS, double mannKendallZ,
                      double pValue, double rSquared, int n, double autocorrelation) {
        /** The number of independent points these are worth (n when the residuals are independent). */
        public double effectiveN() {
            return n / inflation(autocorrelation, n);
        }
    }

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    static final double Z_975 = STANDARD_NORMAL.inverseCumulativeProbability(0.975);

    private Trend() {
    }

    public static Fit fit(double[] x, double[] y) {
        return fit(x, y, false);
    }

    /** {@link #fit} with Var(S) inflated for significant lag-1 autocorrelation of the residuals. */
    public static Fit fitCorrelated(double[] x, double[] y) {
        return fit(x, y, true);
    }

    private static Fit fit(double[] x, double[] y, boolean correlated) {
        int n = x.length;
        if (n < 3) {
            throw new IllegalArgumentException("a trend needs at least 3 points, got " + n);
        }
        int pairs = n * (n - 1) / 2;
        double[] slopes = new double[pairs];
        int k = 0;
        long s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dy = y[j] - y[i];
                s += Double.compare(dy, 0.0) == 0 ? 0 : (dy > 0 ? 1 : -1);
                double dx = x[j] - x[i];
                slopes[k++] = dx == 0 ? 0 : dy / dx;
            }
        }
        Arrays.sort(slopes);
        double slope = median(slopes);
        double rho = correlated ? residualAutocorrelation(x, y, slope) : 0;
        double varS = varianceS(y) * inflation(rho, n);
        double z = varS == 0 ? 0 : (s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0);
        double p = 2 * normalSurvival(Math.abs(z));
        double c = Z_975 * Math.sqrt(varS);
        double m1 = (pairs - c) / 2;
        double m2 = (pairs + c) / 2;
        // the M1-th smallest is index M1 - 1; the (M2 + 1)-th smallest is index M2
        int lo = (int) Math.max(0, Math.min(pairs - 1, Math.round(m1) - 1));
        int hi = (int) Math.max(0, Math.min(pairs - 1, Math.round(m2)));
        return new Fit(slope, slopes[lo], slopes[hi], s, z, Math.max(0, Math.min(1, p)), rSquared(x, y), n, rho);
    }

    /** Lag-1 autocorrelation of the residuals around the line of this slope (x increasing), 0 when not significant. */
    static double residualAutocorrelation(double[] x, double[] y, double slope) {
        int n = x.length;
        double[] r = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            r[i] = y[i] - slope * x[i];
            mean += r[i];
        }
        mean /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            den += (r[i] - mean) * (r[i] - mean);
            if (i > 0) {
                num += (r[i] - mean) * (r[i - 1] - mean);
            }
        }
        if (den == 0) {
            return 0;
        }
        double rho = num / den;
        return rho > Z_975 / Math.sqrt(n) ? Math.min(0.95, rho) : 0;
    }

    /** n/n* for an AR(1) series of lag-1 autocorrelation rho. */
    static double inflation(double rho, int n) {
        if (rho <= 0) {
            return 1;
        }
        double sum = 0;
        double pk = 1;
        for (int k = 1; k < n; k++) {
            pk *= rho;
            sum += (1 - (double) k / n) * pk;
            if (pk < 1e-9) {
                break;
            }
        }
        return 1 + 2 * sum;
    }

    static double varianceS(double[] y) {
        int n = y.length;
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double ties = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && sorted[j + 1] == sorted[i]) {
                j++;
            }
            int t = j - i + 1;
            if (t > 1) {
                ties += (double) t * (t - 1) * (2 * t + 5);
            }
            i = j + 1;
        }
        return ((double) n * (n - 1) * (2 * n + 5) - ties) / 18.0;
    }

    static double rSquared(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx == 0 || syy == 0) {
            return 0;
        }
        return sxy * sxy / (sxx * syy);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Φ(z), the standard normal CDF (Apache Commons Statistics). */
    public static double normalCdf(double z) {
        return STANDARD_NORMAL.cumulativeProbability(z);
    }

    /** 1 − Φ(z), computed without the cancellation of {@code 1 - normalCdf(z)} in the far tail. */
    public static double normalSurvival(double z) {
        return STANDARD_NORMAL.survivalProbability(z);
    }
}
