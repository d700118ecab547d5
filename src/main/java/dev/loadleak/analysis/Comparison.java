package dev.loadleak.analysis;

import dev.loadleak.result.FlowResult;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Compares a run with a baseline. A change is a <b>regression</b> only when it is both beyond its
 * tolerance and statistically significant given run-to-run noise:
 * <ul>
 *   <li>latency percentiles, throughput and error rate of the whole run: a one-sided
 *   Mann–Whitney test on the per-second figures of the scored seconds (p95/p50/p99 per second,
 *   completed requests per second, error share per second), p &lt; 0.01;</li>
 *   <li>per request, where there is no per-second series: the share of the current run's
 *   requests slower than the baseline's p95, against the 5 % expected if nothing changed, with a
 *   binomial z-test whose sample size is the number of scored seconds (so as not to treat
 *   correlated requests as independent), p &lt; 0.01;</li>
 *   <li>per flow, the same for its iterations: the share of the current run's iterations slower than
 *   the baseline's p95 iteration duration, and the iteration failure rate;</li>
 *   <li>memory growth: the current slope's 95 % interval lies entirely above the baseline's.</li>
 * </ul>
 * Tolerances (defaults): p95 +10 %, throughput −5 %, error rate +0.5 points, memory growth +20 MB/h.
 */
public final class Comparison {
    public static final double ALPHA = 0.01;

    /** Allowed changes before a change can count as a regression. */
    public record Tolerances(double latencyPercent, double throughputPercent, double errorRatePoints,
                             double memoryGrowthMBPerHour) {
        public static Tolerances defaults() {
            return new Tolerances(10, 5, 0.5, 20);
        }
    }

    /** One compared figure. */
    public record Delta(String scope, String metric, double baseline, double current, String change, boolean beyondTolerance,
                        double pValue, boolean significant, boolean regression) {
    }

    /** The whole comparison. */
    public record Result(String baseline, String current, List<Delta> deltas, boolean regression, List<String> reasons) {
    }

    private Comparison() {
    }

    public static Result compare(RunResult base, RunResult cur, Tolerances tol) {
        List<Delta> out = new ArrayList<>();
        List<TimelinePoint> bt = scored(base);
        List<TimelinePoint> ct = scored(cur);
        for (String p : List.of("p50", "p95", "p99")) {
            ToDoubleFunction<TimelinePoint> f = p.equals("p50") ? TimelinePoint::p50 : p.equals("p95") ? TimelinePoint::p95
                    : TimelinePoint::p99;
            latency(out, "overall", p, base.load().overall(), cur.load().overall(), series(bt, f, true),
                    series(ct, f, true), tol);
        }
        double bThr = base.load().overall().throughputPerSecond();
        double cThr = cur.load().overall().throughputPerSecond();
        double drop = bThr == 0 ? 0 : (bThr - cThr) / bThr * 100;
        double pThr = MannWhitney.pGreater(series(ct, TimelinePoint::requests, false), series(bt, TimelinePoint::requests, false));
        add(out, "overall", "throughput", bThr, cThr, String.format(Locale.ROOT, "%+.1f %%", -drop),
                drop > tol.throughputPercent(), pThr);
        double bErr = base.load().overall().errorRate() * 100;
        double cErr = cur.load().overall().errorRate() * 100;
        double pErr = MannWhitney.pGreater(errorShares(bt), errorShares(ct));
        add(out, "overall", "error_rate %", bErr, cErr, String.format(Locale.ROOT, "%+.2f points", cErr - bErr),
                cErr - bErr > tol.errorRatePoints(), pErr);
        for (Map.Entry<String, Stats> e : cur.load().requests().entrySet()) {
            Stats b = base.load().requests().get(e.getKey());
            if (b == null || b.latencyMicros() == null || e.getValue().latencyMicros() == null) {
                continue;
            }
            requestP95(out, e.getKey(), b, e.getValue(), Math.max(1, ct.size()), tol);
            double be = b.errorRate() * 100;
            double ce = e.getValue().errorRate() * 100;
            add(out, e.getKey(), "error_rate %", be, ce, String.format(Locale.ROOT, "%+.2f points", ce - be),
                    ce - be > tol.errorRatePoints(), proportionP(b.errorRate(), e.getValue().errorRate(), Math.max(1, ct.size())));
        }
        flows(out, base, cur, Math.max(1, ct.size()), tol);
        memory(out, base, cur, tol);
        boolean regression = out.stream().anyMatch(Delta::regression);
        List<String> reasons = new ArrayList<>();
        for (Delta d : out) {
            if (d.regression()) {
                reasons.add(String.format(Locale.ROOT, "%s %s: %s (p = %.4f)", d.scope(), d.metric(), d.change(), d.pValue()));
            }
        }
        return new Result(label(base), label(cur), out, regression, reasons);
    }

