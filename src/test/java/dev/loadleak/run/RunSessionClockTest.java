package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.Clock;
import dev.loadleak.engine.TransportFactory;
import dev.loadleak.engine.client.Clients;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run takes its time from the clocks it is given (issue 28, item 5): the engine, the schedule and the session
 * share one monotonic clock, and the start date comes from the wall clock injected. The monotonic clock here is
 * the system's shifted by 2^62 ns, so that a part still reading {@code System.nanoTime()} would disagree with the
 * others by 146 years and the run's duration or rate would show it. Against a server on 127.0.0.1, 2 s at 50/s.
 */
class RunSessionClockTest {
    private static final long SHIFT = 1L << 62;
    private static final Instant WALL = Instant.parse("2030-01-01T00:00:00Z");
    private static Vertx vertx;
    private static HttpServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void theRunKeepsTheTimeItIsGiven() throws Exception {
        String yaml = "name: clocks\ntarget: http://127.0.0.1:" + server.actualPort() + "\n"
                + "phases: [{duration: 2s, rate: 50/s}]\nrequests: [{name: get, path: /}]\n";
        Path out = tmp.resolve("run");
        Clock shifted = () -> System.nanoTime() + SHIFT;
        RunResult r = new RunSession(ScenarioLoader.parse("clocks.yaml", yaml, new ScenarioLoader.Options(
                Map.<String, String>of()::get, List.of(), false), out),
                new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, Clients.STANDARD,
                new RunListener() { }, shifted, InstantSource.fixed(WALL)).execute().result();
        assertEquals(RunStatus.COMPLETED, r.status(), r.failure());
        assertEquals(100, r.load().intendedRequests());
        assertEquals(100, r.load().overall().requests(), "every request sent and answered");
        assertTrue(r.load().durationSeconds() >= 1.9 && r.load().durationSeconds() < 5, "duration " + r.load().durationSeconds());
        // the start is the wall clock's instant less the time between the run's start and the reading
        Instant started = Instant.parse(r.provenance().startedAt());
        assertTrue(!started.isAfter(WALL) && Duration.between(started, WALL).toSeconds() < 5, "started " + started);
    }

    /**
     * The run publishes a live snapshot each second; it is scored (the whole result assembled) only for a listener
     * that reads the scoring, and then by the final result's own code: the snapshot's counts and scoring agree with
     * the run's. 2 s at 50/s, twice.
     */
    @Test
    void aRunIsScoredWhileItRunsOnlyForAListenerThatReadsIt() throws Exception {
        String yaml = "name: live\ntarget: http://127.0.0.1:" + server.actualPort() + "\n"
                + "phases: [{duration: 2s, rate: 50/s}]\nrequests: [{name: get, path: /}]\n";
        for (boolean reads : new boolean[] {false, true}) {
            List<LiveSnapshot> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            RunListener listener = new RunListener() {
                @Override
                public boolean readsScoring() {
                    return reads;
                }

                @Override
                public void live(LiveSnapshot now) {
                    seen.add(now);
                }
            };
            Path out = tmp.resolve("live-" + reads);
            RunResult r = new RunSession(ScenarioLoader.parse("live.yaml", yaml, new ScenarioLoader.Options(
                    Map.<String, String>of()::get, List.of(), false), out),
                    new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, Clients.STANDARD,
                    listener, Clock.SYSTEM, InstantSource.system()).execute().result();
            assertEquals(RunStatus.COMPLETED, r.status(), r.failure());
            assertTrue(seen.size() >= 1, "a snapshot a second: " + seen.size());
            LiveSnapshot last = seen.get(seen.size() - 1);
            assertEquals(List.of("get"), last.requests().stream().map(LiveSnapshot.RequestNow::name).toList());
            assertTrue(last.successes() > 0 && last.successes() <= r.load().overall().successes(), "so far: " + last.successes());
            if (reads) {
                assertTrue(seen.stream().allMatch(LiveSnapshot::scoredNow), "each second of the first 30 s is scored");
                assertEquals(last.successes(), last.scored().load().overall().successes(), "the scoring is of the same figures");
            } else {
                assertTrue(seen.stream().allMatch(n -> n.scored() == null && !n.scoredNow()), "nobody reads it");
            }
        }
    }
}
