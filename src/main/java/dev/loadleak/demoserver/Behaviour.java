package dev.loadleak.demoserver;

import java.util.function.LongSupplier;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pure decisions behind the knobs, with the clock and randomness injected: how long to hold a
 * response, and whether it is one of the failing ones.
 */
public final class Behaviour {
    private final TargetKnobs knobs;
    private final LongSupplier clock;
    private final long originNanos;
    private final AtomicLong served = new AtomicLong();
    private final SplittableRandom random;

    public Behaviour(TargetKnobs knobs, LongSupplier clock, long seed) {
        this.knobs = knobs;
        this.clock = clock;
        this.originNanos = clock.getAsLong();
        this.random = new SplittableRandom(seed);
    }

    public TargetKnobs knobs() {
        return knobs;
    }

    /**
     * Nanoseconds a response arriving now must wait for the current stall to end. The stall takes
     * the last {@code stall} of every {@code period} since the target started, so a fresh target
     * answers its health check at once.
     */
    public long stallDelayNanos() {
        if (knobs.stallNanos() <= 0) {
            return 0;
        }
        long pos = Math.floorMod(clock.getAsLong() - originNanos, knobs.stallPeriodNanos());
        long stallStart = knobs.stallPeriodNanos() - knobs.stallNanos();
        return pos >= stallStart ? knobs.stallPeriodNanos() - pos : 0;
    }

    /** The configured latency with its jitter drawn uniformly in [latency − jitter, latency + jitter]. */
    public long latencyNanos() {
        if (knobs.jitterNanos() == 0) {
            return knobs.latencyNanos();
        }
        long j = knobs.jitterNanos();
        long draw;
        synchronized (random) {
            draw = random.nextLong(2 * j + 1);
        }
        return knobs.latencyNanos() - j + draw;
    }

    /**
     * Whether the next API request fails. Deterministic and evenly spread: after n requests exactly
     * floor(n × rate) have failed, so a test of 1000 requests at 0.01 sees 10 failures, not "about 10".
     */
    public boolean nextFails() {
        if (knobs.errorRate() <= 0) {
            return false;
        }
        long n = served.incrementAndGet();
        return (long) Math.floor(n * knobs.errorRate()) > (long) Math.floor((n - 1) * knobs.errorRate());
    }
}
