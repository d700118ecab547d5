package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every ready-to-run scenario in scenarios/ validates, and the reference documents every key. */
class ScenariosDirectoryTest {
    static Stream<Path> scenarios() throws Exception {
        return Files.list(Path.of("scenarios")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void validates(Path file) throws Exception {
        Map<String, String> env = Map.of("MEDIANEST_API_TOKEN", "test-token-1234", "METRICS_TOKEN", "metrics-token-5678");
        Scenario s = ScenarioLoader.load(file, new ScenarioLoader.Options(env::get, List.of(), false));
        assertTrue(!s.requests().isEmpty() && !s.phases().isEmpty());
    }

    @Test
    void theExpectedScenariosExist() throws Exception {
        assertEquals(List.of("ci-regression.yaml", "demo.yaml", "flows-demo.yaml", "medianest-staging.yaml", "realtime-demo.yaml", "smoke.yaml", "soak.yaml",
                "spike.yaml"), scenarios().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void medianestStagingHasTheStagingCriteria() throws Exception {
        Map<String, String> env = Map.of("MEDIANEST_API_TOKEN", "test-token-1234", "METRICS_TOKEN", "metrics-token-5678");
        Scenario s = ScenarioLoader.load(Path.of("scenarios/medianest-staging.yaml"),
                new ScenarioLoader.Options(env::get, List.of(), false));
        List<String> required = s.criteria().stream().filter(c -> c.level() == Criterion.Level.REQUIRED)
                .map(Criterion::expression).toList();
        assertEquals(List.of("p95 < 500ms", "error_rate < 2%", "memory_growth{source=heap} < 50MB/h"), required);
        assertTrue(s.criteria().stream().anyMatch(c -> c.expression().equals("throughput > 25/s")));
        assertEquals(30_000_000_000L, s.preflight().waitNanos());
        assertTrue(s.secrets().contains("test-token-1234") && s.secrets().contains("metrics-token-5678"));
        MemoryConfig.Prometheus heap = (MemoryConfig.Prometheus) s.memory().sources().get(0);
        assertEquals("nodejs_heap_size_used_bytes", heap.metric());
        assertEquals("METRICS_TOKEN", heap.tokenEnv());
    }

    @Test
    void referenceDocumentsEveryKey() throws Exception {
        String doc = Files.readString(Path.of("scenarios/README.md"));
        for (Map.Entry<String, java.util.Set<String>> e : ScenarioLoader.allKeys().entrySet()) {
            for (String key : e.getValue()) {
                assertTrue(doc.contains("`" + key + "`"), "scenarios/README.md does not document `" + key + "` ("
                        + (e.getKey().isEmpty() ? "top level" : e.getKey()) + ")");
            }
        }
        for (String metric : List.of("p50", "p90", "p95", "p99", "p99.9", "max", "mean", "throughput", "error_rate",
                "errors", "late_sends", "memory_growth", "memory_max")) {
            assertTrue(doc.contains("`" + metric + "`"), "criteria metric " + metric + " undocumented");
        }
    }
}
