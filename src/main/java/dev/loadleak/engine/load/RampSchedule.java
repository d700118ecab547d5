package dev.loadleak.engine.load;

/**
 * Open model whose rate moves linearly from {@code r0} to {@code r1} over the phase.
 *
 * <p>The cumulative number of arrivals by time t is {@code N(t) = r0·t + a·t²/2} with
 * {@code a = (r1 − r0) / D}. Request {@code i} is due when {@code N(t) = i}, i.e.
 * {@code t = 2i / (r0 + sqrt(r0² + 2·a·i))} — the numerically stable root, which also holds for
 * a = 0 (constant rate) and for a ramp down.
 */
public final class RampSchedule implements Schedule {
    private final double r0;
    private final double a;
    private final long count;

    public RampSchedule(double fromPerSecond, double toPerSecond, long durationNanos) {
        if (fromPerSecond < 0 || toPerSecond < 0 || fromPerSecond == 0 && toPerSecond == 0) {
            throw new IllegalArgumentException("a ramp needs rates >= 0 with one of them > 0, was "
                    + fromPerSecond + " to " + toPerSecond);
        }
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("duration must be > 0 ns, was " + durationNanos);
        }
        this.r0 = fromPerSecond;
        this.a = (toPerSecond - fromPerSecond) / (durationNanos / 1e9);
        double d = durationNanos / 1e9;
        long c = (long) Math.ceil(r0 * d + a * d * d / 2);
        while (c > 0 && offsetNanos(c - 1) >= durationNanos) {
            c--;
        }
        while (offsetNanos(c) < durationNanos) {
            c++;
        }
        this.count = c;
    }

    @Override
    public long offsetNanos(long index) {
        if (index == 0) {
            return 0;
        }
        double disc = r0 * r0 + 2 * a * index;
        if (disc < 0) {
            return Long.MAX_VALUE; // a ramp down never reaches this many arrivals
        }
        double t = 2.0 * index / (r0 + Math.sqrt(disc));
        return t * 1e9 >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(t * 1e9);
    }

    @Override
    public long expectedCount() {
        return count;
    }
}
