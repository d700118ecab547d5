package dev.loadleak.analysis;

import dev.loadleak.result.ForcedGcResult;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.scenario.MemoryConfig;
import dev.loadleak.scenario.Scenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * What the target really keeps, from forced collections ({@code forceGc}): the heap in use after
 * each, against time and against the requests completed by then. Least squares over every reading;
 * the residuals — the spread of the repeated readings of each round — give the 95 % intervals.
 * This series needs no statistics of a sawtooth, so the verdict uses it first when it exists.
 */
public final class ExactRetention {
    /** Below this much growth in all, exact mode does not call a leak however steep the rate: a longer run decides. */
    static final double MIN_LEAK_MB = 1.0;

    private ExactRetention() {
    }

    /** One forced collection: its round (0 = the scored load's start), when, what was in use after, its pause. */
    public record Reading(int round, double second, double bytes, double pauseMillis) {
    }

    /**
     * What a target's forced collections gave: readings, why they stopped (or null), heap snapshots'
     * diff, and the pauses of the unrecorded collections before the first readings.
     */
    public record Forced(String source, String how, List<Reading> readings, String error, HeapGrowth heapGrowth,
                         List<Double> settlePausesMillis) {
        public Forced(String source, String how, List<Reading> readings, String error, HeapGrowth heapGrowth) {
            this(source, how, readings, error, heapGrowth, List.of());
        }
    }

    /** The result entry and the series that stands for the source in the verdict (null with fewer than two rounds). */
    public record Outcome(ForcedGcResult result, MemorySeries series) {
    }

    public static Outcome of(Forced f, List<TimelinePoint> timeline, double thresholdMBPerHour) {
        return of(f, timeline, thresholdMBPerHour, Double.NaN);
    }

