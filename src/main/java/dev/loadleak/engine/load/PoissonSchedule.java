package dev.loadleak.engine.load;

import java.util.SplittableRandom;

/**
 * Open model with Poisson arrivals: the gaps between requests are exponentially distributed
 * around the underlying (constant or ramping) schedule's rate, so bursts and lulls happen as they
 * do with real independent users. Implemented by time-warping: request {@code i} is due at the
 * underlying schedule's time for a position that advances by Exp(1) per request, which keeps the
 * mean rate (and a ramp's shape) and is reproducible from the seed. Indexes must be asked for in
 * increasing order.
 */
public final class PoissonSchedule implements Schedule {
    private final Schedule underlying;
    private final SplittableRandom random;
    private long lastIndex = -1;
    private double position;
    private long lastOffset;

    public PoissonSchedule(Schedule underlying, long seed) {
        this.underlying = underlying;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public long offsetNanos(long index) {
        if (index < lastIndex) {
            throw new IllegalStateException("Poisson arrivals are generated in order: asked " + index + " after " + lastIndex);
        }
        while (lastIndex < index) {
            // Exp(1) in units of "requests": the next arrival on the warped timeline
            position += -Math.log(1.0 - random.nextDouble());
            lastIndex++;
            lastOffset = interpolate(position);
        }
        return lastOffset;
    }

    /** The underlying schedule's time at a fractional request position. */
    private long interpolate(double pos) {
        long i = (long) Math.floor(pos);
        long t0 = underlying.offsetNanos(i);
        long t1 = underlying.offsetNanos(i + 1);
        if (t0 == Long.MAX_VALUE || t1 == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return t0 + Math.round((t1 - t0) * (pos - i));
    }

    @Override
    public long expectedCount() {
        return underlying.expectedCount();
    }
}
