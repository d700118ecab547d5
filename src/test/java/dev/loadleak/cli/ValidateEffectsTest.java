package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** validate says what each memory source does to the target beyond the load, and nothing for those that only read. */
class ValidateEffectsTest {
    @Test
    void eachIntrusiveOptionIsSaidInWords() throws Exception {
        Scenario s = ScenarioLoader.parse("v.yaml", """
                target: http://127.0.0.1:1
                phases: [{duration: 1m, rate: 10/s}]
                requests: [{path: /}]
                memory:
                  sources:
                    - {name: scrape, type: prometheus, url: /metrics, metric: m}
                    - {name: rss, type: process, launch: "node server.js", health: "http://127.0.0.1:1/health"}
                    - {name: v8, type: node, inspect: "127.0.0.1:9229", forceGc: true, forceGcEvery: 30s, evidence: heapSnapshot}
                    - {name: jvm, type: process, pid: 42, forceGc: true, evidence: classHistogram}
                """);
        List<String> lines = ValidateCommand.effects(s.memory());
        assertEquals(3, lines.size(), "the scrape only reads: " + lines);
        assertTrue(lines.get(0).startsWith("  memory rss: loadleak starts the target (launch:)"), lines.get(0));
        String v8 = lines.get(1);
        assertTrue(v8.contains("inspector, which can run code in it"), v8);
        assertTrue(v8.contains("(HeapProfiler.collectGarbage) 3 times to settle and 3 times when the scored load starts, "
                + "3 every 30 s, 3 times when it ends: each one pauses the target"), v8);
        assertTrue(v8.contains("takes 2 V8 heap snapshots") && v8.contains("those files hold the target's data"), v8);
        String jvm = lines.get(2);
        assertTrue(jvm.contains("(jcmd GC.class_histogram: a full collection)") && jvm.contains("when the scored load "
                + "starts and ends: each is a full collection"), jvm);
    }
}
