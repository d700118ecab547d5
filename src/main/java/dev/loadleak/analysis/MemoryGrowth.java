package dev.loadleak.analysis;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.scenario.Criterion;
import java.util.List;
import java.util.Locale;

/**
 * A memory_growth criterion read against the leak analyses: three-valued on the growth's 95 %
 * interval [lo, hi]. For {@code < limit}: PASS when hi is below the limit, FAIL when lo is above
 * it, INCONCLUSIVE when the interval straddles it (mirrored for {@code >}). Over several sources,
 * the worst one counts: a FAIL before an INCONCLUSIVE before a PASS.
 */
final class MemoryGrowth {
    /** The series the criterion is decided on: its growth, interval, and how it reads. */
    record Worst(double growth, double[] interval, String note, CriterionResult.Outcome outcome) {
    }

    private MemoryGrowth() {
    }

    /** The growth interval of an analysis, or null when the data could not give a slope. */
    static double[] interval(LeakAnalysis a) {
        if (a == null) {
            return null;
        }
        if (a.growthCi95MBPerHour() != null) {
            return a.growthCi95MBPerHour();
        }
        // results written before the interval was kept: decided verdicts had a slope and its interval
        return LeakFinding.INCONCLUSIVE.equals(a.verdict()) ? null : a.ci95MBPerHour();
    }

    static CriterionResult.Outcome outcome(Criterion c, double[] ci) {
        boolean below = c.op() == Criterion.Op.LT || c.op() == Criterion.Op.LE;
        double limit = c.threshold();
        if (below ? c.op().test(ci[1], limit) : c.op().test(ci[0], limit)) {
            return CriterionResult.Outcome.PASS;
        }
        if (below ? ci[0] > limit || ci[0] == limit && c.op() == Criterion.Op.LT
                : ci[1] < limit || ci[1] == limit && c.op() == Criterion.Op.GT) {
            return CriterionResult.Outcome.FAIL;
        }
        return CriterionResult.Outcome.INCONCLUSIVE;
    }

    /** The worst series for {@code c} among those with a growth interval, or null when none has one. */
    static Worst worst(List<MemorySeries> series, Criterion c) {
        Worst worst = null;
        java.util.Set<String> exact = new java.util.HashSet<>();
        for (MemorySeries s : series) {
            if (s.kind() == MemoryKind.FORCED_GC) {
                exact.add(s.source());
            }
        }
        for (MemorySeries s : series) {
            if (exact.contains(ExactRetention.seriesName(s.source()))) {
                continue; // the forced collections' series stands for this source
            }
            LeakAnalysis a = s.analysis();
            double[] ci = interval(a);
            if (ci == null) {
                continue;
            }
            CriterionResult.Outcome outcome = c.point() ? (c.op().test(a.growthMBPerHour(), c.threshold())
                    ? CriterionResult.Outcome.PASS : CriterionResult.Outcome.FAIL) : outcome(c, ci);
            String note = s.source() + (a.plateau() ? ", after a plateau" : "") + String.format(Locale.ROOT,
                    ", 95 %% CI %.1f–%.1f MB/h", ci[0], ci[1]) + ", " + a.verdict();
            Worst w = new Worst(a.growthMBPerHour(), ci, note, outcome);
            if (worst == null || rank(w.outcome) > rank(worst.outcome)
                    || rank(w.outcome) == rank(worst.outcome) && w.growth > worst.growth) {
                worst = w;
            }
        }
        return worst;
    }

    private static int rank(CriterionResult.Outcome outcome) {
        return switch (outcome) {
            case FAIL -> 2;
            case INCONCLUSIVE -> 1;
            case PASS -> 0;
        };
    }

    /** Whether some series was analysed (its data then could not decide: inconclusive, not unmeasured). */
    static boolean anyAnalysis(List<MemorySeries> series) {
        return series.stream().anyMatch(s -> s.analysis() != null);
    }

    /** Why no growth could be read, from the analyses' own reasons. */
    static String notMeasured(List<MemorySeries> series) {
        for (MemorySeries s : series) {
            if (s.analysis() != null) {
                return "inconclusive for " + s.source() + ": " + String.join("; ", s.analysis().reasons());
            }
        }
        return "no memory analysis";
    }

    /** Why an interval neither passes nor fails {@code c}, and what would decide. */
    static String straddles(Criterion c, double[] ci) {
        return String.format(Locale.ROOT, "the 95 %% CI %.1f–%.1f MB/h straddles the %s limit: neither ruled out nor "
                + "established; run longer", ci[0], ci[1], CriteriaEvaluator.format(c, c.threshold()));
    }
}
