package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.CriteriaParser;
import dev.loadleak.scenario.Criterion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Criteria with flow= and step= scopes, and the iteration metrics. */
class FlowCriteriaTest {
    private static final CriteriaParser.Context CTX = new CriteriaParser.Context(
            Set.of("upload.login", "upload.create", "browse.login", "browse.list"), Set.of("steady"), Set.of(), false,
            Set.of("upload", "browse"));

    /** A step whose successes took {@code fromMs}..{@code toMs} evenly, with {@code errors} 5xx errors. */
    private static Stats step(int fromMs, int toMs, int errors) {
        Histogram c = new Histogram(3);
        for (int ms = fromMs; ms <= toMs; ms++) {
            c.recordValue(ms * 1000L);
        }
        long[] byKind = new long[dev.loadleak.result.ErrorKind.values().length];
        byKind[dev.loadleak.result.ErrorKind.STATUS_5XX.ordinal()] = errors;
        return Stats.of(c, c.copy(), byKind, 0, c.getTotalCount() + errors, 0, 10);
    }

    private static RunResult run() {
        Map<String, Stats> requests = new LinkedHashMap<>();
        requests.put("upload.login", step(1, 100, 0));
        requests.put("upload.create", step(101, 200, 10));
        requests.put("browse.login", step(1, 10, 0));
        requests.put("browse.list", step(1, 10, 0));
        Map<String, FlowResult> flows = new LinkedHashMap<>();
        flows.put("upload", new FlowResult("upload", 1, List.of("login", "create"), 100, 90, 10, 0, 0.1, 10,
                Map.of("create", 10L), new Stats.Latency(new Stats.Summary(800_000, 1_500_000, 1_900_000, 2_500_000,
                3_000_000, 3_000_000, 900_000), new Stats.Summary(700_000, 1_000_000, 1_200_000, 1_400_000, 1_500_000,
                1_500_000, 800_000))));
        flows.put("browse", new FlowResult("browse", 3, List.of("login", "list"), 300, 300, 0, 0, 0, 0, Map.of(),
                new Stats.Latency(new Stats.Summary(20_000, 30_000, 40_000, 50_000, 60_000, 60_000, 25_000),
                        new Stats.Summary(20_000, 30_000, 40_000, 50_000, 60_000, 60_000, 25_000))));
        return RunResult.builder().loadleakVersion("t").startedAt("now").durationSeconds(10).overall(step(1, 200, 10))
                .requests(requests).phases(Map.of()).timeline(List.of()).flows(flows).build();
    }

    private static CriterionResult eval(String expr) {
        return CriteriaEvaluator.evaluate(CriteriaParser.parse(expr, Criterion.Level.REQUIRED, 1, CTX), run());
    }

    @Test
    void iterationMetrics() {
        CriterionResult r = eval("iteration_duration{flow=upload} p95 < 2s");
        assertTrue(r.pass(), r.message());
        assertEquals(1_900_000, r.actual(), 1);
        r = eval("iteration_duration p99 < 2s");
        assertTrue(!r.pass() && r.message().contains("slowest flow: upload"), r.message());
        assertEquals(10.0 / 400, eval("iteration_failure_rate < 1%").actual(), 1e-9, "10 failed of 400 ended");
        assertEquals(0.1, eval("iteration_failure_rate{flow=upload} < 1%").actual(), 1e-9);
        assertTrue(eval("iteration_failure_rate{flow=browse} < 1%").pass());
    }

    @Test
    void flowScopeAddsTheStepsHistogramsAndStepScopeNamesOneStep() {
        // upload's steps: 1..200 ms evenly → p50 about 100 ms
        CriterionResult p50 = eval("p50{flow=upload} < 1s");
        assertEquals(100_000, p50.actual(), 1000);
        assertEquals(10.0 / 210, eval("error_rate{flow=upload} < 1%").actual(), 1e-9);
        assertEquals(10, eval("errors{flow=upload,kind=status_5xx} < 1").actual(), 0);
        assertEquals(150_000, eval("p50{step=create} < 1s").actual(), 1000, "create is only in upload");
        assertEquals(150_000, eval("p50{step=upload.create} < 1s").actual(), 1000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CriteriaParser.parse("p95{step=login} < 1s", Criterion.Level.REQUIRED, 1, CTX));
        assertTrue(e.getMessage().contains("several flows [browse.login, upload.login]; write step=FLOW.STEP"),
                e.getMessage());
    }

    @Test
    void mistakesAreNamed() {
        for (String[] bad : new String[][] {
            {"iteration_duration < 2s", "needs a percentile"},
            {"iteration_duration{flow=nope} p95 < 2s", "unknown flow \"nope\""},
            {"iteration_failure_rate{request=upload.login} < 1%", "scope it by flow=NAME only"},
            {"p95{flow=upload,request=upload.login} < 1s", "not both"},
            {"p95{step=nope} < 1s", "unknown step \"nope\""},
            {"memory_growth{flow=upload} < 1MB/h", "flow= does not scope memory_growth"},
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CriteriaParser.parse(bad[0], Criterion.Level.REQUIRED, 1, CTX), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
        CriteriaParser.Context noFlows = new CriteriaParser.Context(Set.of("a"), Set.of(), Set.of(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CriteriaParser.parse("iteration_failure_rate < 1%", Criterion.Level.REQUIRED, 1, noFlows));
        assertTrue(e.getMessage().contains("needs flows:"), e.getMessage());
    }
}