    /**
     * @param requestsPerIteration with flows, the scored phases' requests per iteration that ended (the
     *                             exact series then says what one iteration keeps); NaN without flows
     */
    public static Outcome of(Forced f, List<TimelinePoint> timeline, double thresholdMBPerHour,
                             double requestsPerIteration) {
        List<Reading> rs = f.readings();
        int n = rs.size();
        double[] t = new double[n];
        double[] req = new double[n];
        double[] bytes = new double[n];
        double[] pause = new double[n + f.settlePausesMillis().size()];
        for (int i = 0; i < f.settlePausesMillis().size(); i++) {
            pause[n + i] = f.settlePausesMillis().get(i);
        }
        List<double[]> readings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Reading r = rs.get(i);
            t[i] = r.second();
            req[i] = completedBy(timeline, r.second());
            bytes[i] = r.bytes();
            pause[i] = r.pauseMillis();
            readings.add(new double[] {round3(r.second()), r.bytes(), Math.round(req[i]), round1(r.pauseMillis())});
        }
        double[] pauses = pause.length == 0 ? null
                : new double[] {round1(median(pause)), round1(Arrays.stream(pause).max().orElse(0))};
        int collections = pause.length;
        int rounds = n == 0 ? 0 : rs.get(n - 1).round() + 1;
        if (rounds < 2) {
            String why = f.error() != null ? f.error() : "the load ended before a second round of forced collections";
            ForcedGcResult res = new ForcedGcResult(f.source(), f.how(), collections, pauses, readings, null, null, null, null, null, null, 0,
                    LeakFinding.INCONCLUSIVE, List.of("no exact growth: " + why), f.error(), f.heapGrowth());
            return new Outcome(res, null);
        }
        Fit perRequest = Fit.of(req, bytes);
        Fit perSecond = Fit.of(t, bytes);
        double k = 3600 / LeakDetector.MB;
        double slope = perSecond.slope * k;
        double[] ci = {perSecond.low * k, perSecond.high * k};
        double grew = (roundMean(rs, rounds - 1) - roundMean(rs, 0)) / LeakDetector.MB;
        List<String> reasons = new ArrayList<>();
        String rate = String.format(Locale.ROOT, "after %d forced collections in %d rounds the heap in use grew %.2f MB, "
                + "%.1f MB/h (95 %% CI %.1f–%.1f)", n, rounds, grew, slope, ci[0], ci[1]);
        LeakFinding verdict = verdict(ci, grew, thresholdMBPerHour, rate, reasons);
        double[] perReqCi = perRequest.defined ? new double[] {round1(perRequest.low), round1(perRequest.high)} : null;
        boolean iterations = perRequest.defined && requestsPerIteration > 0;
        double q = iterations ? requestsPerIteration : 0;
        double[] perIterCi = iterations ? new double[] {round1(perRequest.low * q), round1(perRequest.high * q)} : null;
        Double perIter = iterations ? round1(perRequest.slope * q) : null;
        ForcedGcResult res = new ForcedGcResult(f.source(), f.how(), collections, pauses, readings,
                perRequest.defined ? round1(perRequest.slope) : null, perReqCi, perIter, perIterCi, round1(slope),
                new double[] {round1(ci[0]), round1(ci[1])}, Math.round(grew * 1000) / 1000.0, verdict, reasons,
                f.error(), f.heapGrowth());
        List<double[]> floor = points(t, bytes);
        LeakAnalysis a = new LeakAnalysis(verdict, round1(slope), new double[] {round1(ci[0]), round1(ci[1])},
                perSecond.slope, perSecond.p, perSecond.r2, false, round1(slope), floor, t[0], n, reasons,
                thresholdMBPerHour, new double[] {round1(ci[0]), round1(ci[1])}, null);
        MemorySeries series = new MemorySeries(seriesName(f.source()), MemoryKind.FORCED_GC, true, floor, List.of(), a)
                .with(perReqCi == null ? null : iterations ? new MemorySeries.Retained(perIter, perIterCi, "iteration")
                        : new MemorySeries.Retained(round1(perRequest.slope), perReqCi, "request"), null);
        return new Outcome(res, series);
    }

    /**
     * The exact series' verdict: LEAK when its interval is above the threshold and it grew at least
     * {@link #MIN_LEAK_MB}, NO_LEAK when the interval is below, else INCONCLUSIVE; the reason added to {@code reasons}.
     */
    private static LeakFinding verdict(double[] ci, double grew, double thresholdMBPerHour, String rate, List<String> reasons) {
        if (ci[0] > thresholdMBPerHour && grew >= MIN_LEAK_MB) {
            reasons.add(rate + ": above " + fmt(thresholdMBPerHour) + " MB/h");
            return LeakFinding.LEAK;
        }
        if (ci[1] < thresholdMBPerHour) {
            reasons.add(rate + ": below " + fmt(thresholdMBPerHour) + " MB/h");
            return LeakFinding.NO_LEAK;
        }
        reasons.add(rate + (ci[0] > thresholdMBPerHour
                ? String.format(Locale.ROOT, ": %.2f MB in all is less than the %.0f MB exact mode calls a leak; "
                + "a longer run decides", grew, MIN_LEAK_MB)
                : ": the interval straddles " + fmt(thresholdMBPerHour) + " MB/h"));
        return LeakFinding.INCONCLUSIVE;
    }

    /** The readings as the series' points: [second, bytes]. */
    private static List<double[]> points(double[] t, double[] bytes) {
        List<double[]> floor = new ArrayList<>();
        for (int i = 0; i < t.length; i++) {
            floor.add(new double[] {round3(t[i]), bytes[i]});
        }
        return floor;
    }

    /**
     * A run's result with its forced collections: their entries, and their series standing for their
     * sources, scored again (criteria on memory_growth read the exact series first).
     */
    public static RunResult apply(RunResult result, List<Forced> exact, Scenario scenario) {
        if (exact.isEmpty()) {
            return result;
        }
        double threshold = scenario.memory() == null ? MemoryConfig.DEFAULT_LEAK_THRESHOLD_MB_PER_HOUR
                : scenario.memory().leakThresholdMBPerHour();
        List<ForcedGcResult> results = new ArrayList<>();
        List<MemorySeries> memory = new ArrayList<>(result.targetMemory().memory() == null ? List.of() : result.targetMemory().memory());
        double perIteration = requestsPerIteration(result);
        for (Forced f : exact) {
            Outcome o = of(f, result.load().timeline(), threshold, perIteration);
            results.add(o.result());
            if (o.series() != null) {
                memory.add(o.series());
            }
        }
        return Scoring.score(result.toBuilder().memory(List.copyOf(memory)).forcedGc(List.copyOf(results)).build(),
                scenario.criteria());
    }

    /** With flows, the scored phases' requests per iteration that ended (completed or failed); else NaN. */
    static double requestsPerIteration(RunResult r) {
        if (r.userFlows().flows() == null || r.userFlows().flows().isEmpty() || r.load().overall() == null) {
            return Double.NaN;
        }
        long ended = r.userFlows().flows().values().stream().mapToLong(x -> x.completed() + x.failed()).sum();
        return ended > 0 ? r.load().overall().requests() / (double) ended : Double.NaN;
    }

    /** The name of the exact series of {@code source}. */
    public static String seriesName(String source) {
        return source + " (forced GC)";
    }

    /** Requests completed by {@code second}: whole seconds of the timeline, and a share of the second it falls in. */
    static double completedBy(List<TimelinePoint> timeline, double second) {
        double total = 0;
        for (TimelinePoint p : timeline) {
            if (p.second() + 1 <= second) {
                total += p.requests();
            } else if (p.second() < second) {
                total += p.requests() * (second - p.second());
            }
        }
        return total;
    }

    private static double roundMean(List<Reading> rs, int round) {
        return rs.stream().filter(r -> r.round() == round).mapToDouble(Reading::bytes).average().orElse(0);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Least squares of y on x: slope, its 95 % interval (t with n − 2 degrees of freedom), p of slope 0, R². */
    record Fit(double slope, double low, double high, double p, double r2, boolean defined) {
        static Fit of(double[] x, double[] y) {
            int n = x.length;
            double mx = Arrays.stream(x).average().orElse(0);
            double my = Arrays.stream(y).average().orElse(0);
            double sxx = 0;
            double sxy = 0;
            double syy = 0;
            for (int i = 0; i < n; i++) {
                sxx += (x[i] - mx) * (x[i] - mx);
                sxy += (x[i] - mx) * (y[i] - my);
                syy += (y[i] - my) * (y[i] - my);
            }
            if (!(sxx > 0)) {
                return new Fit(0, 0, 0, 1, 0, false);
            }
            double b = sxy / sxx;
            double sse = Math.max(0, syy - b * sxy);
            double r2 = syy > 0 ? 1 - sse / syy : 1;
            if (n < 3) {
                return new Fit(b, b, b, 0, r2, true);
            }
            double se = Math.sqrt(sse / (n - 2) / sxx);
            double q = TDistribution.of(n - 2).inverseSurvivalProbability(0.025);
            double p = se > 0 ? 2 * TDistribution.of(n - 2).survivalProbability(Math.abs(b) / se) : (b == 0 ? 1 : 0);
            return new Fit(b, b - q * se, b + q * se, p, r2, true);
        }
    }
}
