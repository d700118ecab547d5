package dev.loadleak.engine;

/**
 * Users that each send, wait for the answer, and send again until their phase ends (closed and
 * max-rate models). A user ready while every connection is busy waits in a FIFO of ready times,
 * no object per user. Corrected latency uses HdrHistogram's expected-interval correction: each
 * send carries the interval at which the user would have sent had the target kept up.
 */
abstract class UserLoop implements LoadModel {
    /** Weight of the newest latency in the running estimate of the send interval. */
    private static final double EWMA_ALPHA = 1.0 / 32;

    final HttpEngine core;
    final int phase;
    final long phaseStart;
    final long phaseEnd;
    private final int users;
    private final long thinkNanos;
    private final LongQueue ready = new LongQueue();
    private boolean started;
    /** Users were ready while every connection was busy at the last dispatch. */
    private boolean blocked;
    private boolean retired;
    private double latencyEwmaNanos;

    UserLoop(HttpEngine core, int phase, EnginePlan.PhasePlan p, long phaseStart) {
        this.core = core;
        this.phase = phase;
        this.phaseStart = phaseStart;
        this.phaseEnd = phaseStart + p.durationNanos();
        this.users = core.share(p.users());
        this.thinkNanos = p.thinkNanos();
    }

    @Override
    public final boolean dispatch(long now) {
        if (now >= phaseEnd) {
            return true;
        }
        if (now < phaseStart) {
            core.wakeAt(phaseStart, now);
            return false;
        }
        if (!started) {
            started = true;
            for (int u = users; u > 0; u--) {
                ready.add(phaseStart);
            }
        }
        while (!ready.isEmpty() && core.hasRoom() && !core.stopping()) {
            core.send(this, phase, ready.poll(), now, expectedInterval(), core.nextUserSeq(), blocked);
        }
        // users left waiting: every connection is busy (more users than connections)
        blocked = !ready.isEmpty();
        return false;
    }

    @Override
    public final void completed(long sentNanos, long now) {
        long latency = now - sentNanos;
        latencyEwmaNanos = latencyEwmaNanos == 0 ? latency : latencyEwmaNanos + EWMA_ALPHA * (latency - latencyEwmaNanos);
        if (!retired) {
            nextSend(now);
        }
    }

    /** The user whose request completed at {@code now} goes again: at once, or after thinking. */
    abstract void nextSend(long now);

    /** A user is ready to send again at {@code readyAt}: it sends if its phase still runs then. */
    final void userReady(long readyAt) {
        if (!retired && !core.stopping() && readyAt < phaseEnd) {
            ready.add(readyAt);
        }
    }

    @Override
    public final void retire() {
        retired = true;
        ready.clear();
    }

    private long expectedInterval() {
        return thinkNanos + Math.max(1_000_000L, Math.round(latencyEwmaNanos));
    }
}
