package dev.loadleak.engine;

/**
 * A stripe's precise wake-up: one one-shot timer pending at a time, the earliest asked for (nanosecond precision
 * on epoll), so that an open-model send or a user's next step leaves at its intended time rather than at the
 * next 1 ms tick. Touched only on the stripe's thread.
 */
final class WakeUp {
    private final EngineScheduler scheduler;
    private final Runnable then;
    private final Runnable fire = this::fire;
    /** When the pending wake-up is set for (engine clock), or MAX_VALUE when none is. */
    private long at = Long.MAX_VALUE;

    WakeUp(EngineScheduler scheduler, Runnable then) {
        this.scheduler = scheduler;
        this.then = then;
    }

    /** Runs {@code then} at {@code due} unless an earlier wake-up is already pending. */
    void at(long due, long now) {
        if (due < at) {
            at = due;
            scheduler.schedule(Math.max(0, due - now), fire);
        }
    }

    private void fire() {
        at = Long.MAX_VALUE;
        then.run();
    }
}
