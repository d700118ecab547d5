package dev.loadleak.history;

import dev.loadleak.analysis.ChangePoints;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Change points over a scenario's history, metric by metric: where each changed, before → after,
 * and whether the newest run comes after a regression still in force — the last change of a
 * metric is for the worse (higher latency, error rate or memory growth; lower throughput).
 */
public final class HistoryCheck {
    /** The metrics checked unless told otherwise. */
    public static final List<String> DEFAULT_METRICS = List.of("p95", "p99", "throughput", "error_rate", "memory_growth");
    /**
     * A change smaller than this share of the level before it is not reported, however significant
     * (Otava's min_magnitude): runs with very little noise make a 1 % drift significant.
     */
    public static final double MIN_CHANGE = 0.05;

    /**
     * One change of one metric, placed at a run; {@code before} and {@code after} are the values of
     * its two segments.
     */
    public record Found(String scenario, String metric, String scope, ChangePoints.Change change, HistoryStore.Run at,
                        int runNumber, int runs, boolean worse, boolean inForce, double[] before, double[] after) {
        public String describe() {
            ChangePoints.Change c = change;
            Median b = Median.of(before);
            Median a = Median.of(after);
            return String.format(Locale.ROOT, "%s %s%s: %s -> %s (median %+.1f %%, p = %.2g) at run %d of %d (%s, %s)%s",
                    scenario, metric, scope.equals("overall") ? "" : " [" + scope + "]", b, a,
                    b.value() == 0 ? 0 : (a.value() - b.value()) / Math.abs(b.value()) * 100, c.pValue(), runNumber, runs,
                    at.startedAt(), at.commit().isEmpty() ? "no commit label" : "commit " + at.commit(),
                    worse ? (inForce ? ": REGRESSION, still in force" : ": worse, since superseded") : ": better");
        }
    }

    /**
     * A segment's median with a distribution-free interval from its order statistics (the binomial
     * sign-test interval, coverage at least 95 %); a segment of fewer than 6 runs cannot reach 95 %,
     * and gets its range with the coverage that range has (3 runs: 75 %, 4: 88 %, 5: 94 %).
     */
    public record Median(double value, double low, double high, double coverage, int n) {
        public static Median of(double[] v) {
            double[] x = v.clone();
            Arrays.sort(x);
            int n = x.length;
            double median = n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
            // the widest k (1-based lower rank) with P(Binomial(n, ½) < k) ≤ 2.5 %
            int k = 1;
            double below = Math.pow(0.5, n); // P(B = 0)
            double cumulative = below;
            for (int j = 1; j < n / 2; j++) {
                below = below * (n - j + 1) / j; // P(B = j)
                if (cumulative + below > 0.025) {
                    break;
                }
                cumulative += below;
                k = j + 1;
            }
            double coverage = 1 - 2 * cumulative;
            if (cumulative > 0.025) { // fewer than 6 runs: only the range
                return new Median(median, x[0], x[n - 1], 1 - 2 * Math.pow(0.5, n), n);
            }
            return new Median(median, x[k - 1], x[n - k], coverage, n);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (%.0f %% CI %s–%s, %d runs)", num(value), Math.floor(coverage * 100),
                    num(low), num(high), n);
        }
    }

    /** What {@code history check} found for one scenario. */
    public record Report(String scenario, int runs, List<Found> changes, String tooLittle) {
        public boolean regressed() {
            return changes.stream().anyMatch(Found::inForce);
        }
    }

    private HistoryCheck() {
    }

    static String num(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** Higher is worse, except for throughput. */
    static boolean higherIsWorse(String metric) {
        return !metric.equals("throughput");
    }

    /** The scope a metric is read in: memory metrics in the first memory source, the rest overall or in a request. */
    public static String scope(HistoryStore h, List<HistoryStore.Run> runs, String metric, String request) throws SQLException {
        if (metric.startsWith("memory")) {
            for (String s : h.metrics(runs.get(runs.size() - 1).id()).keySet()) {
                if (s.startsWith("memory:")) {
                    return s;
                }
            }
            return "memory:";
        }
        return request == null ? "overall" : "request:" + request;
    }

    public static Report check(HistoryStore h, String scenario, List<String> metrics, String request) throws SQLException {
        return check(h, scenario, metrics, request, MIN_CHANGE);
    }

    public static Report check(HistoryStore h, String scenario, List<String> metrics, String request, double minChange)
            throws SQLException {
        List<HistoryStore.Run> runs = h.runs(scenario);
        int need = 2 * ChangePoints.MIN_SIZE;
        if (runs.size() < need) {
            return new Report(scenario, runs.size(), List.of(), String.format(Locale.ROOT, "only %d run(s) of %s in the "
                    + "history: change points need at least %d (%d on each side of a change)", runs.size(), scenario, need,
                    ChangePoints.MIN_SIZE));
        }
        List<Found> out = new ArrayList<>();
        for (String metric : metrics) {
            String scope = scope(h, runs, metric, request);
            double[] all = h.series(runs, scope, metric);
            int[] index = new int[all.length];
            int n = 0;
            for (int i = 0; i < all.length; i++) {
                if (!Double.isNaN(all[i])) {
                    index[n] = i;
                    all[n++] = all[i];
                }
            }
            if (n < need) {
                continue;
            }
            double[] x = Arrays.copyOf(all, n);
            // error rates are often 0 before: their change is absolute (one point of a percent), not relative
            List<ChangePoints.Change> changes = ChangePoints.find(x).stream().filter(c -> metric.equals("error_rate")
                    ? Math.abs(c.meanAfter() - c.meanBefore()) >= 0.01 : Math.abs(c.relative()) >= minChange).toList();
            for (int k = 0; k < changes.size(); k++) {
                ChangePoints.Change c = changes.get(k);
                boolean up = c.meanAfter() > c.meanBefore();
                boolean worse = up == higherIsWorse(metric);
                boolean last = k == changes.size() - 1;
                int at = index[c.index()];
                out.add(new Found(scenario, metric, scope, c, runs.get(at), at + 1, runs.size(), worse, worse && last,
                        Arrays.copyOfRange(x, c.index() - c.before(), c.index()),
                        Arrays.copyOfRange(x, c.index(), c.index() + c.after())));
            }
        }
        return new Report(scenario, runs.size(), out, null);
    }
}
