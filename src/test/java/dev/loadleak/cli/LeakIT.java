package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end, on the packaged application: `loadleak target --leak 2KB` in its own process, and
 * `loadleak run` at 200 req/s sampling the target's post-GC heap from /metrics. The target runs
 * with a small young generation so that it collects about once a second under this load, as a
 * busy service does, and with the serial collector: G1 promotes survivors through per-thread buffers
 * into 1 MB regions, and the old generation's "used" then counts the buffers' and regions' unused
 * tails too (measured: +10-17 % over the objects' own size at 2 KB and 4 KB per request), a real cost
 * to the target but not what JOL measures. The serial collector promotes into one contiguous space
 * (measured: within 1 % of JOL). The leak threshold is 50 MB/h (MediaNest's level): a fresh JVM's own warm-up
 * creep (JIT, caches: a few MB/h in this half minute) is not what this test is about. Bounded: two
 * runs of 36 s on 127.0.0.1, side by side (what is measured is retained memory, which sharing the
 * two cores at 200 requests/s each does not change).
 */
class LeakIT {
    private static final int RATE = 200;
    private static JsonNode leaking;
    private static JsonNode clean;

    @org.junit.jupiter.api.BeforeAll
    static void runBoth() throws Exception {
        java.util.concurrent.CompletableFuture<JsonNode> withKnob = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return runAgainst("--leak", "2KB");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        clean = runAgainst();
        leaking = withKnob.get(200, TimeUnit.SECONDS);
    }

    private static Process java(List<String> jvm, String... args) throws Exception {
        return Packaged.process(jvm, args).redirectErrorStream(true).start();
    }

    private static JsonNode runAgainst(String... knobs) throws Exception {
        try (Packaged.Target target = Packaged.startTarget(List.of("-Xmn8m", "-XX:+UseSerialGC"), knobs)) {
            int port = target.port();
            Path dir = Files.createTempDirectory("leak-it");
            Path scenario = dir.resolve("leak.yaml");
            Files.writeString(scenario, "name: leak-it\ntarget: http://127.0.0.1:" + port + "\n"
                    + "phases:\n  - {name: warm, duration: 6s, rate: " + RATE + "/s, warmup: true}\n"
                    + "  - {name: steady, duration: 30s, rate: " + RATE + "/s}\n"
                    + "requests: [{path: /api/v1/media/7}]\n"
                    + "memory:\n  interval: 500ms\n  leakThreshold: 50MB/h\n  sources:\n"
                    + "    - {name: heap-after-gc, type: prometheus, metric: jvm_gc_live_data_size_bytes}\n");
            Process run = java(List.of(), "run", scenario.toString(), "--out", dir.resolve("out").toString(), "--quiet");
            String output = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(90, TimeUnit.SECONDS));
            System.out.println(output);
            JsonNode result = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
            assertEquals("completed", result.path("status").asText());
            return result.path("memory").get(0);
        }
    }

    @Test
    void leakingTargetIsALeakAtBytesPerRequestTimesRate() throws Exception {
        JsonNode m = leaking;
        JsonNode a = m.path("analysis");
        double expected = 2048.0 * RATE * 3600 / (1024 * 1024);
        assertEquals("LEAK", a.path("verdict").asText(), a.toString());
        assertEquals(expected, a.path("slopeMBPerHour").asDouble(), 0.25 * expected, a.toString());
        // bytes retained per request, against what JOL measures the target's leak store keeps per request
        dev.loadleak.demoserver.LeakStore store = new dev.loadleak.demoserver.LeakStore();
        int n = 10_000;
        long empty = org.openjdk.jol.info.GraphLayout.parseInstance(store).totalSize();
        for (int i = 0; i < n; i++) {
            store.retain(2048);
        }
        double jol = (org.openjdk.jol.info.GraphLayout.parseInstance(store).totalSize() - empty) / (double) n;
        double perRequest = m.path("retained").path("bytes").asDouble();
        System.out.printf(java.util.Locale.ROOT, "retained per request: %.0f B (95 %% CI %s), JOL: %.0f B per request%n",
                perRequest, m.path("retained").path("ci95"), jol);
        assertEquals(jol, perRequest, 0.15 * jol, m.path("retained").toString());
    }

    @Test
    void sameLoadWithoutALeakIsNotALeak() throws Exception {
        JsonNode a = clean.path("analysis");
        assertNotEquals("LEAK", a.path("verdict").asText(), a.toString());
    }
}
