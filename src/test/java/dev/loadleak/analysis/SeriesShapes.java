package dev.loadleak.analysis;

import java.util.SplittableRandom;

/**
 * Synthetic memory series in the three shapes the leak detector meets, for its accuracy suites
 * (deterministic for a seed, sampled every second; values in bytes):
 *
 * <ul>
 *   <li>{@link #rss}: a process's RSS. The live set warms up by 20–60 MB (time constant 3–15 s) and
 *   then grows only by the leak; garbage rises and falls by 5–20 MB every 2–10 s, but RSS only
 *   follows the high-water mark in 2 MB allocator steps (plateaus, and a slow creep as a higher peak
 *   comes along), and gives pages back to the allocator only every 30–90 s.</li>
 *   <li>{@link #v8}: V8's heap used. Scavenges every 1–2 s empty an 8–16 MB young generation; what
 *   survives them piles up in old space at 0.02–0.1 MB/s until a mark-sweep every 30–120 s; the live
 *   set warms up by 5–20 MB first. {@link Shape#V8_BUSY} is the same heap under heavy load: 0.1–1 MB/s of
 *   garbage survives the scavenges (360–3,600 MB/h between mark-sweeps, as fast as a blatant leak).</li>
 *   <li>{@link #nodeRss}: a busy Node process's RSS, as {@code src/test/node/session-service} shows it at
 *   600–1000 requests/s: the live set warms up by 30–60 MB (time constant 2–8 s); garbage fills the heap at
 *   0.5–2 MB/s and RSS follows its high-water mark in 2 MB steps, until a mark-sweep every 5–15 s, after which
 *   V8 gives 50–90 % of the freed pages back: a sawtooth of a few cycles a minute.</li>
 *   <li>{@link #jvm}: the JVM sawtooth of {@link SyntheticMemory} (50 MB every 15 s, collections
 *   between samples).</li>
 * </ul>
 */
final class SeriesShapes {
    static final double MB = 1024.0 * 1024.0;

    enum Shape { RSS, NODE_RSS, V8, JVM, V8_BUSY }

    private SeriesShapes() {
    }

    static double[][] generate(Shape shape, double leakMBPerHour, double seconds, long seed) {
        return switch (shape) {
            case RSS -> rss(leakMBPerHour, seconds, seed);
            case NODE_RSS -> nodeRss(leakMBPerHour, seconds, seed);
            case V8 -> v8(leakMBPerHour, seconds, seed);
            case JVM -> jvm(leakMBPerHour, seconds, seed);
            case V8_BUSY -> v8(leakMBPerHour, seconds, seed, 0.1, 1.0);
        };
    }

    static double[][] rss(double leakMBPerHour, double seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double warm = 20 + 40 * r.nextDouble();
        double tau = 3 + 12 * r.nextDouble();
        double amplitude = 5 + 15 * r.nextDouble();
        double period = 2 + 8 * r.nextDouble();
        double nextRelease = 30 + 60 * r.nextDouble();
        int n = (int) seconds;
        double[] t = new double[n];
        double[] v = new double[n];
        double rss = 0;
        double cycle = r.nextDouble() * period;
        double peak = amplitude * (0.7 + 0.6 * r.nextDouble());
        for (int i = 0; i < n; i++) {
            double live = 60 + warm * (1 - Math.exp(-i / tau)) + leakMBPerHour * i / 3600;
            cycle += 1;
            if (cycle >= period) {
                cycle -= period;
                peak = amplitude * (0.7 + 0.6 * r.nextDouble());
            }
            double used = live + peak * cycle / period;
            if (i >= nextRelease) {
                rss = step(live + amplitude / 2);
                nextRelease += 30 + 60 * r.nextDouble();
            }
            rss = Math.max(rss, step(used));
            t[i] = i;
            v[i] = (rss + 0.2 * SyntheticMemory.gauss(r)) * MB;
        }
        return new double[][] {t, v};
    }

    static double[][] nodeRss(double leakMBPerHour, double seconds, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double warm = 30 + 30 * r.nextDouble();
        double tau = 2 + 6 * r.nextDouble();
        double garbageRate = 0.5 + 1.5 * r.nextDouble();
        double released = 0.5 + 0.4 * r.nextDouble();
        int n = (int) seconds;
        double[] t = new double[n];
        double[] v = new double[n];
        double nextMarkSweep = 5 + 10 * r.nextDouble();
        double garbage = garbageRate * r.nextDouble() * nextMarkSweep;
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double live = 60 + warm * (1 - Math.exp(-i / tau)) + leakMBPerHour * i / 3600;
            garbage += garbageRate * (0.8 + 0.4 * r.nextDouble());
            if (i >= nextMarkSweep) {
                rss = step(live + (1 - released) * (rss - live));
                garbage = 0;
                nextMarkSweep += 5 + 10 * r.nextDouble();
            }
            rss = Math.max(rss, step(live + garbage));
            t[i] = i;
            v[i] = (rss + 0.2 * SyntheticMemory.gauss(r)) * MB;
        }
        return new double[][] {t, v};
    }

    private static double step(double mb) {
        return Math.ceil(mb / 2) * 2;
    }

    static double[][] v8(double leakMBPerHour, double seconds, long seed) {
        return v8(leakMBPerHour, seconds, seed, 0.02, 0.1);
    }

    /** V8's heap promoting {@code promotionLow}–{@code promotionHigh} MB/s of garbage into old space. */
    static double[][] v8(double leakMBPerHour, double seconds, long seed, double promotionLow, double promotionHigh) {
        SplittableRandom r = new SplittableRandom(seed);
        double warm = 5 + 15 * r.nextDouble();
        double tau = 5 + 15 * r.nextDouble();
        double young = 8 + 8 * r.nextDouble();
        double promotion = promotionLow + (promotionHigh - promotionLow) * r.nextDouble();
        int n = (int) seconds;
        double[] t = new double[n];
        double[] v = new double[n];
        double scavengeEvery = 1 + r.nextDouble();
        double sinceScavenge = r.nextDouble() * scavengeEvery;
        double nextMarkSweep = 30 + 90 * r.nextDouble();
        double oldGarbage = promotion * r.nextDouble() * nextMarkSweep;
        for (int i = 0; i < n; i++) {
            double live = 20 + warm * (1 - Math.exp(-i / tau)) + leakMBPerHour * i / 3600;
            sinceScavenge += 1;
            while (sinceScavenge >= scavengeEvery) {
                sinceScavenge -= scavengeEvery;
                scavengeEvery = 1 + r.nextDouble();
            }
            oldGarbage += promotion;
            if (i >= nextMarkSweep) {
                oldGarbage = 0;
                nextMarkSweep += 30 + 90 * r.nextDouble();
            }
            t[i] = i;
            v[i] = (live + oldGarbage + young * sinceScavenge / scavengeEvery + 0.2 * SyntheticMemory.gauss(r)) * MB;
        }
        return new double[][] {t, v};
    }

    static double[][] jvm(double leakMBPerHour, double seconds, long seed) {
        SyntheticMemory m = new SyntheticMemory();
        m.leakMBPerHour = leakMBPerHour;
        m.sawtoothMB = 50;
        m.periodSeconds = 15;
        m.durationSeconds = seconds;
        m.floorNoiseMB = 1;
        m.sampleNoiseMB = 0.5;
        return m.generate(seed);
    }
}
