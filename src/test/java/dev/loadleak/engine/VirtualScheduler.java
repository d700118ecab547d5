package dev.loadleak.engine;

import java.util.PriorityQueue;

/**
 * An {@link EngineScheduler} on a virtual clock: tasks wait in time order, and run only when the
 * test advances the clock past them (then the clock reads the task's own time while it runs).
 * Everything runs on the test's thread, so an engine driven by it is exactly repeatable.
 */
public final class VirtualScheduler implements EngineScheduler {
    private record Task(long at, long order, Runnable run) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.order, b.order));
    private long now;
    private long order;

    public VirtualScheduler(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
        queue.add(new Task(now + Math.max(0, delayNanos), order++, task));
    }

    /** Runs every task due up to {@code t} (tasks they schedule too), in time order; the clock ends at {@code t}. */
    public void advanceTo(long t) {
        while (!queue.isEmpty() && queue.peek().at <= t) {
            Task next = queue.poll();
            now = Math.max(now, next.at);
            next.run.run();
        }
        now = Math.max(now, t);
    }

    public void advanceBy(long nanos) {
        advanceTo(now + nanos);
    }

    /** Runs what is due now (e.g. the engine's start-up tasks). */
    public void runDue() {
        advanceTo(now);
    }
}
