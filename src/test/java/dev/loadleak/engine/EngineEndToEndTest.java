package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.demoserver.TargetKnobs;
import dev.loadleak.demoserver.TargetState;
import dev.loadleak.engine.client.Clients;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.metrics.Totals;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real engine against the in-process target on 127.0.0.1. Bounded: a few seconds and a few
 * hundred requests each; assertions are tolerant of a noisy machine.
 */
@QuarkusTest
class EngineEndToEndTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    Vertx vertx;
    @Inject
    TargetState state;

    @AfterEach
    void reset() {
        state.configure(TargetKnobs.NONE);
    }

    private static Scenario scenario(URI target, double rate, long seconds, int maxConnections) throws Exception {
        return ScenarioLoader.parse("e2e.yaml", "target: " + target + "\n"
                + "defaults: {timeout: 5s, maxConnections: " + maxConnections + "}\n"
                + "phases: [{name: steady, duration: " + seconds + "s, rate: " + rate + "/s}]\n"
                + "requests:\n"
                + "  - {name: list, path: \"/api/v1/media?limit=5\", weight: 3}\n"
                + "  - {name: create, method: POST, path: /api/v1/media, body: {title: t}, weight: 1}\n");
    }

    private Totals run(Scenario s, EngineOutcome[] outcome) throws Exception {
        EnginePlan plan = EnginePlan.of(s);
        RunRecorder rec = new RunRecorder(1, 2, plan.lateBoundNanos());
        HttpEngine engine = new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, rec);
        var future = engine.start();
        Collector col = new Collector(rec, engine.startNanos(30_000_000_000L));
        outcome[0] = future.get(30, TimeUnit.SECONDS);
        col.collect(System.nanoTime());
        return col.totals();
    }

    @Test
    void modestRateCompletesEveryRequestWithoutErrors() throws Exception {
        EngineOutcome[] outcome = new EngineOutcome[1];
        Totals t = run(scenario(base, 100, 3, 16), outcome);
        Stats all = t.overall(3);
        assertEquals(EngineOutcome.Status.COMPLETED, outcome[0].status());
        assertEquals(300, outcome[0].sent());
        assertEquals(300, all.requests());
        assertEquals(0, all.errors(), () -> all.errorsByKind().toString());
        assertEquals(225, t.request(0, 3).requests(), "weights 3:1");
        assertEquals(75, t.request(1, 3).requests());
        assertTrue(all.latencyMicros().corrected().p99() < 500_000, "p99 " + all.latencyMicros().corrected().p99());
        double elapsed = (outcome[0].endNanos() - outcome[0].startNanos()) / 1e9;
        assertTrue(elapsed > 2.9 && elapsed < 6, "paced over the duration, took " + elapsed + " s");
    }

    @Test
    void correctedLatencyExposesAStallThatUncorrectedHides() throws Exception {
        // 400 ms stall in every second; one connection: requests due during the stall wait in the backlog
        state.configure(new TargetKnobs(0, 0, 0, 0, 400_000_000L, 1_000_000_000L, 500));
        EngineOutcome[] outcome = new EngineOutcome[1];
        Totals t = run(scenario(base, 200, 3, 1), outcome);
        Stats all = t.overall(3);
        assertEquals(600, all.requests());
        assertEquals(0, all.errors());
        long corrected = all.latencyMicros().corrected().p99();
        long uncorrected = all.latencyMicros().uncorrected().p99();
        assertTrue(corrected > 250_000, "corrected p99 " + corrected + " µs should be near 390 ms");
        assertTrue(uncorrected * 4 < corrected, "uncorrected p99 " + uncorrected + " vs corrected " + corrected);
        assertTrue(all.lateSends() > 100, "requests that waited for the connection are late sends: " + all.lateSends());
    }

    @Test
    void refusedConnectionsAreCountedNotThrown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        EngineOutcome[] outcome = new EngineOutcome[1];
        Totals t = run(scenario(URI.create("http://127.0.0.1:" + closedPort), 50, 1, 4), outcome);
        Stats all = t.overall(1);
        assertEquals(50, all.requests());
        assertEquals(50, all.errors());
        assertEquals(50L, all.errorsByKind().get("connect"));
        assertEquals(null, all.latencyMicros());
    }

    @Test
    void serverErrorsAreClassifiedByStatus() throws Exception {
        state.configure(new TargetKnobs(0, 0, 0.5, 0, 0, 0, 500));
        EngineOutcome[] outcome = new EngineOutcome[1];
        Totals t = run(scenario(base, 100, 1, 8), outcome);
        Stats all = t.overall(1);
        assertEquals(100, all.requests());
        assertEquals(50L, all.errorsByKind().get("status_5xx"));
        assertEquals(50, all.successes());
    }
}
