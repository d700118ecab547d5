package dev.loadleak.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * Change points in a series of runs (a metric of each CI run, in order): E-Divisive means
 * (Matteson and James, 2014) with a Student's t-test for significance instead of permutations, as
 * Apache Otava (formerly Hunter) does, so that the result is deterministic.
 *
 * <p>Each segment's best split τ maximises the energy divergence of its two sides,
 * {@code Q(τ) = mn/(m+n) · (2/(mn)·Σ|x−y| − 1/C(m,2)·Σ|x−x'| − 1/C(n,2)·Σ|y−y'|)} (α = 1), over splits
 * that leave at least {@code minSize} runs on each side. The best split of all segments is tested:
 * a two-sample t-test (pooled variance: runs of one scenario share their noise) between its two
 * sides within the segment, stalled runs (beyond 4 robust σ of their side's median) pulled in
 * to 4σ so that one stalled run does not hide a shift; below {@code maxPValue} it becomes a change point and the search goes
 * on in the pieces, else it stops. The change points are then described with their final
 * neighbouring segments (means without stalled runs, t-test p-value).
 */
public final class ChangePoints {
    /** Otava's default significance; measured in ChangePointsAccuracyTest. */
    public static final double MAX_P_VALUE = 0.001;
    /** A change needs this many runs on each side (so a one-run spike is never a change). */
    public static final int MIN_SIZE = 3;

    /**
     * A change at {@code index}: runs before it (back to the previous change) and from it (up to the
     * next) differ.
     */
    public record Change(int index, double meanBefore, double meanAfter, double pValue, int before, int after) {
        /** (after − before) / before. */
        public double relative() {
            return meanBefore == 0 ? 0 : (meanAfter - meanBefore) / Math.abs(meanBefore);
        }
    }

    private ChangePoints() {
    }

    public static List<Change> find(double[] x) {
        return find(x, MIN_SIZE, MAX_P_VALUE);
    }

    public static List<Change> find(double[] x, int minSize, double maxPValue) {
        int n = x.length;
        List<Integer> cuts = new ArrayList<>();
        while (true) {
            int[] bounds = bounds(cuts, n);
            double bestQ = -1;
            int bestTau = -1;
            int bestA = 0;
            int bestB = 0;
            for (int s = 0; s + 1 < bounds.length; s++) {
                int a = bounds[s];
                int b = bounds[s + 1];
                double[] q = qHat(x, a, b, minSize);
                for (int tau = a + minSize; tau <= b - minSize; tau++) {
                    if (q[tau - a] > bestQ) {
                        bestQ = q[tau - a];
                        bestTau = tau;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            if (bestTau < 0 || !(pValue(x, bestA, bestTau, bestB) < maxPValue)) {
                break;
            }
            cuts.add(bestTau);
            cuts.sort(null);
        }
        int[] bounds = bounds(cuts, n);
        List<Change> out = new ArrayList<>();
        for (int i = 1; i + 1 < bounds.length; i++) {
            int a = bounds[i - 1];
            int t = bounds[i];
            int b = bounds[i + 1];
            // a stalled run does not make the change look larger (or smaller) than it is
            Split s = Split.of(x, a, t, b);
            out.add(new Change(t, s.meanWithoutStalls(true), s.meanWithoutStalls(false), s.pValue(), t - a, b - t));
        }
        return out;
    }

    private static int[] bounds(List<Integer> cuts, int n) {
        int[] b = new int[cuts.size() + 2];
        b[0] = 0;
        for (int i = 0; i < cuts.size(); i++) {
            b[i + 1] = cuts.get(i);
        }
        b[b.length - 1] = n;
        return b;
    }

    /**
     * Q(τ) for every split τ of [a, b) (index τ − a; unset where a side would have fewer than
     * {@code minSize}), in O((b − a)²): moving τ by one moves one run from the right side to the left.
     */
    static double[] qHat(double[] x, int a, int b, int minSize) {
        int len = b - a;
        double[] q = new double[len + 1];
        Arrays.fill(q, -1);
        if (len < 2 * minSize) {
            return q;
        }
        // τ = a: everything on the right
        double between = 0;
        double left = 0;
        double right = 0;
        for (int i = a; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                right += Math.abs(x[i] - x[j]);
            }
        }
        for (int tau = a; tau < b; tau++) {
            // run tau moves from the right to the left
            double toLeft = 0;
            double toRight = 0;
            for (int i = a; i < tau; i++) {
                toLeft += Math.abs(x[i] - x[tau]);
            }
            for (int j = tau + 1; j < b; j++) {
                toRight += Math.abs(x[tau] - x[j]);
            }
            between += toRight - toLeft;
            left += toLeft;
            right -= toRight;
            int m = tau + 1 - a;
            int k = b - tau - 1;
            if (m >= minSize && k >= minSize) {
                double e = 2 * between / ((double) m * k) - left / (m * (m - 1) / 2.0) - right / (k * (k - 1) / 2.0);
                q[m] = (double) m * k / (m + k) * e;
            }
        }
        return q;
    }

    /**
     * A run further than this many robust standard deviations (1.4826 · the median absolute
     * deviation from its side's median, pooled over both sides) is a stalled run.
     */
    static final double STALL_SIGMAS = 4;

    /**
     * The two-sided p-value of a pooled two-sample t-test between [a, t) and [t, b); 1 when either
     * side cannot vary. Stalled runs are first pulled in to {@link #STALL_SIGMAS} robust σ of their
     * side's median (winsorised): one run that stalled (a CI machine's hiccup, 5× the p95 of its
     * neighbours) inflates the variance enough to hide a real shift from the t-test. Gaussian noise
     * is almost never beyond 4σ, so where nothing stalled the test is unchanged.
     */
    static double pValue(double[] x, int a, int t, int b) {
        return Split.of(x, a, t, b).pValue();
    }

    /**
     * The two sides of a split, with each side's median and the stall limit ({@link #STALL_SIGMAS}
     * pooled robust σ; 0 when neither side varies): computed once for the t-test and the means.
     */
    private record Split(double[] before, double[] after, double medianBefore, double medianAfter, double limit) {
        static Split of(double[] x, int a, int t, int b) {
            double[] l = Arrays.copyOfRange(x, a, t);
            double[] r = Arrays.copyOfRange(x, t, b);
            double ml = median(l.clone());
            double mr = median(r.clone());
            double[] dev = new double[l.length + r.length];
            for (int i = 0; i < l.length; i++) {
                dev[i] = Math.abs(l[i] - ml);
            }
            for (int i = 0; i < r.length; i++) {
                dev[l.length + i] = Math.abs(r[i] - mr);
            }
            return new Split(l, r, ml, mr, STALL_SIGMAS * 1.4826 * median(dev));
        }

        double pValue() {
            if (before.length < 2 || after.length < 2) {
                return 1;
            }
            double[] l = clamped(before, medianBefore);
            double[] r = clamped(after, medianAfter);
            double p = TTest.withDefaults().with(DataDispersion.HOMOSCEDASTIC).test(l, r).getPValue();
            return Double.isNaN(p) ? (mean(before, 0, before.length) == mean(after, 0, after.length) ? 1 : 0) : p;
        }

        /** The mean of one side without its stalled runs. */
        double meanWithoutStalls(boolean ofBefore) {
            double[] v = ofBefore ? before : after;
            double centre = ofBefore ? medianBefore : medianAfter;
            double[] kept = limit > 0 ? Arrays.stream(v).filter(d -> Math.abs(d - centre) <= limit).toArray() : v;
            return mean(kept, 0, kept.length);
        }

        private double[] clamped(double[] v, double centre) {
            double[] out = v.clone();
            if (limit > 0) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.max(centre - limit, Math.min(centre + limit, out[i]));
                }
            }
            return out;
        }
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static double mean(double[] x, int a, int b) {
        double s = 0;
        for (int i = a; i < b; i++) {
            s += x[i];
        }
        return s / (b - a);
    }
}
