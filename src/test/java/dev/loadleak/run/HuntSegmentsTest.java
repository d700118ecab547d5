package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.analysis.ExactRetention;
import dev.loadleak.analysis.HuntResult;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.report.HuntReport;
import dev.loadleak.result.ForcedGcResult;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hunt's segments: each request alone, or with flows each flow alone (its steps need each other); what each is judged by. */
class HuntSegmentsTest {
    private static final Hunt.Settings ST = new Hunt.Settings(Path.of("/tmp/x"), "t", 1, 50, 30_000_000_000L,
            5_000_000_000L, 0, null);

    @Test
    void withFlowsEachSegmentIsOneFlowAtTheRateOfIterations() throws Exception {
        Scenario s = ScenarioLoader.parse("h.yaml", """
                target: http://127.0.0.1:1
                phases: [{duration: 1m, rate: 10/s}]
                setup: [{name: login, path: /login, extract: {token: {json: /t}}}]
                flows:
                  - {name: browse, weight: 5, steps: [{name: list, path: /items}]}
                  - name: upload
                    steps:
                      - {name: create, method: POST, path: /items, headers: {Authorization: "Bearer ${token}"},
                         extract: {id: {json: /id}}}
                      - {name: delete, method: DELETE, path: "/items/${id}"}
                memory: {sources: [{name: heap, type: prometheus, url: /metrics, metric: m}]}
                criteria: {required: [p95 < 1s]}
                """);
        Scenario seg = Hunt.flowSegment(s, s.flows().flows().get(1), ST);
        assertEquals(List.of("upload"), seg.flows().flows().stream().map(f -> f.name()).toList());
        assertEquals(List.of("upload.create", "upload.delete"), seg.requests().stream().map(RequestSpec::name).toList());
        assertEquals(1, seg.flows().setup().size(), "setup is kept: the flow needs its token");
        assertTrue(seg.criteria().isEmpty());
        assertEquals(2, seg.phases().size());
        assertTrue(seg.phases().get(0).warmup());
        assertEquals(50.0, ((Phase.ConstantRate) seg.phases().get(1).load()).perSecond());
        EnginePlan plan = EnginePlan.of(seg);
        assertEquals(1, plan.mix().length(), "one flow in the mix");
    }

    /** A flow of real-time steps is a suspect like any: its segment keeps its connect, emit and disconnect. */
    @Test
    void aFlowOfRealTimeStepsIsRankedLikeAnyOther() throws Exception {
        Scenario s = ScenarioLoader.parse("h.yaml", """
                target: http://127.0.0.1:1
                phases: [{duration: 1m, rate: 10/s}]
                flows:
                  - {name: browse, steps: [{name: list, path: /items}]}
                  - name: live
                    steps:
                      - {name: join, socketio: {connect: /media}}
                      - {name: ping, socketio: {emit: ping-media, ack: true}}
                      - {name: leave, socketio: {disconnect: true}}
                memory: {sources: [{name: heap, type: prometheus, url: /metrics, metric: m}]}
                """);
        Scenario seg = Hunt.flowSegment(s, s.flows().flows().get(1), ST);
        assertEquals(List.of("live.join", "live.ping", "live.leave"), seg.requests().stream().map(RequestSpec::name)
                .toList());
        assertTrue(seg.flows().flows().get(0).steps().stream().allMatch(step -> step.realtime() != null));
        assertTrue(EnginePlan.of(seg).flows().hasFlows(), "run as flows: each iteration a new user, its connection closed at its end");
    }

    @Test
    void aSegmentWithForcedCollectionsIsJudgedByThemAndNamesWhatGrewMost() {
        LeakAnalysis noisy = new LeakAnalysis(LeakFinding.INCONCLUSIVE, 190, new double[] {-50, 430}, 0, 0.4, 0.1,
                false, 190, List.of(), 0, 20, List.of("only 5 post-GC floor points"), 5, new double[] {-50, 430}, 300.0);
        LeakAnalysis exact = new LeakAnalysis(LeakFinding.LEAK, 380, new double[] {350, 410}, 0, 0, 0.99, false, 380,
                List.of(), 5, 6, List.of("after 6 forced collections"), 5, new double[] {350, 410}, null);
        HeapGrowth.Group strings = new HeapGrowth.Group("(string)", 1000, 54_255, 90_000, 2_990_000);
        HeapGrowth g = new HeapGrowth("v8", "a", "b", 1, 2, 3, 4, List.of(strings,
                new HeapGrowth.Group("Object", 10, 20, 100, 50_000)), List.of(), null);
        ForcedGcResult forced = new ForcedGcResult("v8", "HeapProfiler.collectGarbage", 6,
                new double[] {30, 40}, List.of(), 366.0, new double[] {340, 390}, null, null, 380.0,
                new double[] {350, 410}, 3.0, LeakFinding.LEAK, List.of(), null, g);
        RunResult r = RunResult.builder().memory(List.of(
                new MemorySeries("rss", MemoryKind.PROCESS, false, List.of(), List.of(), noisy),
                new MemorySeries(ExactRetention.seriesName("v8"), MemoryKind.FORCED_GC, true, List.of(), List.of(), exact)
                        .with(new MemorySeries.Retained(366, new double[] {340, 390}, "request"), null)))
                .forcedGc(List.of(forced)).build();
        HuntResult.Suspect s = Hunt.suspect("cart", r, Path.of("segments/2-cart/result.json"));
        assertEquals("v8 (forced GC)", s.source());
        assertTrue(s.exact());
        assertEquals(LeakFinding.LEAK, s.verdict());
        assertEquals(366, s.retained().bytes());
        assertEquals("(string)", s.topGrowth().name());
        String text = HuntReport.text(HuntResult.of("v", "h", "t", 300, 30, 5, List.of(s)));
        assertTrue(text.contains("cart: grew most: (string) +2.8 MB, +53,255 objects"), text);
        assertTrue(text.contains("forced collections at each segment's start and end"), text);
        // without forced collections, the first analysed series as before, and nothing about snapshots
        HuntResult.Suspect sampled = Hunt.suspect("cart", RunResult.builder().memory(List.of(
                new MemorySeries("rss", MemoryKind.PROCESS, false, List.of(), List.of(), noisy))).build(), Path.of("x"));
        assertEquals("rss", sampled.source());
        assertFalse(sampled.exact());
        assertNull(sampled.topGrowth());
    }
}
