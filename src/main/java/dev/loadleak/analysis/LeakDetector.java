package dev.loadleak.analysis;

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
            return inconclusive(fromSecond, n, params, new ArrayList<>(List.of(tooLittle)));
        }
        List<String> reasons = new ArrayList<>();
        double[][] floor = postGc ? changes(t, v) : floor(t, v);
        floor = thin(floor[0], floor[1], MAX_FLOOR_POINTS);
        String restart = restart(floor[0], floor[1], gapSeconds, fromSecond);
        if (restart != null) {
            reasons.add(restart);
            return inconclusive(fromSecond, n, params, reasons);
        }
        int m = floor[0].length;
        if (m < params.minFloorPoints()) {
            reasons.add(String.format(Locale.ROOT, "only %d post-GC floor points (need %d): the GC cycle is long "
                    + "for this run; run longer", m, params.minFloorPoints()));
            return inconclusive(fromSecond, n, params, reasons);
        }
        return verdict(floor, fromSecond, n, params, reasons);
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
    private static LeakAnalysis verdict(double[][] floor, double fromSecond, int n, Params params, List<String> reasons) {
        int m = floor[0].length;
        Trend.Fit fit = Trend.fit(floor[0], floor[1]);
        double perHour = 3600 / MB;
        double slope = fit.slope() * perHour;
        double lo = fit.ciLow() * perHour;
        double hi = fit.ciHigh() * perHour;
        Trend.Fit late = plateau(floor[0], floor[1], fit);
        boolean plateau = late != null;
        String p = fit.pValue() < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", fit.pValue());
        reasons.add(String.format(Locale.ROOT, "floor %s %.1f MB/h (95 %% CI %.1f–%.1f), Mann–Kendall %s, %s",
                slope >= 0 ? "grew" : "fell", Math.abs(slope), lo, hi, p, plateau ? "plateau" : "no plateau"));
        double span = floor[0][m - 1] - floor[0][0];
        double lateSpan = floor[0][m - 1] - floor[0][m / 2];
        LeakVerdict.Decision d = LeakVerdict.decide(slope, lo, hi, fit.pValue(), plateau ? new double[] {
            late.slope() * perHour, late.ciLow() * perHour, late.ciHigh() * perHour} : null, span, lateSpan,
                params.thresholdMBPerHour(), Trend.Z_975 * LeakVerdict.residualNoise(floor[0], floor[1], fit.slope()) * Math.sqrt(12.0 / m)
                        / Math.max(span, 1e-9) * perHour);
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
        return new LeakAnalysis(LeakAnalysis.INCONCLUSIVE, 0, new double[] {0, 0}, 0, 1, 0, false, 0, List.of(), from, n,
                reasons, params.thresholdMBPerHour(), null, null);
    }

    /**
     * The lower envelope, one point per GC cycle. With a visible sawtooth (3+ drops), each cycle
     * between two drops contributes its minimum, which is the first sample after the collection;
     * the partial cycle before the first drop is skipped, and so is a last cycle shorter than
     * three quarters of the median period. Without one, consecutive windows of 1.5 sawtooth periods
     * (found by autocorrelation), or of a sixth of the series when no period shows, contribute
     * their minima. Returns {times, values}.
     */
    static double[][] floor(double[] t, double[] v) {
        int n = t.length;
        List<Integer> drops = drops(v);
        List<double[]> pts = new ArrayList<>();
        if (drops.size() >= 3) {
            double[] lengths = new double[drops.size() - 1];
            for (int i = 1; i < drops.size(); i++) {
                lengths[i - 1] = t[drops.get(i)] - t[drops.get(i - 1)];
            }
            double[] sorted = lengths.clone();
            Arrays.sort(sorted);
            double period = Trend.median(sorted);
            for (int k = 0; k < drops.size(); k++) {
                int s = drops.get(k);
                int e = k + 1 < drops.size() ? drops.get(k + 1) : n;
                if (k + 1 == drops.size() && t[e - 1] - t[s] < 0.75 * period) {
                    break;
                }
                pts.add(minimum(t, v, s, e));
            }
        } else {
            int period = acfPeriod(v);
            int window = period > 0 ? (int) Math.ceil(1.5 * period) : Math.max(5, n / 6);
            for (int s = 0; s < n; s += window) {
                int e = Math.min(n, s + window);
                if (e - s < Math.max(2, window / 2) && !pts.isEmpty()) {
                    break; // a short last window would bias the floor
                }
                pts.add(minimum(t, v, s, e));
            }
        }
        return toArrays(pts);
    }

    /**
     * A post-GC gauge holds its value between collections; repeating it would weigh each GC by how
     * long the next one took and fill Theil–Sen with zero slopes. Keeps each new value once.
     */
    static double[][] changes(double[] t, double[] v) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < t.length; i++) {
            if (i == 0 || v[i] != v[i - 1]) {
                pts.add(new double[] {t[i], v[i]});
            }
        }
        return toArrays(pts);
    }

    /** [[t, v], …] to {times, values}. */
    private static double[][] toArrays(List<double[]> pts) {
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    private static double[] minimum(double[] t, double[] v, int s, int e) {
        int best = s;
        for (int i = s + 1; i < e; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return new double[] {t[best], v[best]};
    }

    /**
     * Indexes where a garbage collection shows: a fall from one sample to the next larger than
     * 30 % of the detrended series' 5–95 % range and than 4 robust standard deviations of the sample-to-sample
     * changes (so that noise alone does not count as a sawtooth).
     */
    static List<Integer> drops(double[] v) {
        int n = v.length;
        List<Integer> out = new ArrayList<>();
        if (n < 3) {
            return out;
        }
        // the range of the series around its linear trend: a leak must not inflate the drop threshold
        double[] sorted = detrended(v);
        Arrays.sort(sorted);
        double range = sorted[(int) (0.95 * (n - 1))] - sorted[(int) (0.05 * (n - 1))];
        double[] diffs = new double[n - 1];
        for (int i = 1; i < n; i++) {
            diffs[i - 1] = v[i] - v[i - 1];
        }
        double[] d = diffs.clone();
        Arrays.sort(d);
        double med = Trend.median(d);
        double[] dev = new double[d.length];
        for (int i = 0; i < d.length; i++) {
            dev[i] = Math.abs(d[i] - med);
        }
        Arrays.sort(dev);
        double sigma = 1.4826 * Trend.median(dev);
        double threshold = Math.max(0.3 * range, 4 * sigma);
        if (range <= 0) {
            return out;
        }
        for (int i = 1; i < n; i++) {
            if (v[i - 1] - v[i] > threshold) {
                out.add(i);
            }
        }
        return out;
    }

    /** The series minus its least-squares line (by sample index). */
    static double[] detrended(double[] v) {
        int n = v.length;
        double mt = (n - 1) / 2.0;
        double mv = Arrays.stream(v).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mt) * (v[i] - mv);
            sxx += (i - mt) * (i - mt);
        }
        double b = sxx == 0 ? 0 : sxy / sxx;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = v[i] - mv - b * (i - mt);
        }
        return out;
    }

    /**
     * The sawtooth period in samples from the autocorrelation of the linearly detrended series:
     * the lag of its first peak after the first zero crossing, if that peak exceeds 0.15; 0 when
     * no period shows.
     */
    static int acfPeriod(double[] v) {
        int n = v.length;
        int maxLag = n / 3;
        if (maxLag < 4) {
            return 0;
        }
        double[] x = detrended(v);
        double var = 0;
        for (double d : x) {
            var += d * d;
        }
        if (var == 0) {
            return 0;
        }
        boolean crossed = false;
        double prev = 1;
        double prevPrev = 1;
        for (int lag = 1; lag <= maxLag + 1; lag++) {
            double c = 0;
            for (int i = lag; i < n; i++) {
                c += x[i] * x[i - lag];
            }
            c /= var;
            // the first local maximum above 0.15 after the first zero crossing: the fundamental period
            if (crossed && lag >= 3 && prev > 0.15 && prev >= prevPrev && prev >= c) {
                return lag - 1;
            }
            if (c < 0) {
                crossed = true;
            }
            prevPrev = prev;
            prev = c;
        }
        return 0;
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
        Trend.Fit late = Trend.fit(Arrays.copyOfRange(t, half, m), Arrays.copyOfRange(v, half, m));
        boolean slower = late.pValue() >= 0.05 && late.slope() < 0.5 * overall.slope();
        boolean noTrendLeft = late.pValue() >= 0.3;
        if (slower || noTrendLeft) {
            return late;
        }
        int stop = GrowthTimeline.stop(t, v);
        if (stop >= 0 && m - stop >= 8 && t[m - 1] - t[stop] >= (t[m - 1] - t[0]) / 3) {
            Trend.Fit after = Trend.fit(Arrays.copyOfRange(t, stop, m), Arrays.copyOfRange(v, stop, m));
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
}
