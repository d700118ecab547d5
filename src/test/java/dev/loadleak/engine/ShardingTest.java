package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.client.Clients;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three shards ({@code --shard 0/3, 1/3, 2/3}) with different numbers of event loops, run at the
 * same time in one JVM against a Vert.x server on 127.0.0.1 that records each request's
 * {@code ${seq}}: together they send the one schedule exactly once (every sequence number once,
 * none twice), each its share.
 */
class ShardingTest {
    @Test
    void shardsPartitionTheScheduleWhateverTheirEventLoops() throws Exception {
        Vertx vertx = Vertx.vertx();
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        Map<String, Integer> byShard = new ConcurrentHashMap<>();
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(r -> {
                if (r.getParam("n") != null) { // else each engine's warm-up request, not part of the schedule
                    seen.add(Long.parseLong(r.getParam("n")));
                    byShard.merge(r.getParam("shard"), 1, Integer::sum);
                }
                r.response().end("ok");
            }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int[] loops = {2, 1, 3};
            List<CompletableFuture<EngineOutcome>> runs = new ArrayList<>();
            List<StripedEngine> engines = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Scenario s = ScenarioLoader.parse("s.yaml", "target: http://127.0.0.1:" + server.actualPort() + "\n"
                        + "defaults: {maxConnections: 12}\n"
                        + "phases: [{duration: 2s, rate: 300/s}]\n"
                        + "requests: [{path: \"/x?n=${seq}&shard=" + i + "\"}]\n");
                RunRecorder rec = new RunRecorder(1, 1, EnginePlan.DEFAULT_LATE_BOUND_NANOS);
                StripedEngine e = StripedEngine.of(vertx, Clock.SYSTEM, s, rec, loops[i], new Shard(i, 3), Clients.STANDARD);
                engines.add(e);
                runs.add(e.start());
            }
            long sent = 0;
            for (CompletableFuture<EngineOutcome> f : runs) {
                EngineOutcome o = f.get(30, TimeUnit.SECONDS);
                assertEquals(EngineOutcome.Status.COMPLETED, o.status());
                sent += o.sent();
            }
            assertEquals(600, sent);
            assertEquals(600, seen.size(), "each arrival sent once");
            TreeSet<Long> distinct = new TreeSet<>(seen);
            assertEquals(600, distinct.size(), "no sequence number twice");
            assertEquals(0L, distinct.first());
            assertEquals(599L, distinct.last());
            assertEquals(Map.of("0", 200, "1", 200, "2", 200), byShard);
            assertTrue(engines.get(2).loops() == 3 && engines.get(1).loops() == 1);
        } finally {
            vertx.close();
        }
    }

    @Test
    void shardedFlowsStartEachIterationOnceAndUseDisjointSequenceNumbers() throws Exception {
        Vertx vertx = Vertx.vertx();
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(r -> {
                if (r.path().equals("/first")) {
                    seen.add(Long.parseLong(r.getParam("n")));
                }
                r.response().putHeader("Set-Cookie", "sid=" + r.getParam("n")).end("{\"id\":" + r.getParam("n") + "}");
            }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int[] loops = {2, 1, 3};
            List<CompletableFuture<EngineOutcome>> runs = new ArrayList<>();
            List<RunRecorder> recorders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Scenario s = ScenarioLoader.parse("s.yaml", "target: http://127.0.0.1:" + server.actualPort() + "\n"
                        + "defaults: {maxConnections: 12}\n"
                        + "phases: [{duration: 2s, rate: 150/s}]\n"
                        + "flows: [{name: f, steps: [{name: a, path: \"/first?n=${seq}\", extract: {id: {json: /id}}},"
                        + " {name: b, path: \"/second/${id}\"}]}]\n");
                RunRecorder rec = new RunRecorder(1, 2, EnginePlan.DEFAULT_LATE_BOUND_NANOS, 1);
                recorders.add(rec);
                runs.add(StripedEngine.of(vertx, Clock.SYSTEM, s, rec, loops[i], new Shard(i, 3), Clients.STANDARD).start());
            }
            long started = 0;
            long ended = 0;
            long completed = 0;
            for (int i = 0; i < 3; i++) {
                assertEquals(EngineOutcome.Status.COMPLETED, runs.get(i).get(30, TimeUnit.SECONDS).status());
                dev.loadleak.metrics.Collector c = new dev.loadleak.metrics.Collector(recorders.get(i), 0);
                c.collect(System.nanoTime());
                dev.loadleak.metrics.FlowCounts.Snapshot f = c.totals().flows();
                started += f.started(0, 0);
                completed += f.ended(0, 0, IterationEnd.COMPLETED);
                for (IterationEnd how : IterationEnd.values()) {
                    ended += f.ended(0, 0, how);
                }
            }
            assertEquals(300, started, "the shards together start the schedule's 300 iterations");
            assertEquals(started, ended, "each ends once");
            assertTrue(completed >= 290, "completed " + completed);
            assertEquals(300, seen.size(), "each first step sent once");
            assertEquals(300, new TreeSet<>(seen).size(), "no ${seq} twice across shards and event loops");
        } finally {
            vertx.close();
        }
    }

    @Test
    void shardShareAndParsing() {
        assertEquals(new Shard(1, 3), Shard.parse(" 1/3 "));
        assertEquals(334, new Shard(0, 3).share(1000));
        assertEquals(333, new Shard(1, 3).share(1000));
        assertEquals(333, new Shard(2, 3).share(1000));
        assertEquals(0, new Shard(2, 3).share(2));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("3/3"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("1"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("a/b"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("0/0"));
    }
}
