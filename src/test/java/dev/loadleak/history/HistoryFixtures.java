package dev.loadleak.history;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Results to record, and (as a main) a process that records many: the other writer of a shared history. */
public final class HistoryFixtures {
    private HistoryFixtures() {
    }

    /** A result of {@code scenario} started at {@code startedAt}: 1000 requests in 5 s with this p95 (µs). */
    public static RunResult result(String scenario, String startedAt, long p95Micros) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 1000; i++) {
            h.recordValue(i < 940 ? p95Micros / 2 : p95Micros);
        }
        Stats s = Stats.of(h, h, new long[dev.loadleak.result.ErrorKind.values().length], 0, 1000, 0, 5);
        Map<String, Stats> requests = new LinkedHashMap<>();
        requests.put("list", s);
        return RunResult.builder().scenario(new RunResult.ScenarioInfo(scenario, scenario + ".yaml",
                "http://127.0.0.1:1", java.util.List.of(), java.util.List.of("list"))).startedAt(startedAt)
                .overall(s).requests(requests).build();
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[2]);
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            // a connection per run, as separate CI jobs open the file
            try (HistoryStore h = HistoryStore.open(file)) {
                h.add(result(args[1], t0.plusSeconds(i).toString(), 1000 + i), Map.of("job", args[1]), null);
            }
        }
    }
}
