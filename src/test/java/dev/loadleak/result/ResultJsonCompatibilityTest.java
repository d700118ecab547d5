package dev.loadleak.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.report.JsonResult;
import dev.loadleak.scenario.Criterion;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * result.json is a contract (schemaVersion 1): {@link RunResult} is nested records by concern, yet
 * written as the one flat object it always was, and a result written before the parts existed reads
 * back into the right parts and writes out identical.
 */
class ResultJsonCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** schemaVersion 1's top-level names, in the order results were written before the parts. */
    private static final List<String> SCHEMA_1 = List.of("schemaVersion", "status", "loadleakVersion", "scenario",
            "startedAt", "durationSeconds", "intendedRequests", "overall", "requests", "phases", "sendLagMicros",
            "errorSamples", "timeline", "memory", "targetMetrics", "criteria", "score", "verdict", "verdictReasons",
            "warnings", "connectionsOpened", "generator", "shard", "mergedFrom", "failure", "classGrowth", "flows",
            "setup", "forcedGc");

    /** The demo's result.json (12 s), written by the build before RunResult had parts (700e7f8). */
    private static Path before() throws URISyntaxException {
        return Path.of(ResultJsonCompatibilityTest.class.getResource("/result/written-before-parts.json").toURI());
    }

    @Test
    void aResultWrittenBeforeThePartsReadsIntoThemAndWritesOutIdentical() throws Exception {
        JsonNode original = JSON.readTree(Files.readString(before()));
        RunResult r = JsonResult.read(before());

        assertEquals(original, JSON.readTree(JsonResult.toJson(r)), "the same JSON, value for value");
        assertEquals(original.path("overall").path("requests").asLong(), r.load().overall().requests());
        assertEquals(original.path("loadleakVersion").asText(), r.provenance().loadleakVersion());
        assertEquals(original.path("memory").size(), r.targetMemory().memory().size());
        assertEquals(original.path("criteria").size(), r.scoring().criteria().size());
        assertEquals(Verdict.valueOf(original.path("verdict").asText()), r.scoring().verdict());
        assertEquals(original.path("timeline").size(), r.load().timeline().size());
        assertEquals(RunStatus.COMPLETED, r.status());
    }

    @Test
    void everyPartIsWrittenFlatUnderItsSchemaOneNamesAndReadsBackEqual() throws Exception {
        RunResult full = everyFieldSet();
        JsonNode written = JSON.readTree(JsonResult.toJson(full));

        List<String> names = new ArrayList<>();
        written.fieldNames().forEachRemaining(names::add);
        assertEquals(SCHEMA_1.stream().sorted().toList(), names.stream().sorted().toList(),
                "the top-level names are schemaVersion 1's, no part's own name");
        for (String name : SCHEMA_1) {
            assertTrue(!written.get(name).isNull(), name + " is written");
        }
        assertEquals(RunResult.SCHEMA_VERSION, written.get("schemaVersion").asInt());
        assertEquals("interrupted", written.get("status").asText());
        assertEquals("CONDITIONAL_GO", written.get("verdict").asText());
        assertEquals("1/3", written.get("shard").asText(), "0-based");
        assertEquals("setup", written.get("setup").get(0).get("stage").asText());

        Path file = Files.createTempFile("result", ".json");
        try {
            Files.writeString(file, JsonResult.toJson(full));
            RunResult back = JsonResult.read(file);
            assertEquals(written, JSON.readTree(JsonResult.toJson(back)));
            assertEquals(full.provenance().shard(), back.provenance().shard());
            assertEquals(full.scoring().verdict(), back.scoring().verdict());
            assertNotNull(back.targetMemory().forcedGc().get(0).heapGrowth());
            assertEquals(full.userFlows().flows().keySet(), back.userFlows().flows().keySet());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static RunResult everyFieldSet() {
        Stats.Summary lag = new Stats.Summary(10, 20, 30, 40, 50, 60, 12.5);
        Stats stats = new Stats(100, 98, 2, 0.02, 10, 10, 100, 1, 0, 0, Map.of("timeout", 2L),
                new Stats.Latency(lag, lag), new Stats.Histograms("a", "b", "c"), lag);
        LeakAnalysis leak = new LeakAnalysis(LeakFinding.LEAK, 500, new double[] {400, 600}, 145.6, 0.001, 0.9, false,
                500, List.<double[]>of(new double[] {1, 2}), 5, 40, List.of("grows"), 50, new double[] {400, 600}, null);
        MemorySeries series = new MemorySeries("heap", MemoryKind.PROMETHEUS, false, List.<double[]>of(new double[] {1, 2}),
                List.of(new MemorySeries.Gap(3, 4, 1, "refused")), leak);
        ForcedGcResult forced = new ForcedGcResult("node", "HeapProfiler.collectGarbage", 3, new double[] {1, 2},
                List.<double[]>of(new double[] {1, 2, 3, 4}), 10.0, new double[] {5, 15}, null, null, 100.0,
                new double[] {50, 150}, 1.5, LeakFinding.LEAK, List.of("grew"), null,
                HeapGrowth.failed("node", "cannot read the heap snapshots"));
        FlowResult flow = new FlowResult("browse", 1, List.of("list"), 10, 9, 1, 0, 0.1, 0, Map.of(),
                new Stats.Latency(lag, lag), new Stats.Histograms("a", "b", "c"), null);
        CriterionResult criterion = new CriterionResult(Criterion.Level.TARGET, "p95 < 500ms", "p95", 0.03, "30 ms",
                0.5, "500 ms", true, 1, 1, "target p95 < 500ms, actual 30 ms", CriterionResult.Outcome.PASS);
        RunResult.PhaseInfo phase = new RunResult.PhaseInfo("steady", 10, "constant 10/s", 10, false, "corrected");
        return RunResult.builder().status(RunStatus.INTERRUPTED).loadleakVersion("test")
                .scenario(new RunResult.ScenarioInfo("s", "s.yaml", "http://127.0.0.1:1", List.of(phase),
                        List.of("list")))
                .startedAt("2026-12-04T00:00:00Z").durationSeconds(10).intendedRequests(100).overall(stats)
                .requests(Map.of("list", stats)).phases(Map.of("steady", stats)).sendLagMicros(lag)
                .errorSamples(Map.of("timeout", "timed out")).timeline(List.of(new TimelinePoint(1, 10, 0, 1, 2, 3, 4)))
                .memory(List.of(series)).targetMetrics(Map.of("sessions", List.<double[]>of(new double[] {1, 2})))
                .criteria(List.of(criterion)).score(90).verdict(Verdict.CONDITIONAL_GO)
                .verdictReasons(List.of("a target criterion was inconclusive")).warnings(List.of("late"))
                .connectionsOpened(4).generator(new Generator(1, 2, 2, 2, 0.5, "lean")).shard(new Shard(1, 3))
                .mergedFrom(List.of("a.json")).failure("stopped").classGrowth(List.of(new ClassGrowth("jvm", 1, 0, 10,
                        List.of(), List.of(), null)))
                .flows(Map.of("browse", flow))
                .setup(List.of(new FlowResult.SetupStep(FlowResult.Stage.SETUP, "login", "POST", "/login", 200, 3, true, null)))
                .forcedGc(List.of(forced)).build();
    }
}
