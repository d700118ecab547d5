package dev.loadleak.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.FlowResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite history: what a run records, its migrations, and two processes writing one file at once. */
class HistoryStoreTest {
    @TempDir
    Path tmp;

    @Test
    void aRunIsRecordedOnceWithItsFiguresLabelsAndHistograms() throws Exception {
        Path file = tmp.resolve("h.db");
        RunResult r = HistoryFixtures.result("checkout", "2026-12-01T10:00:00Z", 5000);
        try (HistoryStore h = HistoryStore.open(file)) {
            assertTrue(h.add(r, Map.of("GITHUB_SHA", "0123456789abcdef0123"), "name: checkout\n"));
            assertFalse(h.add(r, Map.of(), null), "the same run twice is recorded once");
            List<HistoryStore.Run> runs = h.runs("checkout");
            assertEquals(1, runs.size());
            assertEquals("0123456789ab", runs.get(0).commit());
            Map<String, Map<String, Double>> m = h.metrics(runs.get(0).id());
            assertEquals(5000, m.get("overall").get("p95"), 10);
            assertTrue(m.containsKey("request:list"), m.keySet().toString());
            assertEquals(200, m.get("overall").get("throughput"), 1e-9);
        }
        try (Connection c = HistoryStore.connect(file); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT count(*) FROM histograms WHERE kind = 'corrected'");
            rs.next();
            assertTrue(rs.getInt(1) >= 2, "the encoded histograms, overall and per request");
        }
    }

    @Test
    void aFlowsIterationsAreRecorded() throws Exception {
        Path file = tmp.resolve("flows.db");
        Stats.Summary d = new Stats.Summary(150_000, 200_000, 250_000, 400_000, 500_000, 600_000, 170_000);
        RunResult r = HistoryFixtures.result("shop", "2026-12-01T10:00:00Z", 5000).toBuilder()
                .flows(Map.of("checkout", new FlowResult("checkout", 1, List.of("login", "pay"), 10, 8, 2, 0, 0.2, 0,
                        Map.of(), new Stats.Latency(d, d)))).build();
        try (HistoryStore h = HistoryStore.open(file)) {
            assertTrue(h.add(r, Map.of(), null));
            Map<String, Double> f = h.metrics(h.runs("shop").get(0).id()).get("flow:checkout");
            assertEquals(8, f.get("iterations_completed"));
            assertEquals(2, f.get("iterations_failed"));
            assertEquals(0.2, f.get("iteration_failure_rate"), 1e-12);
            assertEquals(250_000, f.get("iteration_p95"));
        }
    }

    @Test
    void aVersionOneFileIsMigratedWithItsRunsKept() throws Exception {
        Path file = tmp.resolve("old.db");
        try (HistoryStore v1 = HistoryStore.open(file, 1)) {
            assertEquals(1, v1.schemaVersion());
        }
        try (Connection c = HistoryStore.connect(file); Statement s = c.createStatement()) {
            s.execute("INSERT INTO runs (run_key, started_at, scenario) VALUES ('old@1', '2026-01-01T00:00:00Z', 'old')");
            s.execute("INSERT INTO metrics VALUES (1, 'overall', 'p95', 1234)");
        }
        try (HistoryStore h = HistoryStore.open(file)) {
            assertEquals(HistoryStore.VERSION, h.schemaVersion());
            List<HistoryStore.Run> runs = h.runs("old");
            assertEquals(1, runs.size());
            assertEquals(1234, h.series(runs, "overall", "p95")[0], 1e-9);
            assertTrue(h.add(HistoryFixtures.result("old", "2026-01-02T00:00:00Z", 1300), Map.of("k", "v"), null));
        }
        try (Connection c = HistoryStore.connect(file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }
        SQLException e = assertThrows(SQLException.class, () -> HistoryStore.open(file).close());
        assertTrue(e.getMessage().contains("newer than this loadleak reads"), e.getMessage());
    }

    @Test
    void twoProcessesWritingOneFileAtOnceLoseNothing() throws Exception {
        Path file = tmp.resolve("shared.db");
        List<Process> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), HistoryFixtures.class.getName(), file.toString(), "w" + w, "40")
                    .redirectErrorStream(true).start());
        }
        for (Process p : writers) {
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
            assertEquals(0, p.exitValue(), out);
        }
        try (HistoryStore h = HistoryStore.open(file)) {
            assertEquals(40, h.runs("w0").size());
            assertEquals(40, h.runs("w1").size());
        }
    }
}
