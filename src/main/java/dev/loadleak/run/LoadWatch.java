package dev.loadleak.run;

import dev.loadleak.analysis.LoadOutcome;
import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EngineFailure;
import dev.loadleak.engine.EngineOutcome;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.HttpEngine;
import dev.loadleak.engine.StripedEngine;
import dev.loadleak.result.RunStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the engine and waits for it, never for ever: the start within the warm-up's own bound
 * (the request timeout, at most 5 s) plus {@link #MARGIN_NANOS}; the end within the plan's
 * duration, the timeout, the stop grace and the margin. An engine that fails, or does not start or
 * end in time, makes a {@code failed} outcome with the reason in one line, and the run writes what
 * it measured.
 */
final class LoadWatch {
    /** Slack for a loaded machine on top of every bound the engine itself keeps. */
    static final long MARGIN_NANOS = 30_000_000_000L;

    private final StripedEngine engine;
    private final EnginePlan plan;
    private final Clock clock;
    private CompletableFuture<EngineOutcome> future;
    private long start;
    private String failure;
    private boolean interrupted;

    LoadWatch(StripedEngine engine, EnginePlan plan, Clock clock) {
        this.engine = engine;
        this.plan = plan;
        this.clock = clock;
    }

    /** Starts the engine and waits (bounded) until its schedule starts. */
    void begin() {
        future = engine.start();
        long bound = TimeUnit.MILLISECONDS.toNanos(Math.min(plan.timeoutNanos() / 1_000_000,
                HttpEngine.WARMUP_BOUND_MILLIS)) + MARGIN_NANOS;
        try {
            start = engine.startNanos(bound);
        } catch (ExecutionException e) {
            failure = oneLine(e.getCause());
            start = clock.nanoTime();
        } catch (TimeoutException e) {
            engine.stop();
            failure = "the engine did not start within " + bound / 1_000_000_000L + " s";
            start = clock.nanoTime();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.stop();
            interrupted = true;
            start = clock.nanoTime();
        }
    }

    /** The engine clock's time of the schedule's start: second 0 of the run. */
    long startNanos() {
        return start;
    }

    /** Waits (bounded) for the engine's end. */
    LoadOutcome awaitEnd() {
        if (failure != null || interrupted) {
            return ended(failure != null ? RunStatus.FAILED : RunStatus.INTERRUPTED, failure);
        }
        long bound = plan.totalDurationNanos() + plan.timeoutNanos() + HttpEngine.STOP_GRACE_NANOS + MARGIN_NANOS;
        try {
            EngineOutcome o = await(Math.max(0, start + bound - clock.nanoTime()));
            if (o == null) {
                engine.stop();
                o = await(HttpEngine.STOP_GRACE_NANOS + 5_000_000_000L);
            }
            if (o == null) {
                return ended(RunStatus.FAILED, "the engine did not end within " + bound / 1_000_000_000L
                        + " s of its start (planned duration, request timeout and stop grace included)");
            }
            return new LoadOutcome(RunSession.status(o.status()), (o.endNanos() - o.startNanos()) / 1e9,
                    o.abandonedInFlight(), o.connectionsOpened(), o.client(), null, o.lateWhileBusy(),
                    plan.maxConnections());
        } catch (ExecutionException e) {
            return ended(RunStatus.FAILED, oneLine(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.stop();
            return ended(RunStatus.INTERRUPTED, null);
        }
    }

    private EngineOutcome await(long nanos) throws ExecutionException, InterruptedException {
        try {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    private LoadOutcome ended(RunStatus status, String why) {
        return new LoadOutcome(status, (clock.nanoTime() - start) / 1e9, 0, 0, "", why);
    }

    static String oneLine(Throwable t) {
        String s = t instanceof EngineFailure && t.getMessage() != null ? t.getMessage() : String.valueOf(t);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
