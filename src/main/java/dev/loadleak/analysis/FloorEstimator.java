package dev.loadleak.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The part of a memory series that says what the program retains, chosen by the series' shape.
 * A heap or RSS series rises between collections and drops at each; only its lower envelope
 * (the floor) is retention. How to read the floor depends on how often the series falls:
 *
 * <ul>
 *   <li><b>Exact post-GC readings</b> ({@code postGc}, e.g. {@code jvm_gc_live_data_size_bytes}):
 *   the series is its own floor, each new value counted once ({@link #changes}).</li>
 *   <li><b>One minimum per GC cycle</b> when the sawtooth is frequent (at least {@value #MIN_CYCLES}
 *   whole cycles after warm-up, as a busy JVM heap shows): each cycle between two drops contributes
 *   its minimum, the first sample after the collection; the partial cycle before the first drop is
 *   skipped, and so is a last cycle shorter than three quarters of the median period. The points are
 *   nearly independent.</li>
 *   <li><b>Lower envelope</b> otherwise: RSS, which rarely falls because allocators keep their
 *   pages, or V8's heap at moderate load, whose mark-sweeps come every 30–120 s. The analysed span
 *   is cut into {@value #ENVELOPE_WINDOWS} windows (at least 2 samples each), or into windows as long
 *   as the longest observed collection period when that still leaves {@value #BLOCKS} or more, and each
 *   window contributes its minimum. Where collections show every few seconds (at least
 *   {@value #BLOCKS}/2 of them) but too few for either, as a busy Node process's RSS, which V8 gives
 *   back at each mark-sweep every 5–15 s: minima of {@value #BLOCKS} windows, most of which hold a
 *   collection. Such points are serially correlated (a window on a plateau, or on the
 *   rise before a rare collection, is followed by another); the trend is then fitted with the
 *   autocorrelation-corrected interval of {@link Trend#fitCorrelated}, so the interval stays honest
 *   where the points are not independent.</li>
 * </ul>
 */
final class FloorEstimator {
    /** How the floor was read. */
    enum Method {
        POST_GC_READINGS("exact post-GC readings"),
        CYCLE_MINIMA("one minimum per GC cycle"),
        LOWER_ENVELOPE("lower envelope");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    /**
     * The floor points, how they were read and why that way. For a lower envelope of a series that falls at
     * collections, {@code acrossMB} is how far the lowest level after the last collection stands above the lowest
     * level before the first (NaN otherwise), and {@code longestPeriod} the longest time between two collections
     * seen (0 with one), and {@code collections} how many it saw; see {@link #acrossCollections}. {@code
     * sinceLastMB} is how far the floor rose after the last collection and {@code largestFallMB} the largest fall
     * at a collection ({@link #sinceLast}). Other floors have no such figures: NaN, 0, -1, NaN and NaN.
     */
    record Floor(double[] t, double[] v, Method method, String why, double acrossMB, double longestPeriod,
                 int collections, double sinceLastMB, double largestFallMB) {
        Floor(double[] t, double[] v, Method method, String why) {
            this(t, v, method, why, Double.NaN, 0, -1, Double.NaN, Double.NaN);
        }
    }

    static final int ENVELOPE_WINDOWS = 40;
    /** Windows of an envelope where collections are seen but seldom. */
    static final int BLOCKS = 8;
    /**
     * Whole cycles needed for one minimum per cycle: fewer minima give a Theil–Sen interval too wide to
     * establish even blatant growth (V8's RSS at moderate load drops every 5–15 s: 6 cycles in a minute),
     * where {@link #BLOCKS} window minima over the same span do.
     */
    static final int MIN_CYCLES = 8;

    private FloorEstimator() {
    }

    static Floor of(double[] t, double[] v, boolean postGc, int minCycles) {
        if (postGc) {
            double[][] c = changes(t, v);
            return new Floor(c[0], c[1], Method.POST_GC_READINGS, "the series is read after each collection");
        }
        int n = t.length;
        double span = t[n - 1] - t[0];
        List<Integer> drops = drops(v);
        double[] periods = periods(t, drops);
        if (drops.size() >= Math.max(minCycles, MIN_CYCLES) + 1) {
            double period = Trend.median(periods);
            double[][] c = cycleMinima(t, v, drops, period);
            if (c[0].length >= minCycles) {
                return new Floor(c[0], c[1], Method.CYCLE_MINIMA, String.format(Locale.ROOT,
                        "the sawtooth is frequent: %d collections in %.0f s, one every %.1f s", drops.size(), span, period));
            }
        }
        double dt = span / Math.max(1, n - 1);
        double window = Math.max(2 * dt, span / ENVELOPE_WINDOWS);
        double longest = periods.length == 0 ? 0 : periods[periods.length - 1];
        boolean blocks = false;
        if (longest > window && span / longest >= BLOCKS) {
            window = longest;
        } else if (drops.size() >= BLOCKS / 2 && span / BLOCKS > window) {
            // collections seen every few seconds, but too few whole cycles for their minima and too seldom for
            // windows of their longest period: the longest windows that still leave BLOCKS points, so that most
            // windows hold a collection and their minima are post-GC levels rather than points on one rise
            window = span / BLOCKS;
            blocks = true;
        }
        double[][] e = windowMinima(t, v, window);
        String seen = drops.isEmpty() ? "the series never fell clearly (as RSS, whose allocator keeps its pages)"
                : String.format(Locale.ROOT, "%s (%d in %.0f s%s)", blocks ? "too few whole collection cycles for "
                        + "one minimum per cycle" : "collections are rare here", drops.size(), span,
                        longest > 0 ? String.format(Locale.ROOT, ", up to %.0f s apart", longest) : "");
        return new Floor(e[0], e[1], Method.LOWER_ENVELOPE, String.format(Locale.ROOT,
                "%s: minima of %d windows of %.1f s, interval corrected for their serial correlation", seen, e[0].length,
                window), acrossCollections(v, drops), longest, drops.size(), sinceLast(t, v, drops, window),
                largestFall(v, drops));
    }

    /**
     * How far the floor rose after the last collection, in MB, NaN when the series never fell: the lowest level in
     * the last {@code window} seconds (after that collection) above the lowest after it. This stretch is a series
     * that never fell, and is weighed as one ({@link LeakVerdict#acrossCollections}).
     */
    static double sinceLast(double[] t, double[] v, List<Integer> drops, double window) {
        if (drops.isEmpty()) {
            return Double.NaN;
        }
        int last = drops.get(drops.size() - 1);
        int n = v.length;
        int from = last;
        while (from < n - 1 && t[from] < t[n - 1] - window) {
            from++;
        }
        return (lowest(v, from, n) - lowest(v, last, n)) / LeakDetector.MB;
    }

    /** The largest fall at a collection, in MB, NaN when the series never fell. */
    static double largestFall(double[] v, List<Integer> drops) {
        double fall = drops.isEmpty() ? Double.NaN : 0;
        for (int i : drops) {
            fall = Math.max(fall, v[i - 1] - v[i]);
        }
        return fall / LeakDetector.MB;
    }

    /**
     * Growth that shows across collections, in MB, NaN when the series never fell. Between two collections a heap
     * rises by garbage not yet collected as well as by what is retained (V8's old space before a mark-sweep), and
     * the two cannot be told apart there: a series with one mark-sweep is matched exactly by a healthy one that
     * promotes faster and whose live set is higher. Only what stays after a collection is retained: the lowest
     * level after the last collection, above the lowest after the first (two collections or more) or above the
     * lowest before the first (which may hold garbage, so it only ever understates the growth).
     */
    static double acrossCollections(double[] v, List<Integer> drops) {
        if (drops.isEmpty()) {
            return Double.NaN;
        }
        int first = drops.get(0);
        int last = drops.get(drops.size() - 1);
        double afterLast = lowest(v, last, v.length);
        double across = afterLast - lowest(v, 0, first);
        if (drops.size() >= 2) {
            across = Math.max(across, afterLast - lowest(v, first, drops.get(1)));
        }
        return across / LeakDetector.MB;
    }

    private static double lowest(double[] v, int from, int to) {
        double low = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            low = Math.min(low, v[i]);
        }
        return low;
    }

    /** The times between consecutive drops, sorted. */
    private static double[] periods(double[] t, List<Integer> drops) {
        double[] lengths = new double[Math.max(0, drops.size() - 1)];
        for (int i = 1; i < drops.size(); i++) {
            lengths[i - 1] = t[drops.get(i)] - t[drops.get(i - 1)];
        }
        Arrays.sort(lengths);
        return lengths;
    }

    /** One minimum per cycle between drops; see the class comment. */
    static double[][] cycleMinima(double[] t, double[] v, List<Integer> drops, double period) {
        int n = t.length;
        List<double[]> pts = new ArrayList<>();
        for (int k = 0; k < drops.size(); k++) {
            int s = drops.get(k);
            int e = k + 1 < drops.size() ? drops.get(k + 1) : n;
            if (k + 1 == drops.size() && t[e - 1] - t[s] < 0.75 * period) {
                break;
            }
            pts.add(minimum(t, v, s, e));
        }
        return toArrays(pts);
    }

    /** The minimum of each window of {@code window} seconds from the first sample; a short last window is dropped. */
    static double[][] windowMinima(double[] t, double[] v, double window) {
        int n = t.length;
        List<double[]> pts = new ArrayList<>();
        int s = 0;
        while (s < n) {
            int e = s;
            while (e < n && t[e] < t[s] + window) {
                e++;
            }
            e = Math.max(e, s + 1);
            if (e == n && t[n - 1] - t[s] < 0.5 * window && !pts.isEmpty()) {
                break; // a short last window would bias the floor upwards
            }
            pts.add(minimum(t, v, s, e));
            s = e;
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
    static double[][] toArrays(List<double[]> pts) {
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            out[0][i] = pts.get(i)[0];
            out[1][i] = pts.get(i)[1];
        }
        return out;
    }

    static double[] minimum(double[] t, double[] v, int s, int e) {
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
     * changes (so that noise alone does not count as a sawtooth), the deviation read from the lower half of the
     * changes.
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
        // the noise from the lower half of the changes only: a fast rise between collections (a leak, or garbage
        // filling a heap) is not noise, and counted in it made a Node RSS's falls of 9-14 MB look like noise;
        // for symmetric noise, the lower half's deviations have the same median as all of them
        int half = (d.length + 1) / 2;
        double[] dev = new double[half];
        for (int i = 0; i < half; i++) {
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

}
