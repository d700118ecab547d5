package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.metrics.Stats;
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
        long[] errors = new long[dev.loadleak.engine.ErrorKind.values().length];
        errors[dev.loadleak.engine.ErrorKind.STATUS_5XX.ordinal()] = 20;
        errors[dev.loadleak.engine.ErrorKind.TIMEOUT.ordinal()] = 0;
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
        LeakAnalysis a = new LeakAnalysis("LEAK", 63, new double[] {51, 74}, 18350, 0.0001, 0.9, false, 63, List.of(), 60,
                240, List.of("floor grew 63.0 MB/h"));
        RunResult r = run(List.of(new MemorySeries("heap", "prometheus", false, List.of(new double[] {0, 100 * 1048576.0}),
                List.of(), a)));
        CriterionResult c = CriteriaEvaluator.evaluate(
                CriteriaParser.parse("memory_growth < 50MB/h", Criterion.Level.REQUIRED, 1, CTX), r);
        assertEquals("required memory_growth < 50MB/h, actual 63.0 MB/h (heap, 95 % CI 51.0–74.0 MB/h, LEAK) — FAIL (26 % over)",
                c.message());
        assertTrue(CriteriaEvaluator.evaluate(CriteriaParser.parse("memory_max < 200MB", Criterion.Level.TARGET, 1, CTX), r).pass());
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
