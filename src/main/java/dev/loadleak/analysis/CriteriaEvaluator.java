package dev.loadleak.analysis;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.Verdict;
import dev.loadleak.scenario.Criterion;
import dev.loadleak.scenario.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates criteria against a run and scores it. Every criterion is evaluated and reported,
 * never just the first failure.
 *
 * <p>Score (0–100): the weighted mean of each criterion's credit. A passing criterion earns 1. A
 * failing one earns partial credit by how far it missed, capped at 0.5: {@code 0.5 × (1 − miss)}
 * where miss is the relative distance past the threshold (0.22 for 22 % over), floored at 0; a
 * criterion that could not be measured earns 0. With no criteria the score is 100.
 *
 * An inconclusive criterion (a memory_growth whose interval straddles its limit) earns 0.5.
 *
 * <p>Verdict: NO-GO if a required criterion fails or no request succeeded in the scored phases;
 * CONDITIONAL GO if only target criteria fail, or a required one is inconclusive (it can be
 * neither passed nor failed on this run's data); GO otherwise.
 *
 * <p>memory_growth is three-valued: PASS when the growth's 95 % interval lies below the limit,
 * FAIL when it lies above it, INCONCLUSIVE otherwise; {@code memory_growth < 50MB/h (point)}
 * compares the point estimate instead.
 */
public final class CriteriaEvaluator {
    private CriteriaEvaluator() {
    }

    /** The scored outcome. */
    public record Outcome(List<CriterionResult> results, int score, Verdict verdict, List<String> reasons) {
    }

    public static Outcome evaluate(List<Criterion> criteria, RunResult run) {
        List<CriterionResult> results = new ArrayList<>();
        for (Criterion c : criteria) {
            results.add(evaluate(c, run));
        }
        double weights = 0;
        double credits = 0;
        for (CriterionResult r : results) {
            weights += r.weight();
            credits += r.weight() * r.credit();
        }
        int score = weights == 0 ? 100 : (int) Math.round(100 * credits / weights);
        List<String> reasons = new ArrayList<>();
        boolean requiredFailed = false;
        boolean targetFailed = false;
        for (CriterionResult r : results) {
            if (!r.pass()) {
                reasons.add(r.message());
                boolean required = r.required();
                requiredFailed |= required && !r.inconclusive();
                // an inconclusive required criterion is not a pass: at most CONDITIONAL GO
                targetFailed |= !required || r.inconclusive();
            }
        }
        Stats o = run.load().overall();
        if (o.requests() > 0 && o.successes() == 0) {
            requiredFailed = true;
            reasons.add(0, "all " + o.requests() + " requests failed"
                    + (o.errorsByKind().isEmpty() ? "" : ": " + String.join(", ", o.errorsByKind().keySet())));
            score = 0;
        } else if (o.requests() == 0) {
            requiredFailed = true;
            reasons.add(0, "no request completed");
            score = 0;
        }
        if (criteria.isEmpty()) {
            reasons.add("no criteria given: only the run itself was checked");
        }
        Verdict v = requiredFailed ? Verdict.NO_GO : targetFailed ? Verdict.CONDITIONAL_GO : Verdict.GO;
        return new Outcome(results, score, v, reasons);
    }

    static CriterionResult evaluate(Criterion c, RunResult run) {
        String level = c.level().word();
        String thresholdText = format(c, c.threshold());
        Measured m = measure(c, run);
        if (m.value == null) {
            boolean open = m.inconclusive;
            String msg = level + " " + c.expression() + ", actual " + m.why + (open ? " — INCONCLUSIVE"
                    : " — FAIL (not measured)");
            return new CriterionResult(c.level(), c.expression(), c.metric(), null, m.why, c.threshold(), thresholdText,
                    false, c.weight(), open ? 0.5 : 0, msg, open ? CriterionResult.Outcome.INCONCLUSIVE
                    : CriterionResult.Outcome.FAIL);
        }
        double actual = m.value;
        CriterionResult.Outcome outcome = m.interval != null ? MemoryGrowth.outcome(c, m.interval)
                : c.op().test(actual, c.threshold()) ? CriterionResult.Outcome.PASS : CriterionResult.Outcome.FAIL;
        boolean pass = outcome == CriterionResult.Outcome.PASS;
        double credit = pass ? 1 : outcome == CriterionResult.Outcome.INCONCLUSIVE ? 0.5
                : 0.5 * Math.max(0, 1 - miss(c, actual));
        String actualText = format(c, actual);
        String detail = pass ? "PASS" : outcome == CriterionResult.Outcome.INCONCLUSIVE
                ? "INCONCLUSIVE (" + MemoryGrowth.straddles(c, m.interval) + ")" : "FAIL" + overText(c, actual);
        String msg = level + " " + c.expression() + ", actual " + actualText + (m.note == null ? "" : " (" + m.note + ")")
                + " — " + detail;
        return new CriterionResult(c.level(), c.expression(), c.metric(), actual, actualText, c.threshold(), thresholdText,
                pass, c.weight(), Math.round(credit * 1000) / 1000.0, msg, outcome);
    }

    /** Relative distance past the threshold (0.22 = 22 % over a "<" bound or under a ">" bound). */
    static double miss(Criterion c, double actual) {
        double t = c.threshold();
        switch (c.op()) {
            case LT: case LE:
                return t <= 0 ? 1 : (actual - t) / t;
            case GT: case GE:
                return actual <= 0 ? 1 : (t - actual) / t;
            default:
                return t == 0 ? 1 : Math.abs(actual - t) / Math.abs(t);
        }
    }

    private static String overText(Criterion c, double actual) {
        double miss = miss(c, actual);
        if (c.threshold() == 0 || c.op() == Criterion.Op.EQ) {
            return "";
        }
        String word = c.op() == Criterion.Op.LT || c.op() == Criterion.Op.LE ? "over" : "under";
        return String.format(Locale.ROOT, " (%.0f %% %s)", miss * 100, word);
    }

    /**
     * What was measured: the value (null when it could not be, with why), and for memory growth
     * its 95 % interval; {@code inconclusive} when the data could not decide (not a failure).
     */
    record Measured(Double value, String why, String note, double[] interval, boolean inconclusive) {
        Measured(Double value, String why, String note) {
            this(value, why, note, null, false);
        }
    }

    private static Measured measure(Criterion c, RunResult run) {
        String base = c.baseMetric();
        if (c.metric().startsWith("target.")) {
            return targetMetric(c, run);
        }
        if (base.equals("memory_growth") || base.equals("memory_max")) {
            return memory(c, base, c.source(), run);
        }
        if (base.startsWith("iteration_")) {
            return FlowCriteria.iterations(c, run);
        }
        if (c.flow() != null) {
            return FlowCriteria.steps(c, run);
        }
        Stats s = c.request() != null ? run.load().requests().get(c.request())
                : c.phase() != null ? run.load().phases().get(c.phase()) : run.load().overall();
        if (s == null) {
            return new Measured(null, "no such " + (c.request() != null ? "request" : "phase") + " in this run", null);
        }
        if (c.isLatency() && c.errorAnswers()) {
            return s.errorLatencyMicros() == null ? new Measured(null, "no failed answer", null)
                    : new Measured(s.errorLatencyMicros().get(base), null, null);
        }
        if (c.isLatency()) {
            if (s.latencyMicros() == null) {
                return new Measured(null, "no successful request", null);
            }
            Stats.Summary sum = c.uncorrected() ? s.latencyMicros().uncorrected() : s.latencyMicros().corrected();
            return new Measured(sum.get(base), null, null);
        }
        switch (base) {
            case "throughput":
                return new Measured(s.throughputPerSecond(), null, null);
            case "error_rate":
                return s.requests() == 0 ? new Measured(null, "no request completed", null)
                        : new Measured(s.errorRate(), null, null);
            case "errors":
                return new Measured((double) (c.kind() == null ? s.errors() : s.errorsByKind().getOrDefault(c.kind(), 0L)),
                        null, null);
            case "late_sends":
                return new Measured((double) s.lateSends(), null, null);
            default:
                return new Measured(null, "unknown metric", null);
        }
    }

    private static Measured memory(Criterion c, String base, String source, RunResult run) {
        if (run.targetMemory().memory() == null || run.targetMemory().memory().isEmpty()) {
            return new Measured(null, "no memory series in this run", null);
        }
        List<MemorySeries> series = run.targetMemory().memory().stream().filter(s -> source == null || s.source().equals(source)
                || s.source().equals(ExactRetention.seriesName(source))).toList();
        if (base.equals("memory_max")) {
            double max = -1;
            for (MemorySeries s : series) {
                for (double[] p : s.samples()) {
                    max = Math.max(max, p[1]);
                }
            }
            return max < 0 ? new Measured(null, "no memory sample", null) : new Measured(max, null, null);
        }
        MemoryGrowth.Worst w = MemoryGrowth.worst(series, c);
        if (w == null) {
            return new Measured(null, MemoryGrowth.notMeasured(series), null, null, MemoryGrowth.anyAnalysis(series));
        }
        return new Measured(w.growth(), null, w.note(), c.point() ? null : w.interval(), false);
    }

    private static Measured targetMetric(Criterion c, RunResult run) {
        String name = c.metric().substring("target.".length());
        Map<String, List<double[]>> series = run.targetMemory().targetMetrics();
        List<double[]> points = series == null ? null : series.get(name);
        if (points == null || points.isEmpty()) {
            return new Measured(null, "no sample of " + name + " was scraped", null);
        }
        double v;
        switch (c.aggregate()) {
            case "max": v = points.stream().mapToDouble(p -> p[1]).max().orElseThrow(); break;
            case "min": v = points.stream().mapToDouble(p -> p[1]).min().orElseThrow(); break;
            case "mean": v = points.stream().mapToDouble(p -> p[1]).average().orElseThrow(); break;
            default: v = points.get(points.size() - 1)[1]; break;
        }
        return new Measured(v, null, null);
    }

    /** A value in the criterion's canonical unit, for people. */
    static String format(Criterion c, double v) {
        String base = c.baseMetric();
        if (c.isDuration()) {
            return Units.formatMicros(v).replace("ms", " ms").replace("µs", " µs").replaceAll("(\\d)s$", "$1 s");
        }
        switch (base) {
            case "error_rate":
            case "iteration_failure_rate": return String.format(Locale.ROOT, "%.2f %%", v * 100);
            case "throughput": return String.format(Locale.ROOT, "%.1f/s", v);
            case "memory_growth": return String.format(Locale.ROOT, "%.1f MB/h", v);
            case "memory_max": return String.format(Locale.ROOT, "%.1f MB", v / (1024 * 1024));
            case "errors": case "late_sends": return String.format(Locale.ROOT, "%.0f", v);
            default: return String.format(Locale.ROOT, "%.4g", v);
        }
    }
}
