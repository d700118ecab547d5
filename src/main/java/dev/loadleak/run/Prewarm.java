package dev.loadleak.run;

import dev.loadleak.analysis.LoadOutcome;
import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.Shard;
import dev.loadleak.engine.StripedEngine;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * loadleak's own warm-up before a run ({@code run --prewarm 2s}): the scenario's requests, at the
 * maximum rate, on the run's own event loops and client, against a sink on 127.0.0.1 that this
 * process serves, for the given time; nothing of it is recorded. A JVM compiles its hot path in
 * its first seconds, and until then a short max-rate run measures loadleak's warm-up more than the
 * target (and an open-model run's first latencies carry loadleak's own slowness); afterwards the
 * run starts at full speed. Costs that much wall time, and sends nothing to the target. Flows run
 * their steps as plain requests here (a sink has no values to extract); requests written as full
 * URLs are left out (they would leave the sink). Best effort: when the sink cannot start, the run
 * goes on without it.
 */
final class Prewarm {
    private static final String BODY = "{\"id\":1,\"title\":\"Media 1\",\"type\":\"video\",\"token\":\"t\"}";

    private Prewarm() {
    }

    /** The prewarm's line for the run's description, or null when it did not happen. */
    static String run(Vertx vertx, EngineRuntime runtime, Scenario scenario, int loops, long nanos) {
        // a request written as a full URL goes to its own host, not to the sink: it is left out
        List<dev.loadleak.scenario.RequestSpec> local = scenario.requests().stream()
                .filter(r -> r.url().source().startsWith("/")).toList();
        if (local.isEmpty()) {
            return "no prewarm: every request names its own URL, and a prewarm sends nothing but to its local sink";
        }
        HttpServer sink;
        try {
            sink = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(r -> {
                r.response().putHeader("content-type", "application/json");
                r.response().setStatusCode(r.method().name().equals("POST") ? 201 : 200).end(BODY);
            }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "no prewarm: its sink did not start (" + e + ")";
        }
        try {
            Scenario warm = scenario.withTarget(URI.create("http://127.0.0.1:" + sink.actualPort()))
                    .withLoad(scenario.name() + "-prewarm", List.of(new Phase("prewarm", nanos,
                            new Phase.Max(scenario.defaults().maxConnections()), false)), local, List.of());
            EnginePlan plan = EnginePlan.of(warm);
            RunRecorder discarded = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos());
            StripedEngine engine = runtime.engine(warm, discarded, loops, Shard.WHOLE);
            LoadWatch watch = new LoadWatch(engine, plan, Clock.SYSTEM);
            watch.begin();
            LoadOutcome o = watch.awaitEnd();
            return String.format(Locale.ROOT, "loadleak prewarmed its own JIT for %.1f s against a local sink (%s)",
                    nanos / 1e9, o.failure() == null ? "nothing sent to the target" : "it failed: " + o.failure());
        } finally {
            sink.close();
        }
    }
}
