package dev.loadleak.engine;

import dev.loadleak.engine.client.Clients;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.FlowCounts;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.metrics.Totals;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** A scenario run by a whole engine on the real clock against a real server, and what it counted. */
record EngineRun(Totals totals, EngineOutcome outcome, EnginePlan plan) {
    /** Runs {@code yaml} (without its {@code target:}) against {@code target}; at most 30 s. */
    static EngineRun of(Vertx vertx, URI target, String yaml) throws Exception {
        Scenario s = ScenarioLoader.parse("run.yaml", "target: " + target + "\n" + yaml);
        EnginePlan plan = EnginePlan.of(s);
        RunRecorder rec = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos(),
                plan.flows().flows().size());
        HttpEngine engine = new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, rec);
        var f = engine.start();
        Collector col = new Collector(rec, engine.startNanos(30_000_000_000L));
        EngineOutcome o = f.get(30, TimeUnit.SECONDS);
        col.collect(System.nanoTime());
        return new EngineRun(col.totals(), o, plan);
    }

    /** Request (or flow step) {@code r} over every phase. */
    Stats step(int r) {
        return totals.request(r, p -> true, 1);
    }

    FlowCounts.Snapshot flows() {
        return totals.flows();
    }

    /** How often the first flow's users saw {@code e} in the first phase. */
    long realtime(RealtimeEvent e) {
        return flows().realtime(0, 0, e);
    }

    /** The first message of each error kind, for assertion messages. */
    String errors() {
        return Arrays.toString(totals.firstErrorDetail());
    }
}
