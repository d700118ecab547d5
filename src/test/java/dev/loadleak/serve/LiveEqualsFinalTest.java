package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One verdict path: the live leak estimate (what serve's dashboard, SSE and /metrics show while a run
 * goes on) is the final result's analysis, with the scenario's parameters. A target on 127.0.0.1
 * whose post-GC memory grows 50 MB/h, judged with {@code leakThreshold: 100MB/h}: the live
 * verdicts of the last seconds and the final one are the same, and not LEAK (with the defaults' 5 MB/h
 * a second analysis would call it a LEAK). 25 s of real load.
 */
class LiveEqualsFinalTest {
    @Test
    void theLiveEstimateIsTheFinalVerdict() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            long t0 = System.nanoTime();
            HttpServer server = vertx.createHttpServer().requestHandler(r -> {
                double hours = (System.nanoTime() - t0) / 3.6e12;
                double bytes = 200e6 + 50 * 1048576 * hours;
                r.response().end(r.path().equals("/metrics")
                        ? String.format(Locale.ROOT, "heap_after_gc_bytes %.0f%n", bytes) : "ok");
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String yaml = "name: live\ntarget: http://127.0.0.1:" + server.actualPort() + "\n"
                    + "phases: [{duration: 25s, rate: 20/s}]\nrequests: [{path: /}]\n"
                    + "memory:\n  interval: 200ms\n  warmupShare: 0.1\n  leakThreshold: 100MB/h\n  sources:\n"
                    + "    - {name: heap, type: prometheus, url: /metrics, metric: heap_after_gc_bytes, postGc: true}\n";
            Path dir = Files.createTempDirectory("live");
            ManagedRun run = new ManagedRun("live", "live", dir, Instant.now(), ServedStatus.RUNNING, Redactor.NONE);
            List<String> live = new ArrayList<>();
            run.subscribe(e -> {
                if (e.name().equals("second")) {
                    try {
                        JsonNode leak = ManagedRun.JSON.readTree(e.json()).path("leak");
                        if (leak.size() > 0) {
                            live.add(leak.get(0).path("verdict").asText());
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            });
            RunResult result = new RunSession(ScenarioLoader.parse("live.yaml", yaml, new ScenarioLoader.Options(
                    Map.<String, String>of()::get, List.of(), false), dir),
                    new RunSession.Settings(dir, "test", 1, Shard.WHOLE, null), vertx, run).execute().result();
            String last = result.targetMemory().memory().get(0).analysis().verdict().name();
            System.out.println("live verdicts: " + live + "; final: " + last + " " + result.targetMemory().memory().get(0).analysis().reasons());
            assertFalse(live.isEmpty(), "live estimates were published");
            assertFalse("LEAK".equals(last), "50 MB/h is under the 100 MB/h threshold: " + last);
            assertTrue(live.stream().noneMatch("LEAK"::equals), "never LEAK live either: " + live);
            assertEquals(last, live.get(live.size() - 1), "the last live estimate is the final verdict");
        } finally {
            vertx.close();
        }
    }
}
