package dev.loadleak.engine;

/**
 * How one phase of one stripe starts virtual users, the one thing a load model decides: {@link OpenArrivals} (each
 * arrival of a schedule is a new user running one iteration) or {@link FlowUsers} (a fixed number of users that
 * loop, pausing the phase's think time between iterations: the closed model, and max rate, whose users never pause).
 * Every user runs on the one {@link FlowDriver}; the engine core owns connections, in-flight requests and timeouts.
 * Made when its phase begins, retired when it ends; called on the stripe's thread.
 */
interface LoadModel {
    /**
     * Starts what is due at {@code now} while the core has room, and asks for a wake-up when the
     * next start is in the future. True when the phase has nothing more to start: the core moves on.
     */
    boolean dispatch(long now);

    /** A step of a user of this model sent at {@code sentNanos} ended at {@code now}, whatever its outcome. */
    void completed(long sentNanos, long now);

    /** The phase ended: requests of it that complete later change nothing. */
    void retire();

    /** The model of {@code p}, the {@code index}-th phase of the plan, starting at {@code runStart}. */
    static LoadModel of(HttpEngine core, int index, EnginePlan.PhasePlan p, long runStart) {
        long phaseStart = runStart + p.startOffsetNanos();
        return switch (p.model()) {
            case OPEN -> new OpenArrivals(core, index, p, phaseStart);
            case CLOSED, MAX -> new FlowUsers(core, core.flowDriver(), index, p, phaseStart);
        };
    }
}
