package dev.loadleak.engine.load;

/**
 * Open model at a constant rate: request {@code i} is due at {@code i / rate} seconds, and the
 * phase holds every request due strictly before its end ({@code ceil(duration * rate)} of them).
 */
public final class ConstantRateSchedule implements Schedule {
    private final double perSecond;
    private final long count;

    public ConstantRateSchedule(double perSecond, long durationNanos) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0 per second, was " + perSecond);
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("duration must be > 0 ns, was " + durationNanos);
        }
        this.perSecond = perSecond;
        // start from the floating-point estimate, then settle it exactly against offsetNanos()
        long c = (long) Math.ceil(durationNanos / 1e9 * perSecond);
        while (c > 0 && offsetNanos(c - 1) >= durationNanos) {
            c--;
        }
        while (offsetNanos(c) < durationNanos) {
            c++;
        }
        this.count = c;
    }

    /** How many requests the phase sends. */
    public long count() {
        return count;
    }

    @Override
    public long expectedCount() {
        return count;
    }

    @Override
    public long offsetNanos(long index) {
        return Math.round(index * (1e9 / perSecond));
    }
}