    private static void latency(List<Delta> out, String scope, String p, Stats b, Stats c, double[] bs, double[] cs,
                                Tolerances tol) {
        if (b.latencyMicros() == null || c.latencyMicros() == null) {
            return;
        }
        double bv = b.latencyMicros().corrected().get(p);
        double cv = c.latencyMicros().corrected().get(p);
        double change = bv == 0 ? 0 : (cv - bv) / bv * 100;
        add(out, scope, p, bv, cv, String.format(Locale.ROOT, "%+.1f %%", change), change > tol.latencyPercent(),
                MannWhitney.pGreater(bs, cs));
    }

    private static void requestP95(List<Delta> out, String name, Stats b, Stats c, int seconds, Tolerances tol) {
        double bv = b.latencyMicros().corrected().p95();
        double cv = c.latencyMicros().corrected().p95();
        double change = bv == 0 ? 0 : (cv - bv) / bv * 100;
        Histogram ch = Stats.decode(c.histograms().corrected());
        double slower = ch.getTotalCount() == 0 ? 0 : 1 - ch.getPercentileAtOrBelowValue((long) bv) / 100;
        add(out, name, "p95", bv, cv, String.format(Locale.ROOT, "%+.1f %%", change), change > tol.latencyPercent(),
                proportionP(0.05, slower, seconds));
    }

    /**
     * Each flow of both runs: its iterations' corrected p95 duration (the share of the current
     * iterations slower than the baseline's p95, against 5 %), and its iteration failure rate.
     */
    private static void flows(List<Delta> out, RunResult base, RunResult cur, int seconds, Tolerances tol) {
        if (base.userFlows().flows() == null || cur.userFlows().flows() == null) {
            return;
        }
        for (Map.Entry<String, FlowResult> e : cur.userFlows().flows().entrySet()) {
            FlowResult b = base.userFlows().flows().get(e.getKey());
            FlowResult c = e.getValue();
            if (b == null) {
                continue;
            }
            String scope = "flow " + e.getKey();
            if (b.durationMicros() != null && c.durationMicros() != null && c.histograms() != null) {
                double bv = b.durationMicros().corrected().p95();
                double cv = c.durationMicros().corrected().p95();
                double change = bv == 0 ? 0 : (cv - bv) / bv * 100;
                Histogram ch = Stats.decode(c.histograms().corrected());
                double slower = ch.getTotalCount() == 0 ? 0 : 1 - ch.getPercentileAtOrBelowValue((long) bv) / 100;
                add(out, scope, "iteration p95", bv, cv, String.format(Locale.ROOT, "%+.1f %%", change),
                        change > tol.latencyPercent(), proportionP(0.05, slower, seconds));
            }
            double bf = b.failureRate() * 100;
            double cf = c.failureRate() * 100;
            add(out, scope, "iteration_failure_rate %", bf, cf, String.format(Locale.ROOT, "%+.2f points", cf - bf),
                    cf - bf > tol.errorRatePoints(), proportionP(b.failureRate(), c.failureRate(), seconds));
            realtime(out, scope, b.realtime(), c.realtime(), tol);
        }
    }

