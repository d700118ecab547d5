package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.Verdict;
import dev.loadleak.scenario.CriteriaParser;
import dev.loadleak.scenario.Criterion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CriteriaEvaluatorTest {
    private static final CriteriaParser.Context CTX = new CriteriaParser.Context(Set.of("list", "get"),
            Set.of("warm", "steady"), Set.of("heap"), true);

    /** A run whose latencies are 1..1000 ms evenly (p95 = 950 ms), 2 % errors, 100 req/s. */
    static RunResult run(List<MemorySeries> memory) {
        Histogram c = new Histogram(3);
        Histogram u = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            c.recordValue(i * 1000L);
            u.recordValue(i * 500L);
        }
        long[] errors = new long[dev.loadleak.result.ErrorKind.values().length];
        errors[dev.loadleak.result.ErrorKind.STATUS_5XX.ordinal()] = 20;
        errors[dev.loadleak.result.ErrorKind.TIMEOUT.ordinal()] = 0;
        Stats s = Stats.of(c, u, errors, 3, 1020, 0, 10.2);
        return RunResult.builder().loadleakVersion("test").startedAt("now").durationSeconds(10.2).intendedRequests(1020)
                .overall(s).requests(Map.of("list", s, "get", s)).phases(Map.of("warm", s, "steady", s)).timeline(List.of())
                .memory(memory).targetMetrics(Map.of("nodejs_eventloop_lag_p99_seconds",
                        List.of(new double[] {0, 0.01}, new double[] {1, 0.07}))).build();
    }

    private static CriterionResult eval(String expr) {
        return CriteriaEvaluator.evaluate(CriteriaParser.parse(expr, Criterion.Level.REQUIRED, 1, CTX), run(List.of()));
    }

    @Test
    void messagesSayRequiredAndActual() {
        CriterionResult r = eval("p95 < 500ms");
        assertFalse(r.pass());
        assertEquals("required p95 < 500ms, actual 950.3 ms — FAIL (90 % over)", r.message());
        assertEquals(0.05, r.credit(), 0.01);
        CriterionResult ok = eval("p95 < 2s");
        assertTrue(ok.pass());
        assertEquals("required p95 < 2s, actual 950.3 ms — PASS", ok.message());
        assertEquals("required error_rate < 2%, actual 1.96 % — PASS", eval("error_rate < 2%").message());
        assertEquals("required throughput > 200/s, actual 100.0/s — FAIL (50 % under)", eval("throughput > 200/s").message());
        assertTrue(eval("errors{kind=status_5xx} <= 20").pass());
        assertFalse(eval("errors < 5").pass());
        assertTrue(eval("p99_uncorrected < 600ms").pass());
        assertFalse(eval("p99 < 600ms").pass());
        assertTrue(eval("late_sends < 4").pass());
        assertFalse(eval("target.nodejs_eventloop_lag_p99_seconds max < 0.05").pass());
        assertTrue(eval("target.nodejs_eventloop_lag_p99_seconds mean < 0.05").pass());
        assertTrue(eval("p50{request=list} < 600ms").pass());
    }

    @Test
    void memoryCriteriaReadTheSlopeAndSayWhenTheyCannot() {
        assertEquals("required memory_growth < 50MB/h, actual no memory series in this run — FAIL (not measured)",
                eval("memory_growth < 50MB/h").message());
        RunResult r = withHeap("LEAK", 63, 51, 74);
        CriterionResult c = CriteriaEvaluator.evaluate(
                CriteriaParser.parse("memory_growth < 50MB/h", Criterion.Level.REQUIRED, 1, CTX), r);
        assertEquals("required memory_growth < 50MB/h, actual 63.0 MB/h (heap, 95 % CI 51.0–74.0 MB/h, LEAK) — FAIL (26 % over)",
                c.message());
        assertTrue(CriteriaEvaluator.evaluate(CriteriaParser.parse("memory_max < 200MB", Criterion.Level.TARGET, 1, CTX), r).pass());
    }

    private static RunResult withHeap(String verdict, double slope, double lo, double hi) {
        LeakAnalysis a = new LeakAnalysis(LeakFinding.valueOf(verdict), slope, new double[] {lo, hi}, slope * 291, 0.0001, 0.9, false, slope,
                List.of(), 60, 240, List.of("floor grew " + slope + " MB/h"), 5, new double[] {lo, hi}, null);
        return run(List.of(new MemorySeries("heap", MemoryKind.PROMETHEUS, false, List.of(new double[] {0, 100 * 1048576.0}),
                List.of(), a)));
    }

    /** memory_growth is three-valued on the interval: the 49.4 MB/h (CI -81.6–771.5) neither passes nor fails 50. */
    @Test
    void memoryGrowthPassesOnlyWhenTheIntervalIsBelowTheLimit() {
        Object[][] table = {
            // verdict, slope, lo, hi, criterion, outcome
            {"INCONCLUSIVE", 49.4, -81.6, 771.5, "memory_growth < 50MB/h", CriterionResult.Outcome.INCONCLUSIVE},
            {"INCONCLUSIVE", 49.4, -81.6, 771.5, "memory_growth < 50MB/h (point)", CriterionResult.Outcome.PASS},
            {"INCONCLUSIVE", 50.4, -81.6, 771.5, "memory_growth < 50MB/h (point)", CriterionResult.Outcome.FAIL},
            {"NO_LEAK", 2.0, -1.0, 4.5, "memory_growth < 50MB/h", CriterionResult.Outcome.PASS},
            {"INCONCLUSIVE", 30.0, 10.0, 49.9, "memory_growth < 50MB/h", CriterionResult.Outcome.PASS},
            {"LEAK", 70.0, 60.0, 80.0, "memory_growth < 50MB/h", CriterionResult.Outcome.FAIL},
            {"LEAK", 70.0, 40.0, 80.0, "memory_growth < 50MB/h", CriterionResult.Outcome.INCONCLUSIVE},
            {"LEAK", 70.0, 60.0, 80.0, "memory_growth > 50MB/h", CriterionResult.Outcome.PASS},
        };
        for (Object[] row : table) {
            RunResult r = withHeap((String) row[0], (double) row[1], (double) row[2], (double) row[3]);
            CriterionResult c = CriteriaEvaluator.evaluate(CriteriaParser.parse((String) row[4], Criterion.Level.REQUIRED,
                    1, CTX), r);
            assertEquals(row[5], c.outcome(), () -> java.util.Arrays.toString(row) + ": " + c.message());
            assertEquals(row[5].equals(CriterionResult.Outcome.PASS), c.pass());
        }
        RunResult straddling = withHeap("INCONCLUSIVE", 49.4, -81.6, 771.5);
        CriterionResult c = CriteriaEvaluator.evaluate(CriteriaParser.parse("memory_growth < 50MB/h",
                Criterion.Level.REQUIRED, 1, CTX), straddling);
        assertEquals("required memory_growth < 50MB/h, actual 49.4 MB/h (heap, 95 % CI -81.6–771.5 MB/h, INCONCLUSIVE) — "
                + "INCONCLUSIVE (the 95 % CI -81.6–771.5 MB/h straddles the 50.0 MB/h limit: neither ruled out nor "
                + "established; run longer)", c.message());
        // an inconclusive required criterion: at most CONDITIONAL GO, with the reason in words
        CriteriaEvaluator.Outcome o = CriteriaEvaluator.evaluate(List.of(CriteriaParser.parse("memory_growth < 50MB/h",
                Criterion.Level.REQUIRED, 1, CTX), CriteriaParser.parse("p95 < 2s", Criterion.Level.REQUIRED, 1, CTX)),
                straddling);
        assertEquals(Verdict.CONDITIONAL_GO, o.verdict());
        assertEquals(75, o.score());
        assertTrue(o.reasons().get(0).contains("INCONCLUSIVE"), o.reasons().toString());
        assertThrows(IllegalArgumentException.class, () -> CriteriaParser.parse("p95 < 2s (point)",
                Criterion.Level.REQUIRED, 1, CTX));
    }

    @Test
    void errorLatencyHasItsOwnSelector() {
        assertEquals("required p99{outcome=error} < 1s, actual no failed answer — FAIL (not measured)",
                eval("p99{outcome=error} < 1s").message());
    }

    @Test
    void verdictAndScore() {
        List<Criterion> cs = List.of(
                CriteriaParser.parse("p95 < 2s", Criterion.Level.REQUIRED, 1, CTX),
                CriteriaParser.parse("throughput > 50/s", Criterion.Level.TARGET, 1, CTX));
        CriteriaEvaluator.Outcome go = CriteriaEvaluator.evaluate(cs, run(List.of()));
        assertEquals(Verdict.GO, go.verdict());
        assertEquals(100, go.score());

        List<Criterion> cond = List.of(cs.get(0), CriteriaParser.parse("throughput > 200/s", Criterion.Level.TARGET, 1, CTX));
        CriteriaEvaluator.Outcome c = CriteriaEvaluator.evaluate(cond, run(List.of()));
        assertEquals(Verdict.CONDITIONAL_GO, c.verdict());
        assertEquals(63, c.score()); // 100 × (1 + 0.5 × (1 − 0.5)) / 2 = 62.5
        assertEquals(1, c.reasons().size());

        List<Criterion> nogo = List.of(CriteriaParser.parse("p95 < 500ms", Criterion.Level.REQUIRED, 3, CTX), cs.get(1));
        CriteriaEvaluator.Outcome n = CriteriaEvaluator.evaluate(nogo, run(List.of()));
        assertEquals(Verdict.NO_GO, n.verdict());
        assertEquals(Math.round(100 * (3 * 0.05 + 1) / 4.0), n.score(), 1);
        assertEquals(2, n.results().size(), "every criterion is evaluated, not just the first failure");
    }
}
