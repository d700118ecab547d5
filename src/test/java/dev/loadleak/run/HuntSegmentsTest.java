package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.EnginePlan;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hunt's segments: each request alone, or with flows each flow alone (its steps need each other). */
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
}