    /**
     * A flow's real-time connections: the share the server dropped (ended, or whose heartbeats stopped) of
     * those opened; a regression when it rose beyond the error-rate tolerance, tested over the current run's
     * connections.
     */
    private static void realtime(List<Delta> out, String scope, FlowResult.Realtime b, FlowResult.Realtime c,
                                 Tolerances tol) {
        if (b == null || c == null || b.opened() == 0 || c.opened() == 0) {
            return;
        }
        double bl = (double) b.lost() / b.opened();
        double cl = (double) c.lost() / c.opened();
        add(out, scope, "connections lost %", bl * 100, cl * 100, String.format(Locale.ROOT, "%+.2f points",
                (cl - bl) * 100), (cl - bl) * 100 > tol.errorRatePoints(),
                proportionP(bl, cl, (int) Math.min(Integer.MAX_VALUE, c.opened())));
    }

    /** One-sided binomial z-test: is the share {@code observed} above {@code expected}, with n units? */
    static double proportionP(double expected, double observed, int n) {
        double e = Math.min(0.999, Math.max(0.001, expected));
        double z = (observed - e) / Math.sqrt(e * (1 - e) / n);
        return Trend.normalSurvival(z);
    }

    private static void memory(List<Delta> out, RunResult base, RunResult cur, Tolerances tol) {
        if (base.targetMemory().memory() == null || cur.targetMemory().memory() == null) {
            return;
        }
        for (MemorySeries c : cur.targetMemory().memory()) {
            MemorySeries b = base.targetMemory().memory().stream().filter(m -> m.source().equals(c.source())).findFirst()
                    .orElse(null);
            if (b == null || b.analysis() == null || c.analysis() == null
                    || LeakFinding.INCONCLUSIVE.equals(b.analysis().verdict())
                    || LeakFinding.INCONCLUSIVE.equals(c.analysis().verdict())) {
                continue;
            }
            double bv = b.analysis().growthMBPerHour();
            double cv = c.analysis().growthMBPerHour();
            boolean separated = c.analysis().ci95MBPerHour()[0] > b.analysis().ci95MBPerHour()[1];
            add(out, c.source(), "memory_growth MB/h", bv, cv, String.format(Locale.ROOT, "%+.1f MB/h", cv - bv),
                    cv - bv > tol.memoryGrowthMBPerHour(), separated ? 0 : 1);
        }
    }

    private static void add(List<Delta> out, String scope, String metric, double b, double c, String change, boolean beyond,
                            double p) {
        boolean significant = p < ALPHA;
        out.add(new Delta(scope, metric, b, c, change, beyond, p, significant, beyond && significant));
    }

    /** Timeline seconds of the scored (non-warm-up) phases. */
    private static String label(RunResult r) {
        return r.provenance().scenario().name() + " " + r.provenance().startedAt();
    }

    static List<TimelinePoint> scored(RunResult r) {
        List<double[]> warm = new ArrayList<>();
        double t = 0;
        for (RunResult.PhaseInfo p : r.provenance().scenario().phases()) {
            if (p.warmup()) {
                warm.add(new double[] {t, t + p.durationSeconds()});
            }
            t += p.durationSeconds();
        }
        List<TimelinePoint> out = new ArrayList<>();
        for (TimelinePoint p : r.load().timeline()) {
            boolean inWarmup = warm.stream().anyMatch(w -> p.second() >= w[0] && p.second() < w[1]);
            if (!inWarmup) {
                out.add(p);
            }
        }
        return out;
    }

    private static double[] series(List<TimelinePoint> t, ToDoubleFunction<TimelinePoint> f, boolean latency) {
        return t.stream().filter(p -> !latency || p.requests() - p.errors() > 0).mapToDouble(f).toArray();
    }

    private static double[] errorShares(List<TimelinePoint> t) {
        return t.stream().filter(p -> p.requests() > 0).mapToDouble(p -> (double) p.errors() / p.requests()).toArray();
    }
}
