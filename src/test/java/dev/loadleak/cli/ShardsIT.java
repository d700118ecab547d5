package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.result.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * On the packaged application: the built-in target in its own process, three shard processes
 * ({@code run --shard I/3}) started together against it, then {@code loadleak merge}. The merged
 * totals must be the sums of the shards', its percentiles those of one histogram of every
 * recorded value, and only shard 0 has memory samples. Bounded: 6 s of load at 300 req/s in all.
 */
class ShardsIT {

    @Test
    void threeShardsMergeToTheSumsAndToOneHistogram() throws Exception {
        try (Packaged.Target target = Packaged.startTarget(List.of())) {
            int port = target.port();
            Path dir = Files.createTempDirectory("shards-it");
            Path scenario = dir.resolve("s.yaml");
            Files.writeString(scenario, "name: shards-it\ntarget: http://127.0.0.1:" + port + "\n"
                    + "defaults: {maxConnections: 12}\n"
                    + "phases: [{name: steady, duration: 6s, rate: 300/s}]\n"
                    + "requests:\n  - {name: get, path: \"/api/v1/media/${random:1..50}?n=${seq}\", weight: 3}\n"
                    + "  - {name: list, path: /api/v1/media, weight: 1}\n"
                    + "memory:\n  interval: 500ms\n  sources: [{name: heap, type: prometheus, metric: jvm_memory_used_bytes}]\n"
                    + "criteria: {required: [error_rate < 1%, p99 < 2s]}\n");
            List<Process> shards = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                shards.add(Packaged.start("run", scenario.toString(), "--shard", i + "/3", "--quiet", "--out",
                        dir.resolve("shard-" + i).toString()));
            }
            for (int i = 0; i < 3; i++) {
                Process p = shards.get(i);
                String out = new String(p.getInputStream().readAllBytes());
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), out);
                assertTrue(out.contains("shard " + i + "/3: combine the shards with 'loadleak merge'"), out);
            }
            Process merge = Packaged.start("merge", dir.resolve("shard-0").toString(), dir.resolve("shard-1").toString(),
                    dir.resolve("shard-2").resolve("result.json").toString(), "--out", dir.resolve("merged").toString(),
                    "--history", dir.resolve("history.db").toString(), "--label", "commit=abc123");
            String mergeOut = new String(merge.getInputStream().readAllBytes());
            assertTrue(merge.waitFor(60, TimeUnit.SECONDS));
            System.out.println(mergeOut);
            assertEquals(0, merge.exitValue(), mergeOut);
            assertTrue(mergeOut.contains("merged 3 shards"), mergeOut);
            // the merged run is recorded once, as the whole run (the shards never are)
            assertTrue(mergeOut.contains("history: recorded in " + dir.resolve("history.db") + " (1 runs of shards-it)"),
                    mergeOut);
            try (dev.loadleak.history.HistoryStore h = dev.loadleak.history.HistoryStore.open(dir.resolve("history.db"))) {
                var runs = h.runs(null);
                assertEquals(1, runs.size());
                assertEquals("abc123", runs.get(0).commit());
                assertEquals(1800, h.metrics(runs.get(0).id()).get("overall").get("requests"), 18);
            }

            ObjectMapper json = new ObjectMapper();
            JsonNode merged = json.readTree(dir.resolve("merged/result.json").toFile());
            long requests = 0;
            long successes = 0;
            long intended = 0;
            Histogram all = null;
            for (int i = 0; i < 3; i++) {
                JsonNode s = json.readTree(dir.resolve("shard-" + i + "/result.json").toFile());
                assertEquals(i + "/3", s.path("shard").asText());
                assertEquals(i == 0, s.path("memory").size() > 0, "only shard 0 samples memory");
                requests += s.path("overall").path("requests").asLong();
                successes += s.path("overall").path("successes").asLong();
                intended += s.path("intendedRequests").asLong();
                Histogram h = Stats.decode(s.path("overall").path("histograms").path("corrected").asText());
                if (all == null) {
                    all = h;
                } else {
                    all.add(h);
                }
            }
            assertEquals(1800, intended, "the shards' intended requests add up to the scenario's");
            assertEquals(requests, merged.path("overall").path("requests").asLong());
            assertEquals(successes, merged.path("overall").path("successes").asLong());
            assertEquals(1800, requests, 18, "about the scenario's 1800 requests");
            JsonNode c = merged.path("overall").path("latencyMicros").path("corrected");
            assertEquals(all.getValueAtPercentile(50), c.path("p50").asLong());
            assertEquals(all.getValueAtPercentile(95), c.path("p95").asLong());
            assertEquals(all.getValueAtPercentile(99), c.path("p99").asLong());
            assertEquals(all.getMaxValue(), c.path("max").asLong());
            assertEquals(3, merged.path("mergedFrom").size());
            assertTrue(merged.path("memory").size() > 0, "memory comes from shard 0");
            assertEquals("GO", merged.path("verdict").asText(), mergeOut);
            long timelineTotal = 0;
            for (JsonNode p : merged.path("timeline")) {
                timelineTotal += p.path("requests").asLong();
            }
            assertEquals(requests, timelineTotal, "every request is in one wall-clock second of the merged timeline");
        }
    }
}
