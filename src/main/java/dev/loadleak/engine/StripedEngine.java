package dev.loadleak.engine;

import dev.loadleak.result.Shard;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * A run spread over several Vert.x event loops (one per core by default), each an
 * {@link HttpEngine} stripe with its own connection pool: open-model request {@code i} goes to
 * stripe {@code i mod N}, closed-model users and connections are shared out. All stripes warm up
 * first and then start from one common start time, so intended send times line up exactly.
 * When one stripe fails, the others are stopped and the run's futures complete exceptionally.
 */
public final class StripedEngine {
    private final List<HttpEngine> stripes = new ArrayList<>();
    private final Clock clock;
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final CompletableFuture<EngineOutcome> done = new CompletableFuture<>();

    /**
     * One shard of a run spread over several machines: the {@code shard.count() × loops} stripes of
     * all shards together interleave the one schedule of the scenario, so that the union of the
     * shards is the single-machine run (rate, users and connections divided, disjoint {@code ${seq}}).
     *
     * @param plans a fresh plan per stripe (Poisson schedules are stateful), all from the same seed
     */
    public StripedEngine(Vertx vertx, Clock clock, LongFunction<EnginePlan> plans, ResultSink sink, int loops,
                         Shard shard, TransportFactory transports) {
        this.clock = clock;
        EnginePlan first = plans.apply(0);
        int perShardConnections = Math.max(1, first.maxConnections() / shard.count());
        int n = Math.max(1, Math.min(loops, perShardConnections));
        for (int k = 0; k < n; k++) {
            Context ctx = ((VertxInternal) vertx).createEventLoopContext();
            // global index g goes to shard g mod N, and within it to local stripe (g div N) mod n: a
            // partition of the one schedule whatever event loops each shard has
            stripes.add(new HttpEngine(vertx, ctx, clock, transports, k == 0 ? first : plans.apply(k), sink.forWriter(),
                    shard.index() + shard.count() * k, shard.count() * n));
        }
    }

    public static StripedEngine of(Vertx vertx, Clock clock, Scenario s, ResultSink sink, int loops, Shard shard,
                                   TransportFactory transports) {
        return new StripedEngine(vertx, clock, k -> EnginePlan.of(s), sink, loops, shard, transports);
    }

    public int loops() {
        return stripes.size();
    }

    /** Warms every stripe up, then starts them all at one time. */
    public CompletableFuture<EngineOutcome> start() {
        CompletableFuture.allOf(stripes.stream().map(HttpEngine::prepare).toArray(CompletableFuture[]::new))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        failed(failure);
                        return;
                    }
                    long t0 = clock.nanoTime();
                    started.complete(t0);
                    List<CompletableFuture<EngineOutcome>> outs = new ArrayList<>();
                    for (HttpEngine e : stripes) {
                        outs.add(e.run(t0).whenComplete((o, t) -> {
                            if (t != null) {
                                failed(t);
                            }
                        }));
                    }
                    CompletableFuture.allOf(outs.toArray(new CompletableFuture[0])).thenRun(() -> done.complete(combine(outs)));
                });
        return done;
    }

    private void failed(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        stripes.forEach(HttpEngine::stop);
        started.completeExceptionally(cause);
        done.completeExceptionally(cause);
    }

    private static EngineOutcome combine(List<CompletableFuture<EngineOutcome>> outs) {
        EngineOutcome.Status status = EngineOutcome.Status.COMPLETED;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long sent = 0;
        long abandoned = 0;
        long connections = 0;
        String client = "";
        long lateBusy = 0;
        for (CompletableFuture<EngineOutcome> f : outs) {
            EngineOutcome o = f.join();
            status = o.status() == EngineOutcome.Status.INTERRUPTED ? EngineOutcome.Status.INTERRUPTED : status;
            start = Math.min(start, o.startNanos());
            end = Math.max(end, o.endNanos());
            sent += o.sent();
            abandoned += o.abandonedInFlight();
            connections += o.connectionsOpened();
            client = client.isEmpty() ? o.client() : client;
            lateBusy += o.lateWhileBusy();
        }
        return new EngineOutcome(status, start, end, sent, abandoned, connections, client, lateBusy);
    }

    /**
     * The common start time, once every stripe has warmed up (the warm-up is bounded by the
     * request timeout and 5 s); waits at most {@code timeoutNanos}.
     *
     * @throws ExecutionException when a stripe failed before the start
     * @throws TimeoutException   when the stripes did not start in time
     */
    public long startNanos(long timeoutNanos) throws ExecutionException, InterruptedException, TimeoutException {
        return started.get(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Requests in flight over every stripe, as of their latest tick. */
    public long inFlight() {
        return stripes.stream().mapToLong(e -> e.gauges.inFlight()).sum();
    }

    /** Connections open over every stripe, or -1 when the client does not say. */
    public long connections() {
        long sum = 0;
        for (HttpEngine e : stripes) {
            long c = e.gauges.connections();
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }

    public void stop() {
        stripes.forEach(HttpEngine::stop);
        if (!started.isDone()) {
            long now = clock.nanoTime();
            started.complete(now);
        }
    }
}
