package dev.loadleak.analysis;

import java.util.SplittableRandom;

/**
 * Synthetic memory series for the leak detector's accuracy tests: a base, a linear leak that may
 * start late or stop (plateau), a GC sawtooth with jittered periods, post-GC floor noise and
 * sample noise, optional RSS-style allocator jumps. Deterministic for a seed.
 */
final class SyntheticMemory {
    static final double MB = 1024.0 * 1024.0;

    double baseMB = 200;
    double leakMBPerHour;
    double leakStartsAt;
    double leakStopsAt = Double.MAX_VALUE;
    double sawtoothMB = 50;
    double periodSeconds = 20;
    double periodJitter = 0.25;
    double floorNoiseMB = 0.3;
    double sampleNoiseMB = 0.3;
    double jumpsEverySeconds;
    double jumpMB;
    double jumpsStopAt = Double.MAX_VALUE;
    double durationSeconds = 300;
    double intervalSeconds = 1;
    /** GCs happen at sample times (the post-GC value is sampled exactly), else at any time between samples. */
    boolean gcOnSample;

    /** {seconds[], bytes[]} */
    double[][] generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = (int) (durationSeconds / intervalSeconds);
        double[] t = new double[n];
        double[] v = new double[n];
        double cycleStart = -r.nextDouble() * periodSeconds;
        if (gcOnSample) {
            cycleStart = Math.round(cycleStart / intervalSeconds) * intervalSeconds;
        }
        double cycleLength = period(r);
        double floorOffset = gauss(r) * floorNoiseMB;
        double jumps = 0;
        double nextJump = jumpsEverySeconds > 0 ? jumpsEverySeconds * (0.5 + r.nextDouble()) : Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double ti = i * intervalSeconds;
            while (ti >= cycleStart + cycleLength) {
                cycleStart += cycleLength;
                cycleLength = period(r);
                floorOffset = gauss(r) * floorNoiseMB;
            }
            if (ti >= nextJump && ti < jumpsStopAt) {
                jumps += jumpMB;
                nextJump += jumpsEverySeconds * (0.5 + r.nextDouble());
            }
            double leakTime = Math.max(0, Math.min(ti, leakStopsAt) - leakStartsAt);
            double leak = leakMBPerHour * leakTime / 3600;
            double saw = sawtoothMB * (ti - cycleStart) / cycleLength;
            t[i] = ti;
            v[i] = (baseMB + leak + saw + floorOffset + jumps + gauss(r) * sampleNoiseMB) * MB;
        }
        return new double[][] {t, v};
    }

    private double period(SplittableRandom r) {
        double p = periodSeconds * (1 + periodJitter * (2 * r.nextDouble() - 1));
        return gcOnSample ? Math.max(intervalSeconds, Math.round(p / intervalSeconds) * intervalSeconds) : p;
    }

    /** A standard normal draw (Box–Muller). */
    static double gauss(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
