package dev.loadleak.engine;

/**
 * The closed model: {@code users} loop over send, answer, think. A think timer runs on the engine's
 * scheduler (the stripe's event loop), so the user's next send happens on the stripe's thread.
 */
final class ClosedUsers extends UserLoop {
    private final long thinkNanos;

    ClosedUsers(HttpEngine core, int phase, EnginePlan.PhasePlan p, long phaseStart) {
        super(core, phase, p, phaseStart);
        this.thinkNanos = p.thinkNanos();
    }

    @Override
    void nextSend(long now) {
        if (thinkNanos == 0) {
            userReady(now);
            return;
        }
        long readyAt = now + thinkNanos;
        core.later(thinkNanos, () -> {
            userReady(readyAt);
            core.dispatch();
        });
    }
}
