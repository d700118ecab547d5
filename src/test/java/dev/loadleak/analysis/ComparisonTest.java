package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The regression gate on synthetic runs with fixed seeds: no false alarms, real shifts caught. */
class ComparisonTest {
    private static final Comparison.Tolerances TOL = Comparison.Tolerances.defaults();

    @Test
    void identicalDistributionsAreNoRegressionInAtLeast99PercentOfSeeds() {
        int regressions = 0;
        int seeds = 200;
        for (long seed = 0; seed < seeds; seed++) {
            RunResult base = SyntheticRuns.run(seed * 2, 5_000, 1.0, 200, 0.002);
            RunResult cur = SyntheticRuns.run(seed * 2 + 1, 5_000, 1.0, 200, 0.002);
            regressions += Comparison.compare(base, cur, TOL).regression() ? 1 : 0;
        }
        System.out.printf("identical distributions: %d/%d flagged%n", regressions, seeds);
        assertTrue(regressions <= seeds / 100, regressions + " false regressions in " + seeds);
    }

    @Test
    void aFifteenPercentP95ShiftIsFlagged() {
        int flagged = 0;
        for (long seed = 0; seed < 50; seed++) {
            RunResult base = SyntheticRuns.run(1000 + seed * 2, 5_000, 1.0, 200, 0.0);
            RunResult cur = SyntheticRuns.run(1000 + seed * 2 + 1, 5_000, 1.15, 200, 0.0);
            Comparison.Result c = Comparison.compare(base, cur, TOL);
            if (c.regression() && c.reasons().stream().anyMatch(s -> s.startsWith("overall p95"))) {
                flagged++;
            }
        }
        System.out.printf("15 %% p95 shift: %d/50 flagged%n", flagged);
        assertEquals(50, flagged);
    }

    @Test
    void aSmallSignificantShiftWithinToleranceIsNotARegression() {
        RunResult base = SyntheticRuns.run(7, 5_000, 1.0, 400, 0.0);
        RunResult cur = SyntheticRuns.run(8, 5_000, 1.05, 400, 0.0);
        Comparison.Result c = Comparison.compare(base, cur, TOL);
        Comparison.Delta p95 = c.deltas().stream().filter(d -> d.scope().equals("overall") && d.metric().equals("p95"))
                .findFirst().orElseThrow();
        assertTrue(p95.significant(), "5 % at 400 req/s is detectable");
        assertFalse(p95.beyondTolerance());
        assertFalse(c.regression());
    }

    @Test
    void errorRateIncreaseIsFlagged() {
        RunResult base = SyntheticRuns.run(21, 5_000, 1.0, 200, 0.001);
        RunResult cur = SyntheticRuns.run(22, 5_000, 1.0, 200, 0.02);
        Comparison.Result c = Comparison.compare(base, cur, TOL);
        assertTrue(c.regression());
        assertTrue(c.reasons().stream().anyMatch(s -> s.startsWith("overall error_rate")), c.reasons().toString());
    }

    @Test
    void mannWhitneyBasics() {
        double[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] b = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        assertTrue(MannWhitney.pGreater(a, b) < 0.001);
        assertTrue(MannWhitney.pGreater(b, a) > 0.999);
        assertEquals(0.5, MannWhitney.pGreater(a, a), 0.1);
        assertEquals(1.0, MannWhitney.pGreater(new double[0], a));
        // small samples without ties: the exact distribution of U (all 20 orderings of 3 + 3 equally likely)
        assertEquals(0.05, MannWhitney.pGreater(new double[] {1, 2, 3}, new double[] {4, 5, 6}), 1e-12);
    }
}
