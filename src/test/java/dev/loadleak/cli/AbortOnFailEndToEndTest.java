package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.result.Verdict;
import dev.loadleak.run.RunListener;
import dev.loadleak.run.RunOutcome;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * abortOnFail end to end, against a server on 127.0.0.1 that answers in 20 ms and whose heap grows
 * 2 GB/h: a 60 s run with {@code p95 < 5ms} (abortOnFail, delay 2 s) stops within seconds; one with
 * {@code memory_growth < 50MB/h} stops once the leak is established. Each ends aborted_by_criteria,
 * NO-GO, exit 1, the criterion named, every artifact written.
 */
class AbortOnFailEndToEndTest {
    private static Vertx vertx;
    private static Vertx targetVertx;
    private static HttpServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        targetVertx = Vertx.vertx();
        long t0 = System.nanoTime();
        server = targetVertx.createHttpServer().requestHandler(r -> {
            if (r.path().equals("/metrics")) {
                double hours = (System.nanoTime() - t0) / 3.6e12;
                r.response().end(String.format(Locale.ROOT, "heap_after_gc_bytes %.0f%n", 100e6 + 2048.0 * 1048576 * hours));
            } else {
                targetVertx.setTimer(20, t -> r.response().end("ok"));
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close();
        targetVertx.close();
    }

    private RunOutcome run(String criteria, String memory) throws Exception {
        String yaml = "name: abort\ntarget: http://127.0.0.1:" + server.actualPort() + "\n"
                + "phases: [{duration: 60s, rate: 20/s}]\nrequests: [{name: get, path: /}]\n" + memory
                + "criteria:\n  required:\n" + criteria;
        Path out = tmp.resolve("run-" + System.nanoTime());
        return new RunSession(ScenarioLoader.parse("abort.yaml", yaml, new ScenarioLoader.Options(
                Map.<String, String>of()::get, List.of(), false), out),
                new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, new RunListener() { }).execute();
    }

    private static void assertAborted(RunOutcome o, String criterion, double withinSeconds) throws Exception {
        RunResult r = o.result();
        assertEquals(RunStatus.ABORTED_BY_CRITERIA, r.status(), r.failure() + " " + r.scoring().criteria() + " "
                + (r.targetMemory().memory() == null || r.targetMemory().memory().isEmpty() ? "" : r.targetMemory().memory().get(0).analysis()));
        assertTrue(r.failure().startsWith("stopped by abortOnFail: required " + criterion), r.failure());
        System.out.printf(Locale.ROOT, "%s: stopped after %.1f s of 60: %s%n", criterion, r.load().durationSeconds(), r.failure());
        assertTrue(r.load().durationSeconds() < withinSeconds, "stopped after " + r.load().durationSeconds() + " s of 60");
        assertEquals(Verdict.NO_GO, r.scoring().verdict());
        Path dir = o.resultFile().getParent();
        for (String f : List.of("result.json", "report.html", "junit.xml", "summary.md", "timeline.csv")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(dir.resolve("result.json")).contains("\"aborted_by_criteria\""));
        StringWriter err = new StringWriter();
        int code = RunLauncher.exitCode(o, new RunOptions(), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(ExitCodes.CRITERIA_FAILED, code);
        assertTrue(err.toString().contains(criterion), err.toString());
    }

    @Test
    void aLatencyCriterionStopsTheRunAfterItsDelay() throws Exception {
        RunOutcome o = run("    - {expr: p95 < 5ms, abortOnFail: true, delay: 2s}\n    - error_rate < 1%\n", "");
        assertAborted(o, "p95 < 5ms", 8);
        assertTrue(o.result().load().durationSeconds() >= 2, "not before its delay: " + o.result().load().durationSeconds());
    }

    @Test
    void anEstablishedLeakStopsASoak() throws Exception {
        RunOutcome o = run("    - {expr: memory_growth < 50MB/h, abortOnFail: true}\n",
                "memory:\n  interval: 250ms\n  warmupShare: 0.05\n  sources:\n"
                        + "    - {name: heap, type: prometheus, url: /metrics, metric: heap_after_gc_bytes, postGc: true}\n");
        assertAborted(o, "memory_growth < 50MB/h", 45);
        assertEquals(LeakFinding.LEAK, o.result().targetMemory().memory().get(0).analysis().verdict());
    }
}
