package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.FlowResult;
import dev.loadleak.result.RunResult;
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

    /** {@code run} with one flow whose iterations take {@code factor} × 40 ms (log-normal) and fail at {@code failures}. */
    private static RunResult withFlow(long seed, double factor, double failures) {
        RunResult r = SyntheticRuns.run(seed, 5_000, 1.0, 200, 0.0);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(3);
        long completed = 0;
        long failed = 0;
        for (int i = 0; i < 3_000; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
            h.recordValue(Math.max(1, Math.round(40_000 * factor * Math.exp(0.4 * g))));
            if (rnd.nextDouble() < failures) {
                failed++;
            } else {
                completed++;
            }
        }
        dev.loadleak.result.Stats.Summary sum = dev.loadleak.result.Stats.Summary.of(h);
        String encoded = dev.loadleak.result.Stats.encode(h);
        FlowResult f = new FlowResult("media", 1, java.util.List.of("media.login", "media.read"), completed + failed,
                completed, failed, 0, FlowResult.failureRate(completed, failed), 0, java.util.Map.of(),
                new dev.loadleak.result.Stats.Latency(sum, sum),
                new dev.loadleak.result.Stats.Histograms(encoded, encoded, null));
        return r.toBuilder().flows(java.util.Map.of("media", f)).build();
    }

    @Test
    void flowsAreComparedByIterationDurationAndFailureRate() {
        int falseAlarms = 0;
        for (long seed = 0; seed < 100; seed++) {
            Comparison.Result same = Comparison.compare(withFlow(500 + seed * 2, 1.0, 0.002),
                    withFlow(501 + seed * 2, 1.0, 0.002), TOL);
            falseAlarms += same.reasons().stream().anyMatch(r -> r.startsWith("flow ")) ? 1 : 0;
        }
        System.out.printf("identical flows: %d/100 flagged%n", falseAlarms);
        assertTrue(falseAlarms <= 1, falseAlarms + " false flow regressions in 100 seeds");
        Comparison.Result same = Comparison.compare(withFlow(31, 1.0, 0.001), withFlow(32, 1.0, 0.001), TOL);
        assertTrue(same.deltas().stream().anyMatch(d -> d.scope().equals("flow media") && d.metric().equals("iteration p95")));
        Comparison.Result slower = Comparison.compare(withFlow(33, 1.0, 0.001), withFlow(34, 1.3, 0.001), TOL);
        assertTrue(slower.reasons().stream().anyMatch(r -> r.startsWith("flow media iteration p95")),
                slower.reasons().toString());
        Comparison.Result failing = Comparison.compare(withFlow(35, 1.0, 0.001), withFlow(36, 1.0, 0.03), TOL);
        assertTrue(failing.reasons().stream().anyMatch(r -> r.startsWith("flow media iteration_failure_rate")),
                failing.reasons().toString());
    }

    private static RunResult withLost(long seed, long opened, long lost) {
        RunResult r = withFlow(seed, 1.0, 0.001);
        FlowResult f = r.userFlows().flows().get("media");
        FlowResult.Realtime rt = FlowResult.Realtime.of(opened, 0, opened, lost, opened, opened * 2, 0, 0, 60);
        FlowResult g = new FlowResult(f.name(), f.weight(), f.steps(), f.started(), f.completed(), f.failed(), f.aborted(),
                f.failureRate(), f.skipped(), f.skippedByStep(), f.durationMicros(), f.histograms(), rt);
        return r.toBuilder().flows(java.util.Map.of("media", g)).build();
    }

    @Test
    void moreConnectionsLostIsARegressionAndTheSameShareIsNot() {
        Comparison.Result same = Comparison.compare(withLost(40, 6000, 6), withLost(41, 6000, 7), TOL);
        assertTrue(same.deltas().stream().anyMatch(d -> d.scope().equals("flow media")
                && d.metric().equals("connections lost %")), same.deltas().toString());
        assertTrue(same.reasons().stream().noneMatch(r -> r.contains("connections lost")), same.reasons().toString());
        Comparison.Result dropping = Comparison.compare(withLost(42, 6000, 6), withLost(43, 6000, 600), TOL);
        assertTrue(dropping.reasons().stream().anyMatch(r -> r.startsWith("flow media connections lost %")),
                dropping.reasons().toString());
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
