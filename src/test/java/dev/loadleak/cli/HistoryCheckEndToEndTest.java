package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.Shard;
import dev.loadleak.run.RunListener;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Real runs recorded in a history, then {@code history check}: a server on 127.0.0.1 answers in
 * 5 ms ± 1 ms for 10 runs, then 8 ms ± 1 ms for 4 (a regression at run 11 of 14): exit 1 naming
 * run 11 of 14; 14 runs of one speed: exit 0. Each run is 1 s at 200 requests/s, after four runs
 * that warm the JVM up (in CI each run is a fresh process); p50 and p95 are checked.
 */
class HistoryCheckEndToEndTest {
    private static Vertx vertx;
    /** The target's own Vert.x: its timers do not wait behind loadleak's event loop. */
    private static Vertx targetVertx;
    private static HttpServer server;
    private static final AtomicInteger baseMillis = new AtomicInteger(5);

    private static final int WARM_UP = 4;
    private static boolean warm;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        targetVertx = Vertx.vertx();
        SplittableRandom random = new SplittableRandom(11);
        server = targetVertx.createHttpServer().requestHandler(r -> {
            long delay;
            synchronized (random) {
                delay = baseMillis.get() - 1 + random.nextInt(3); // base ± 1 ms
            }
            targetVertx.setTimer(Math.max(1, delay), t -> r.response().end("ok"));
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close();
        targetVertx.close();
    }

    private void runs(Path history, int n, int millis) throws Exception {
        baseMillis.set(millis);
        String yaml = "name: gate\ntarget: http://127.0.0.1:" + server.actualPort() + "\n"
                + "phases: [{duration: 1s, rate: 200/s}]\nrequests: [{name: get, path: /}]\n";
        // in CI each run is a fresh process; here the first runs of the JVM are its warm-up: two not recorded
        for (int i = warm ? 0 : -WARM_UP; i < n; i++) {
            Path out = tmp.resolve("run-" + millis + "-" + i + "-" + System.nanoTime());
            var result = new RunSession(ScenarioLoader.parse("gate.yaml", yaml, new ScenarioLoader.Options(
                    Map.<String, String>of()::get, List.of(), false), out),
                    new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, new RunListener() { })
                    .execute().result();
            warm = true;
            if (i >= 0) {
                HistoryCommand.record(history, result, Map.of("commit", "c" + millis + "-" + i), null);
            }
        }
    }

    private static int check(Path history, StringWriter out) {
        CommandLine cl = new CommandLine(new LoadleakCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        cl.execute("history", "trend", history.toString(), "--scenario", "gate", "--metric", "p95");
        // p50 beside p95: on a busy machine one run's p95 can jump 40 %, its median hardly moves
        return cl.execute("history", "check", history.toString(), "--metrics", "p50,p95");
    }

    @Test
    void aRegressionAtRunElevenOfFourteenFailsTheGate() throws Exception {
        Path history = tmp.resolve("regressed.db");
        runs(history, 10, 5);
        runs(history, 4, 8);
        StringWriter out = new StringWriter();
        int code = check(history, out);
        System.out.println(out);
        assertEquals(1, code, out.toString());
        assertTrue(out.toString().contains("at run 11 of 14"), out.toString());
        assertTrue(out.toString().contains("REGRESSION, still in force"), out.toString());
    }

    @Test
    void fourteenUnchangedRunsPass() throws Exception {
        Path history = tmp.resolve("steady.db");
        runs(history, 14, 5);
        StringWriter out = new StringWriter();
        int code = check(history, out);
        System.out.println(out);
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("no regression in force"), out.toString());
    }
}
