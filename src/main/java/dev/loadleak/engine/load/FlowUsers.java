package dev.loadleak.engine.load;

/**
 * The closed and max-rate models with flows: {@code users} virtual users loop over the flows,
 * keeping their cookie jar and values across iterations (unless the flow says
 * {@code resetEachIteration}); each iteration picks its flow from the weighted mix. Closed users
 * pause the phase's think time between iterations; max-rate users go again at once. An iteration
 * still going when the phase ends is aborted.
 */
final class FlowUsers implements LoadModel, LoadModel.Owner {
    private static final double EWMA_ALPHA = 1.0 / 32;

    private final LoadModel.Core core;
    private final int phase;
    private final long phaseStart;
    private final long phaseEnd;
    private final int users;
    private final long thinkNanos;
    private boolean started;
    private boolean retired;
    private double latencyEwmaNanos;

    FlowUsers(LoadModel.Core core, int phase, PhasePlan p, long phaseStart) {
        this.core = core;
        this.phase = phase;
        this.phaseStart = phaseStart;
        this.phaseEnd = phaseStart + p.durationNanos();
        this.users = core.share(p.users());
        this.thinkNanos = p.thinkNanos();
    }

    @Override
    public boolean dispatch(long now) {
        if (now >= phaseEnd) {
            return true;
        }
        if (now < phaseStart) {
            core.wakeAt(phaseStart, now);
            return false;
        }
        if (!started) {
            started = true;
            for (int u = 0; u < users; u++) {
                core.begin(this, null, core.nextFlow(), phase, phaseStart);
            }
            core.dispatchUsers(now);
        }
        return false;
    }

    @Override
    public void completed(long sentNanos, long now) {
        long latency = now - sentNanos;
        latencyEwmaNanos = latencyEwmaNanos == 0 ? latency : latencyEwmaNanos + EWMA_ALPHA * (latency - latencyEwmaNanos);
    }

    @Override
    public void retire() {
        retired = true;
    }

    @Override
    public boolean retired() {
        return retired;
    }

    @Override
    public long expectedInterval(LoadModel.User u) {
        return (u.step() == 0 ? thinkNanos : 0) + Math.max(1_000_000L, Math.round(latencyEwmaNanos));
    }

    @Override
    public void iterationEnded(LoadModel.User u, long now) {
        long next = now + thinkNanos;
        if (!retired && !core.stopping() && next < phaseEnd) {
            core.begin(this, u, core.nextFlow(), phase, next);
        }
    }
}
