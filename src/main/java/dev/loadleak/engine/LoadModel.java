package dev.loadleak.engine;

/**
 * How one phase of one stripe decides what to send and when: {@link OpenArrivals} (an arrival
 * schedule), {@link ClosedUsers} (users with think time) or {@link MaxRate} (users that never
 * pause). The engine core owns connections, in-flight requests and timeouts; a load model only
 * asks it to send. Made when its phase begins, retired when it ends; called on the stripe's thread.
 */
interface LoadModel {
    /**
     * Sends what is due at {@code now} while the core has room, and asks for a wake-up when the
     * next send is in the future. True when the phase has nothing more to send: the core moves on.
     */
    boolean dispatch(long now);

    /** A request this model sent at {@code sentNanos} completed at {@code now}, whatever its outcome. */
    void completed(long sentNanos, long now);

    /** The phase ended: requests of it that complete later change nothing. */
    void retire();

    /** The model of {@code p}, the {@code index}-th phase of the plan, starting at {@code runStart}. */
    static LoadModel of(HttpEngine core, int index, EnginePlan.PhasePlan p, long runStart) {
        long phaseStart = runStart + p.startOffsetNanos();
        return switch (p.model()) {
            case OPEN -> new OpenArrivals(core, index, p, phaseStart);
            case CLOSED -> core.flowDriver() != null ? new FlowUsers(core, core.flowDriver(), index, p, phaseStart)
                    : new ClosedUsers(core, index, p, phaseStart);
            case MAX -> core.flowDriver() != null ? new FlowUsers(core, core.flowDriver(), index, p, phaseStart)
                    : new MaxRate(core, index, p, phaseStart);
        };
    }
}
