package dev.loadleak.analysis;

import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemorySeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a memory series shows a leak, robustly to a GC sawtooth. Pure function.
 *
 * <ol>
 *   <li><b>Warm-up.</b> Samples before {@code fromSecond} are dropped (the scenario's warm-up
 *   phases, else the first 20 % of the run).</li>
 *   <li><b>Post-GC floor.</b> A heap or RSS series rises between collections and drops at each
 *   one; only its floor says what the program retains. Each GC cycle contributes its minimum (see
 *   {@link #floor}): one point per cycle, nearly independent, and no partial cycle at either end,
 *   whose rise would otherwise read as growth. A series that already is post-GC (e.g.
 *   {@code jvm_gc_live_data_size_bytes}) is its own floor, each value counted once ({@link #changes}).</li>
 *   <li><b>Trend.</b> Theil–Sen slope of the floor with its 95 % interval, the Mann–Kendall test
 *   and R² ({@link Trend}).</li>
 *   <li><b>Plateau.</b> With 8+ floor points, growth that does not go on in the second half (see
 *   {@link #plateau}) is a plateau (cache fill, warm-up), not a leak.</li>
 *   <li><b>Verdict</b> ({@link LeakVerdict}): LEAK when growth above the threshold (default 5 MB/h)
 *   is established, NO_LEAK when the interval rules it out, INCONCLUSIVE otherwise, with the run
 *   length that would decide; INCONCLUSIVE too with fewer than 20 samples or 6 floor points, under
 *   20 s analysed, more than 20 % of samples missing, or a restart (a gap after which the floor
 *   fell by more than 30 %).</li>
 * </ol>
 * MB is 2^20 bytes throughout.
 */
public final class LeakDetector {
    public static final double MB = 1024.0 * 1024.0;

    /** Thresholds; {@link #defaults()} are the documented ones. */
    public record Params(double thresholdMBPerHour, int minSamples, int minFloorPoints, double minSpanSeconds,
                         double maxGapShare) {
        public static Params defaults() {
            return new Params(5.0, 20, 6, 20, 0.2);
        }

        public Params withThreshold(double mbPerHour) {
            return new Params(mbPerHour, minSamples, minFloorPoints, minSpanSeconds, maxGapShare);
        }
    }

    private static final int MAX_FLOOR_POINTS = 1500;

    private LeakDetector() {
    }

    /**
     * @param seconds    sample times, increasing
     * @param bytes      sample values
     * @param gapSeconds times of failed samples (each one), used for the gap share and restarts
     */
    public static LeakAnalysis analyse(double[] seconds, double[] bytes, boolean postGc, double fromSecond,
                                       double[] gapSeconds, Params params) {
        int first = 0;
        while (first < seconds.length && seconds[first] < fromSecond) {
            first++;
        }
        double[] t = Arrays.copyOfRange(seconds, first, seconds.length);
        double[] v = Arrays.copyOfRange(bytes, first, bytes.length);
        int n = t.length;
        long gapsAfter = Arrays.stream(gapSeconds).filter(g -> g >= fromSecond).count();
        String tooLittle = tooLittleData(t, gapsAfter, params);
        if (tooLittle != null) {
            double span = n < 2 ? 0 : t[n - 1] - t[0];
            // the least that could decide: enough samples and span at the pace sampled so far
            double more = Math.max(params.minSpanSeconds(), n < 2 ? 0 : span * params.minSamples() / n * 1.25);
            return inconclusive(fromSecond, n, params, new ArrayList<>(List.of(tooLittle)),
                    tooLittle.contains("missing") ? null : more);
        }
        List<String> reasons = new ArrayList<>();
        FloorEstimator.Floor estimate = FloorEstimator.of(t, v, postGc, params.minFloorPoints());
        double[][] floor = thin(estimate.t(), estimate.v(), MAX_FLOOR_POINTS);
        String restart = restart(floor[0], floor[1], gapSeconds, fromSecond);
        if (restart != null) {
            reasons.add(restart);
            return inconclusive(fromSecond, n, params, reasons);
        }
        int m = floor[0].length;
        String method = "estimator: " + estimate.method().label + " (" + estimate.why() + ")";
        if (m < params.minFloorPoints()) {
            // only post-GC readings that seldom change get here: the envelope always has its windows
            double span = t[n - 1] - t[0];
            double more = Math.max(1.25 * span, span * params.minFloorPoints() / Math.max(1, m));
            reasons.add(String.format(Locale.ROOT, "only %d distinct post-GC readings (need %d): the target collected "
                    + "seldom in this run; about %s of samples after warm-up would give enough", m,
                    params.minFloorPoints(), LeakVerdict.duration(more)));
            reasons.add(method);
            return inconclusive(fromSecond, n, params, reasons, more);
        }
        LeakAnalysis a = verdict(floor, estimate, fromSecond, n, t[n - 1] - t[0], params, reasons);
        reasons.add(method);
        return a;
    }

    /** Why the data after warm-up cannot give a verdict (gaps, samples, span), or null when they can. */
    private static String tooLittleData(double[] t, long gapsAfter, Params params) {
        int n = t.length;
        // missing samples first: when the target died, "run longer" would be the wrong advice
        double gapShare = (double) gapsAfter / (n + gapsAfter);
        if (gapsAfter > 0 && gapShare > params.maxGapShare()) {
            return String.format(Locale.ROOT, "%.0f %% of samples missing (more than %.0f %%)", gapShare * 100,
                    params.maxGapShare() * 100);
        }
        if (n < params.minSamples()) {
            return String.format(Locale.ROOT, "only %d samples after warm-up (need %d): run longer", n, params.minSamples());
        }
        double span = t[n - 1] - t[0];
        if (span < params.minSpanSeconds()) {
            return String.format(Locale.ROOT, "only %.0f s analysed after warm-up (need %.0f s): run longer", span,
                    params.minSpanSeconds());
        }
        return null;
    }

    /** The trend of the post-GC floor, and what it says: LEAK or NO_LEAK, with its reasons. */
    private static LeakAnalysis verdict(double[][] floor, FloorEstimator.Floor estimate, double fromSecond, int n,
                                        double analysed, Params params, List<String> reasons) {
        boolean envelope = estimate.method() == FloorEstimator.Method.LOWER_ENVELOPE;
        int m = floor[0].length;
        Trend.Fit fit = Trend.fitCorrelated(floor[0], floor[1]);
        double perHour = 3600 / MB;
        double slope = fit.slope() * perHour;
        double lo = fit.ciLow() * perHour;
        double hi = fit.ciHigh() * perHour;
        Trend.Fit late = plateau(floor[0], floor[1], fit);
        boolean plateau = late != null;
        String p = fit.pValue() < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", fit.pValue());
        reasons.add(String.format(Locale.ROOT, "floor %s %.1f MB/h (95 %% CI %.1f–%.1f), Mann–Kendall %s, %s",
                slope >= 0 ? "grew" : "fell", Math.abs(slope), lo, hi, p, plateau ? "plateau" : "no plateau"));
        // the span analysed, not the floor points' own: window minima need not sit at the ends
        double span = Math.max(analysed, floor[0][m - 1] - floor[0][0]);
        double lateSpan = floor[0][m - 1] - floor[0][m / 2];
        if (fit.autocorrelation() > 0) {
            reasons.add(String.format(Locale.ROOT, "the floor points are serially correlated (lag-1 ρ = %.2f): worth "
                    + "about %.0f independent points of %d, and the interval is widened to match", fit.autocorrelation(),
                    fit.effectiveN(), m));
        }
        double[][] halves = m >= 8 && !plateau ? halves(floor[0], floor[1], perHour) : null;
        double noise = Trend.Z_975 * LeakVerdict.residualNoise(floor[0], floor[1], fit.slope()) * Math.sqrt(12.0 / m)
                / Math.max(span, 1e-9) * perHour * Math.sqrt(Trend.inflation(fit.autocorrelation(), m));
        LeakVerdict.Decision d = LeakVerdict.decide(new LeakVerdict.Evidence(slope, lo, hi, fit.pValue(), plateau
                ? new double[] {late.slope() * perHour, late.ciLow() * perHour, late.ciHigh() * perHour} : null,
                halves == null ? null : halves[0], halves == null ? null : halves[1], plateau || m < 5 ? Double.NaN
                : Trend.fit(Arrays.copyOfRange(floor[0], m / 2, m), Arrays.copyOfRange(floor[1], m / 2, m)).slope() * perHour,
                m >= 12 && !plateau ? thirds(floor[0], floor[1], perHour) : null, span, lateSpan, noise,
                envelope && m >= 12 && concave(floor[0], floor[1], fit.autocorrelation()), envelope, m),
                params.thresholdMBPerHour());
        d = LeakVerdict.acrossCollections(d, estimate, span, params.thresholdMBPerHour());
        reasons.addAll(d.reasons());
        List<double[]> floorPoints = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            floorPoints.add(new double[] {round(floor[0][i], 3), floor[1][i]});
        }
        return new LeakAnalysis(d.verdict(), round(slope, 3), new double[] {round(lo, 3), round(hi, 3)},
                round(fit.slope(), 3), fit.pValue(), round(fit.rSquared(), 4), plateau, round(d.growth(), 3), floorPoints,
                fromSecond, n, reasons, params.thresholdMBPerHour(),
                new double[] {round(d.growthCi()[0], 3), round(d.growthCi()[1], 3)},
                d.decideAfterSeconds() == null ? null : (double) Math.round(d.decideAfterSeconds()));
    }

    private static LeakAnalysis inconclusive(double from, int n, Params params, List<String> reasons) {
        return inconclusive(from, n, params, reasons, null);
    }

    private static LeakAnalysis inconclusive(double from, int n, Params params, List<String> reasons, Double decideAfter) {
        return new LeakAnalysis(LeakFinding.INCONCLUSIVE, 0, new double[] {0, 0}, 0, 1, 0, false, 0, List.of(), from, n,
                reasons, params.thresholdMBPerHour(), null, decideAfter == null ? null : (double) Math.round(decideAfter));
    }

    /** The first and second halves' fits in MB/h: {{slope, lo, hi}, {slope, lo, hi}}. */
    private static double[][] halves(double[] t, double[] v, double perHour) {
        int m = t.length;
        int half = m / 2;
        Trend.Fit a = Trend.fitCorrelated(Arrays.copyOfRange(t, 0, half), Arrays.copyOfRange(v, 0, half));
        Trend.Fit b = Trend.fitCorrelated(Arrays.copyOfRange(t, half, m), Arrays.copyOfRange(v, half, m));
        return new double[][] {{a.slope() * perHour, a.ciLow() * perHour, a.ciHigh() * perHour},
            {b.slope() * perHour, b.ciLow() * perHour, b.ciHigh() * perHour}};
    }

    /**
     * Significant concavity (growth that decelerates, as a warm-up does): the x² coefficient of a
     * least-squares parabola is below zero by more than 1.96 standard errors, the error widened for
     * the points' serial correlation as the slope's is.
     */
    static boolean concave(double[] t, double[] v, double rho) {
        int m = t.length;
        double t0 = t[0];
        double span = Math.max(1e-9, t[m - 1] - t0);
        // x in [0, 1] keeps the normal equations well conditioned
        double[][] a = new double[3][3];
        double[] b = new double[3];
        for (int i = 0; i < m; i++) {
            double x = (t[i] - t0) / span;
            double[] row = {1, x, x * x};
            for (int r = 0; r < 3; r++) {
                b[r] += row[r] * v[i];
                for (int c = 0; c < 3; c++) {
                    a[r][c] += row[r] * row[c];
                }
            }
        }
        double[][] inv = invert3(a);
        if (inv == null) {
            return false;
        }
        double[] coef = new double[3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                coef[r] += inv[r][c] * b[c];
            }
        }
        double rss = 0;
        for (int i = 0; i < m; i++) {
            double x = (t[i] - t0) / span;
            double e = v[i] - coef[0] - coef[1] * x - coef[2] * x * x;
            rss += e * e;
        }
        double sigma2 = rss / (m - 3);
        double se = Math.sqrt(sigma2 * inv[2][2] * Trend.inflation(rho, m));
        return coef[2] + Trend.Z_975 * se < 0;
    }

    private static double[][] invert3(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        if (Math.abs(det) < 1e-12) {
            return null;
        }
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int i1 = (j + 1) % 3;
                int i2 = (j + 2) % 3;
                int j1 = (i + 1) % 3;
                int j2 = (i + 2) % 3;
                r[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
            }
        }
        return r;
    }

    /** The three thirds' fits in MB/h: {{slope, lo, hi} x 3}. */
    private static double[][] thirds(double[] t, double[] v, double perHour) {
        int m = t.length;
        double[][] out = new double[3][];
        for (int k = 0; k < 3; k++) {
            int s = k * m / 3;
            int e = (k + 1) * m / 3;
            Trend.Fit f = Trend.fitCorrelated(Arrays.copyOfRange(t, s, e), Arrays.copyOfRange(v, s, e));
            out[k] = new double[] {f.slope() * perHour, f.ciLow() * perHour, f.ciHigh() * perHour};
        }
        return out;
    }

    /** Bins a long floor down to at most {@code max} points (mean time, minimum value per bin). */
    static double[][] thin(double[] t, double[] v, int max) {
        int n = t.length;
        if (n <= max) {
            return new double[][] {t, v};
        }
        double[][] out = new double[2][max];
        for (int b = 0; b < max; b++) {
            int s = (int) ((long) b * n / max);
            int e = (int) ((long) (b + 1) * n / max);
            double sumT = 0;
            double minV = Double.MAX_VALUE;
            for (int i = s; i < e; i++) {
                sumT += t[i];
                minV = Math.min(minV, v[i]);
            }
            out[0][b] = sumT / (e - s);
            out[1][b] = minV;
        }
        return out;
    }

    /** A gap after which the floor fell by more than 30 %: the target restarted. */
    static String restart(double[] ft, double[] fv, double[] gaps, double from) {
        for (double g : gaps) {
            if (g < from) {
                continue;
            }
            double before = -1;
            double after = -1;
            for (int i = 0; i < ft.length; i++) {
                if (ft[i] < g) {
                    before = fv[i];
                } else if (after < 0) {
                    after = fv[i];
                }
            }
            if (before > 0 && after >= 0 && after < 0.7 * before) {
                return String.format(Locale.ROOT, "the target seems to have restarted: samples failed at %.0f s and "
                        + "the floor then fell from %.1f MB to %.1f MB; a slope across a restart means nothing",
                        g, before / MB, after / MB);
            }
        }
        return null;
    }

    /**
     * Significant overall growth that does not go on: the second half has no significant trend of
     * its own (Mann–Kendall p &gt;= 0.05) and under half the overall slope, or no sign of a trend
     * at all (p &gt;= 0.3); or the growth stopped at a point the floor shows
     * ({@link GrowthTimeline#stop}: growth, then at least a third of the span under a quarter of
     * the slope). Returns the fit of what follows, or null when there is no plateau.
     */
    static Trend.Fit plateau(double[] t, double[] v, Trend.Fit overall) {
        int m = t.length;
        if (m < 8 || overall.slope() <= 0 || overall.pValue() >= 0.05) {
            return null;
        }
        int half = m / 2;
        Trend.Fit late = Trend.fitCorrelated(Arrays.copyOfRange(t, half, m), Arrays.copyOfRange(v, half, m));
        boolean slower = late.pValue() >= 0.05 && late.slope() < 0.5 * overall.slope();
        // few points in the second half (under 8) give a Mann–Kendall p over 0.3 for a steady climb with one step
        // back: that is no evidence of a stop unless the second half's slope has fallen too
        boolean noTrendLeft = late.pValue() >= 0.3 && (m - half >= 8 || late.slope() < 0.5 * overall.slope());
        if (slower || noTrendLeft) {
            return late;
        }
        int stop = GrowthTimeline.stop(t, v);
        if (stop >= 0 && m - stop >= 8 && t[m - 1] - t[stop] >= (t[m - 1] - t[0]) / 3) {
            Trend.Fit after = Trend.fitCorrelated(Arrays.copyOfRange(t, stop, m), Arrays.copyOfRange(v, stop, m));
            if (after.slope() < 0.25 * overall.slope()) {
                return after;
            }
        }
        return null;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /**
     * What a slope in MB/h and its interval mean over {@code perSecond} units of work a second: bytes
     * retained per unit, and its interval; null when there is no interval or no work.
     */
    public static MemorySeries.Retained retained(double slopeMBPerHour, double[] ciMBPerHour, double perSecond,
                                                 String per) {
        if (ciMBPerHour == null || !(perSecond > 0)) {
            return null;
        }
        double k = MB / 3600 / perSecond;
        return new MemorySeries.Retained(Math.round(slopeMBPerHour * k * 10) / 10.0,
                new double[] {Math.round(ciMBPerHour[0] * k * 10) / 10.0, Math.round(ciMBPerHour[1] * k * 10) / 10.0},
                per);
    }
}
