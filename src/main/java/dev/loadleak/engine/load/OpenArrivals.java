package dev.loadleak.engine.load;

/**
 * The open model, as wrk2 does it: the intended send time of every request comes from the phase's
 * {@link Schedule}; this stripe sends the arrivals whose global index is {@code stripe} modulo
 * {@code stripes}. A request due while every connection is busy waits (the backlog is the distance
 * between "due" and "next", no queue of objects); it leaves when a connection frees up and its
 * latency is still measured from its intended time, so the wait shows in the corrected latency
 * and in the late-send count. It waits no longer than the timeout from its intended time: after
 * that it is reported as not sent (a dead target must not build a backlog that outlives the run).
 */
final class OpenArrivals implements LoadModel, LoadModel.Owner {
    private final LoadModel.Core core;
    private final int phase;
    private final Schedule schedule;
    private final long phaseStart;
    private final long durationNanos;
    /** This stripe's arrivals sent (or reported not sent) so far in the phase. */
    private long next;
    /** An arrival was due while every connection was busy, and the backlog has not caught up since. */
    private boolean blocked;

    OpenArrivals(LoadModel.Core core, int phase, PhasePlan p, long phaseStart) {
        this.core = core;
        this.phase = phase;
        this.schedule = p.schedule();
        this.phaseStart = phaseStart;
        this.durationNanos = p.durationNanos();
    }

    @Override
    public boolean dispatch(long now) {
        while (!core.stopping()) {
            long global = core.globalIndex(next);
            long offset = schedule.offsetNanos(global);
            if (offset >= durationNanos) {
                return true;
            }
            long intended = phaseStart + offset;
            if (intended > now) {
                blocked = false;
                core.wakeAt(intended, now);
                return false;
            }
            if (!core.hasRoom()) {
                blocked = true;
                if (now - intended < core.timeoutNanos()) {
                    return false; // the backlog: sent when a connection frees up
                }
                next++;
                core.notSent(this, phase, intended, now, global);
                continue;
            }
            next++; // before sending: a failure reported at once must not resend this one
            core.arrive(this, phase, intended, now, global, blocked);
            now = core.now();
        }
        return false;
    }

    @Override
    public void completed(long sentNanos, long now) {
        // arrivals do not wait for answers
    }

    @Override
    public boolean retired() {
        return false; // an open-model iteration goes on into the next phase, until the run's end
    }

    @Override
    public long expectedInterval(LoadModel.User u) {
        return 0; // intended times already correct the open model
    }

    @Override
    public void iterationEnded(LoadModel.User u, long now) {
        // each arrival is a new user: it is dropped
    }

    @Override
    public boolean keepsUsers() {
        return false;
    }

    @Override
    public void retire() {
        // nothing pending: the next phase's arrivals have their own schedule
    }
}
