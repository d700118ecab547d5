package dev.loadleak.run;

import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * loadleak's own warm-up before a run ({@code run --prewarm 2s}): the scenario's requests, at the
 * maximum rate, on the run's own event loops and client, against a {@link PrewarmSink} on 127.0.0.1
 * that this process serves; nothing of it is recorded. A JVM compiles its hot path in its first
 * seconds, and until then a short max-rate run measures loadleak's warm-up more than the target (and
 * an open-model run's first latencies carry loadleak's own slowness); afterwards the run starts at
 * full speed. It lasts the given time and on while the JIT compiler is still busy ({@link JitQuiet},
 * at most {@value #MAX_FACTOR} times the given time), as engines of half a second one after
 * another, and sends nothing to the target. Flows run their steps as plain requests here (a sink has
 * no values to extract); requests written as full URLs are left out (they would leave the sink).
 * Best effort: when the sink cannot start, the run goes on without it.
 */
final class Prewarm {
    /** A prewarm goes on past its time while the JIT compiler is busy, up to this many times it. */
    static final int MAX_FACTOR = 3;
    /** Each engine of the prewarm runs this long. */
    static final long CYCLE_NANOS = 500_000_000L;

    private Prewarm() {
    }

    /** The prewarm's line for the run's description, or null when it did not happen. */
    static String run(Vertx vertx, EngineRuntime runtime, Scenario scenario, int loops, long nanos) {
        // a request written as a full URL goes to its own host, not to the sink: it is left out
        List<RequestSpec> local = scenario.requests().stream()
                .filter(r -> !r.realtime() && r.url().source().startsWith("/")).toList();
        if (local.isEmpty()) {
            return "no prewarm: every request names its own URL, and a prewarm sends nothing but to its local sink";
        }
        PrewarmSink sink;
        try {
            sink = PrewarmSink.start(vertx);
        } catch (Exception e) {
            return "no prewarm: its sink did not start (" + e + ")";
        }
        try {
            Scenario warm = scenario.withTarget(URI.create("http://127.0.0.1:" + sink.port()))
                    .withLoad(scenario.name() + "-prewarm", List.of(new Phase("prewarm", CYCLE_NANOS,
                            new Phase.Max(scenario.defaults().maxConnections()), false)), local, List.of());
            JitQuiet quiet = new JitQuiet(JitQuiet.jvmCompileMillis(), nanos, MAX_FACTOR * nanos);
            AtomicReference<Collector> collector = new AtomicReference<>();
            AtomicBoolean enough = new AtomicBoolean();
            long begun = Clock.SYSTEM.nanoTime();
            ScheduledExecutorService taker = taker(collector, quiet, begun, enough);
            int cycles = 0;
            String failure = null;
            try {
                // short engines one after another: a run's start (connections opened, every user sending
                // at once, fresh recorders) is then code the JIT compiled, not a trap that discards it
                while (!enough.get() && failure == null) {
                    EnginePlan plan = EnginePlan.of(warm);
                    RunRecorder discarded = new RunRecorder(plan.phases().size(), plan.requests().size(),
                            plan.lateBoundNanos());
                    LoadWatch watch = new LoadWatch(runtime.engine(warm, discarded, loops, Shard.WHOLE), plan,
                            Clock.SYSTEM);
                    watch.begin();
                    collector.set(new Collector(discarded, watch.startNanos()));
                    failure = watch.awaitEnd().failure();
                    cycles++;
                }
            } finally {
                taker.shutdownNow();
            }
            return String.format(Locale.ROOT, "loadleak prewarmed its own JIT for %.1f s (%d engines one after "
                    + "another) against a local sink (%s)", (Clock.SYSTEM.nanoTime() - begun) / 1e9, cycles,
                    failure == null ? "nothing sent to the target" : "it failed: " + failure);
        } finally {
            sink.close();
        }
    }

    /**
     * Every 100 ms: the current engine's intervals collected, and {@code enough} set once the JIT is quiet (or the
     * collection failed: a prewarm is best effort, it ends rather than run to its maximum). The run's collector
     * takes the recorders' intervals every second; taking them here too lets the JIT see both halves of each
     * recorder's writer phaser (else the first second of the run recompiles the recording path).
     */
    private static ScheduledExecutorService taker(AtomicReference<Collector> collector, JitQuiet quiet, long begun,
                                                  AtomicBoolean enough) {
        ScheduledExecutorService taker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadleak-prewarm-collector");
            t.setDaemon(true);
            return t;
        });
        taker.scheduleAtFixedRate(() -> {
            long now = Clock.SYSTEM.nanoTime();
            try {
                Collector c = collector.get();
                if (c != null) {
                    c.collect(now);
                }
                if (quiet.done(now - begun)) {
                    enough.set(true);
                }
            } catch (RuntimeException e) {
                enough.set(true);
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        return taker;
    }
}
