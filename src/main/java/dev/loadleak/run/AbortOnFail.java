package dev.loadleak.run;

import dev.loadleak.analysis.CriteriaEvaluator;
import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.scenario.Criterion;
import java.util.List;

/**
 * {@code abortOnFail: true} on required criteria: whenever the live view scores the run
 * ({@link LiveScoring}), the criteria that stop the run are scored on the run so far — the same
 * result the dashboard and the console score, so the same verdict — and the first that fails (a
 * measured FAIL: not inconclusive, not unmeasured) after its {@code delay} stops the run. A
 * memory_growth criterion fails only once growth above it is established (the 95 % interval above
 * the limit, LEAK), so a soak stops as soon as its leak is, and never on an inconclusive estimate.
 */
final class AbortOnFail {
    private final List<Criterion> criteria;
    private final double earliest;

    private AbortOnFail(List<Criterion> criteria) {
        this.criteria = criteria;
        this.earliest = criteria.stream().mapToDouble(Criterion::abortDelaySeconds).min().orElse(0);
    }

    /** The run's abortOnFail criteria, or null when it has none. */
    static AbortOnFail of(List<Criterion> all) {
        List<Criterion> mine = all.stream().filter(Criterion::abortOnFail).toList();
        return mine.isEmpty() ? null : new AbortOnFail(mine);
    }

    /**
     * The criteria that stop the run, on the run as {@code now} scored it (when it scored it this second): why it
     * must stop ("required p95 < 5ms, actual 21.3 ms — FAIL …"), or null.
     */
    String check(LiveSnapshot now) {
        long elapsedSeconds = now.elapsedSeconds();
        RunResult r = now.scored();
        if (elapsedSeconds < earliest || !now.scoredNow() || r == null) {
            return null; // a scoring that failed is not a reason to stop: the final scoring will say what is wrong
        }
        List<Criterion> due = criteria.stream().filter(c -> elapsedSeconds >= c.abortDelaySeconds()).toList();
        for (CriterionResult c : CriteriaEvaluator.evaluate(due, r).results()) {
            if (c.outcomeOrPass() == CriterionResult.Outcome.FAIL && c.actual() != null) {
                return c.message();
            }
        }
        return null;
    }
}
