package dev.loadleak.analysis;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Verdict;
import dev.loadleak.scenario.Criterion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scores a result against criteria: one verdict per criterion and the run's verdict, with the
 * reason that qualifies every figure put first when the run did not complete. The one place that
 * does it, for {@code run}, {@code score} and {@code merge}.
 */
public final class Scoring {
    private Scoring() {
    }

    public static RunResult score(RunResult run, List<Criterion> criteria) {
        CriteriaEvaluator.Outcome o = CriteriaEvaluator.evaluate(criteria, run);
        List<String> reasons = new ArrayList<>(o.reasons());
        String first = leadingReason(run);
        if (first != null) {
            reasons.add(0, first);
        }
        // a failed run is never a GO, whatever the part it measured looked like
        Verdict v = run.status() == RunStatus.FAILED || run.status().preflightFailed() ? Verdict.NO_GO : o.verdict();
        return run.withScore(o.results(), o.score(), v, reasons);
    }

    /** Why the figures cover less than the planned run, or null when they cover all of it. */
    static String leadingReason(RunResult run) {
        if (run.status() == null || run.status() == RunStatus.COMPLETED) {
            return null;
        }
        if (run.provenance().mergedFrom() != null) {
            return "a shard did not complete (" + run.status().json() + "): the figures cover what was measured";
        }
        if (run.status() == RunStatus.FAILED) {
            return "the run failed: " + (run.failure() == null ? "see the log" : run.failure());
        }
        if (run.status().preflightFailed()) {
            return "the target was " + run.status().json() + ": " + run.failure();
        }
        double planned = run.provenance().scenario() == null ? 0 : run.provenance().scenario().plannedSeconds();
        if (run.status() == RunStatus.ABORTED) {
            return String.format(Locale.ROOT, "aborted after %.1f of %.0f s (the process ended without writing its "
                    + "result; rebuilt from its journal): the figures cover that part only", run.load().durationSeconds(), planned);
        }
        return String.format(Locale.ROOT, "interrupted after %.1f of %.0f s: the figures cover that part only",
                run.load().durationSeconds(), planned);
    }
}
