package dev.loadleak.analysis;

import dev.loadleak.result.Growth;
import dev.loadleak.result.Growth.PhaseSlope;
import dev.loadleak.result.LeakAnalysis;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.FDistribution;

/**
 * Since when, and in which phase, the floor grows: a slope per phase, and the onset of growth.
 *
 * <p><b>Per phase.</b> The Theil–Sen slope and its 95 % interval over the floor points that fall in
 * each scored phase with at least {@value #MIN_POINTS} of them: "spike: +900 MB/h; recovery: flat"
 * reads as a cache or queue that fills under load and holds, not a leak.
 *
 * <p><b>Onset.</b> A hinge model {@code y = a + b·max(0, t − τ)} (flat, then growing from τ) fitted
 * by least squares for every τ between the floor's 4th and 4th-last points, against the straight
 * line {@code y = a + b·t}. The onset is the τ of least squared error, reported only when the hinge
 * explains the floor significantly better: {@code F = (SSE_line − SSE_hinge) / (SSE_hinge / (m − 3))}
 * above the 0.999 quantile of F(1, m−3) (Apache Commons Statistics), with b &gt; 0. Growth that
 * starts with the run has no onset: the line fits as well.
 *
 * <p><b>Plateau.</b> The mirror hinge (growing, then flat) uses the looser asymptotic bound 10.83
 * (the 0.999 quantile of χ²₁, which F(1, m−3) approaches from above): a plateau found only withholds
 * a LEAK, so there the test errs towards the more cautious verdict.
 */
public final class GrowthTimeline {
    static final int MIN_POINTS = 6;
    private static final double CHI2_1_999 = 10.83;

    /** A phase's window, in seconds of the run. */
    record Window(String name, double start, double end, boolean warmup) {
    }

    /** The growth timeline of an analysed floor over the run's phases, or null without a floor. */
    static Growth of(LeakAnalysis a, List<Window> windows) {
        if (a == null || a.floor() == null || a.floor().size() < MIN_POINTS) {
            return null;
        }
        double[] ci = MemoryGrowth.interval(a);
        Double onset = ci != null && ci[0] > 0 ? onset(a.floor()) : null;
        return new Growth(perPhase(a.floor(), windows), onset, onset == null ? null : phaseAt(onset, windows));
    }

    private GrowthTimeline() {
    }

    static List<PhaseSlope> perPhase(List<double[]> floor, List<Window> windows) {
        List<PhaseSlope> out = new ArrayList<>();
        for (Window w : windows) {
            if (w.warmup()) {
                continue;
            }
            List<double[]> in = floor.stream().filter(p -> p[0] >= w.start() && p[0] < w.end()).toList();
            if (in.size() < MIN_POINTS) {
                continue;
            }
            double[] t = in.stream().mapToDouble(p -> p[0]).toArray();
            double[] v = in.stream().mapToDouble(p -> p[1]).toArray();
            Trend.Fit f = Trend.fit(t, v);
            double k = 3600 / LeakDetector.MB;
            out.add(new PhaseSlope(w.name(), round(f.slope() * k), new double[] {round(f.ciLow() * k),
                round(f.ciHigh() * k)}, in.size()));
        }
        return out;
    }

    /** The second growth started at, or null when there is no significant onset (or no growth). */
    static Double onset(List<double[]> floor) {
        int m = floor.size();
        if (m < 10) {
            return null;
        }
        double[] t = floor.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = floor.stream().mapToDouble(p -> p[1]).toArray();
        double sseLine = sse(t, y, Double.NEGATIVE_INFINITY)[0];
        double best = Double.MAX_VALUE;
        double tau = Double.NaN;
        double slope = 0;
        for (int k = 3; k <= m - 4; k++) {
            double[] fit = sse(t, y, t[k]);
            if (fit[0] < best) {
                best = fit[0];
                tau = t[k];
                slope = fit[1];
            }
        }
        if (!(slope > 0)) {
            return null;
        }
        if (best <= 0) {
            return sseLine > 0 ? tau : null; // the hinge fits exactly, the line does not
        }
        double f = (sseLine - best) / (best / (m - 3));
        return f > FDistribution.of(1, m - 3).inverseSurvivalProbability(0.001) ? tau : null;
    }

    /**
     * Where growth stopped: the index of τ for the hinge {@code y = a + b·min(t, τ)} (growing, then
     * flat) of least squared error, when it explains the floor significantly better than a line
     * (the same F test as the onset) with b &gt; 0; else -1.
     */
    static int stop(double[] t, double[] y) {
        int m = t.length;
        if (m < 10) {
            return -1;
        }
        double sseLine = sse(t, y, Double.NEGATIVE_INFINITY)[0];
        double best = Double.MAX_VALUE;
        int at = -1;
        double slope = 0;
        double[] x = new double[m];
        for (int k = 3; k <= m - 4; k++) {
            for (int i = 0; i < m; i++) {
                x[i] = Math.min(t[i], t[k]);
            }
            double[] fit = sse(x, y, Double.NEGATIVE_INFINITY);
            if (fit[0] < best) {
                best = fit[0];
                at = k;
                slope = fit[1];
            }
        }
        if (!(slope > 0) || at < 0) {
            return -1;
        }
        return best <= 0 || (sseLine - best) / (best / (m - 3)) > CHI2_1_999 ? at : -1;
    }

    /** {SSE, slope} of y on max(0, t − tau) by least squares (tau = −∞: the straight line on t). */
    private static double[] sse(double[] t, double[] y, double tau) {
        int n = t.length;
        double mx = 0;
        double my = 0;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = tau == Double.NEGATIVE_INFINITY ? t[i] : Math.max(0, t[i] - tau);
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        double b = sxx == 0 ? 0 : sxy / sxx;
        double a = my - b * mx;
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - a - b * x[i];
            sse += r * r;
        }
        return new double[] {sse, b};
    }

    /** The phase a second falls in, or null. */
    static String phaseAt(double second, List<Window> windows) {
        for (Window w : windows) {
            if (second >= w.start() && second < w.end()) {
                return w.name();
            }
        }
        return null;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
