package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import org.junit.jupiter.api.Test;

/**
 * A LEAK from a lower envelope must show what a heap between collections cannot ({@link LeakVerdict#acrossCollections}).
 * The first test is the reason, run: a V8-like heap leaking 500 MB/h with one mark-sweep in 3 minutes is, sample for
 * sample, the same series as a healthy heap that promotes faster and whose live set is higher, so no verdict may call
 * one a LEAK and not the other.
 */
class AcrossCollectionsTest {
    private static final double MB = LeakDetector.MB;
    private static final double LEAK_PER_SECOND = 500.0 / 3600; // MB
    private static final int SECONDS = 180;
    private static final double MARK_SWEEP = 100;

    /**
     * A heap: a live set, old-space garbage piling up at {@code promotion} MB/s until a single mark-sweep, and a
     * young generation of 10 MB that fills up and is emptied by a scavenge every 1.7 s (sampled every second).
     */
    private static double[] heap(double live0, double liveGrowth, double garbage0, double promotion) {
        double[] v = new double[SECONDS];
        for (int i = 0; i < SECONDS; i++) {
            double garbage = i < MARK_SWEEP ? garbage0 + promotion * i : promotion * (i - MARK_SWEEP);
            double young = 10 * ((i % 1.7) / 1.7);
            v[i] = (live0 + liveGrowth * i + garbage + young) * MB;
        }
        return v;
    }

    private static double[] seconds() {
        double[] t = new double[SECONDS];
        for (int i = 0; i < SECONDS; i++) {
            t[i] = i;
        }
        return t;
    }

    private static LeakAnalysis analyse(double[] v) {
        return LeakDetector.analyse(seconds(), v, false, 36, new double[0], LeakDetector.Params.defaults());
    }

    @Test
    void aLeakWithOneMarkSweepIsTheSeriesOfAHealthyHeapAndNeitherIsALeak() {
        double[] leaking = heap(50, LEAK_PER_SECOND, 30, 0.05);
        // the healthy twin: no leak, promoting 0.05 + L, a live set L·t_m higher, L·t_m less garbage at the start
        double[] healthy = heap(50 + LEAK_PER_SECOND * MARK_SWEEP, 0, 30 - LEAK_PER_SECOND * MARK_SWEEP,
                0.05 + LEAK_PER_SECOND);
        assertArrayEquals(leaking, healthy, 1e-3 * MB, "the two heaps give the same samples");
        LeakAnalysis a = analyse(leaking);
        LeakAnalysis b = analyse(healthy);
        assertEquals(a.verdict(), b.verdict());
        assertEquals(a.reasons(), b.reasons());
        assertEquals(LeakFinding.INCONCLUSIVE, a.verdict(), a.reasons().toString());
        assertTrue(a.decideAfterSeconds() != null && a.decideAfterSeconds() > SECONDS - 36,
                "says how long would decide: " + a.decideAfterSeconds());
    }

    private static LeakVerdict.Decision leak(double mbPerHour) {
        return new LeakVerdict.Decision(LeakFinding.LEAK, java.util.List.of("floor grew"), mbPerHour,
                new double[] {0.8 * mbPerHour, 1.2 * mbPerHour}, null);
    }

    private static FloorEstimator.Floor envelope(double acrossMB, double longestPeriod, int collections) {
        return new FloorEstimator.Floor(new double[0], new double[0], FloorEstimator.Method.LOWER_ENVELOPE, "test",
                acrossMB, longestPeriod, collections, Double.NaN, Double.NaN);
    }

    @Test
    void aLeakReadFromAnEnvelopeMustRiseAcrossItsCollections() {
        LeakVerdict.Decision within = LeakVerdict.acrossCollections(leak(500), envelope(3.2, 0, 1), 144, 5);
        assertEquals(LeakFinding.INCONCLUSIVE, within.verdict());
        assertTrue(within.reasons().get(within.reasons().size() - 1).startsWith("but across collections the floor "
                + "rose only 3.2 MB"), within.reasons().toString());
        // one collection seen: the next is assumed within the span; the slope needs 8 MB / 500 MB/h = 58 s more
        assertEquals(144 + 3600 * 8 / 500.0, within.decideAfterSeconds(), 1e-9);
        assertEquals(500, within.growth());
        assertEquals(LeakFinding.LEAK, LeakVerdict.acrossCollections(leak(500), envelope(8.5, 40, 2), 144, 5).verdict());
        // the rule is about envelopes: cycle minima and post-GC readings are post-collection levels already
        FloorEstimator.Floor minima = new FloorEstimator.Floor(new double[0], new double[0],
                FloorEstimator.Method.CYCLE_MINIMA, "test");
        assertEquals(LeakFinding.LEAK, LeakVerdict.acrossCollections(leak(500), minima, 144, 5).verdict());
        // and it never turns another verdict into something else
        LeakVerdict.Decision open = new LeakVerdict.Decision(LeakFinding.INCONCLUSIVE, java.util.List.of(), 3,
                new double[] {-1, 7}, 600.0);
        assertEquals(open, LeakVerdict.acrossCollections(open, envelope(0, 0, 1), 144, 5));
    }

    @Test
    void anEnvelopeThatNeverFellIsHeldToSixtyFourMbOnlyInShortRuns() {
        // 3,000 MB/h over 48 s: 40 MB, less than a busy heap's garbage before its first major collection
        LeakVerdict.Decision shortRun = LeakVerdict.acrossCollections(leak(3000), envelope(Double.NaN, 0, 0), 48, 5);
        assertEquals(LeakFinding.INCONCLUSIVE, shortRun.verdict());
        // 2 minutes, where the rule ends (the same slope grows 64 MB in 77 s)
        assertEquals(LeakVerdict.SHORT_SPAN, shortRun.decideAfterSeconds(), 1e-9);
        assertEquals(LeakFinding.LEAK, LeakVerdict.acrossCollections(leak(6000), envelope(Double.NaN, 0, 0), 48, 5)
                .verdict());
        assertEquals(LeakFinding.LEAK, LeakVerdict.acrossCollections(leak(500), envelope(Double.NaN, 0, 0), 144, 5)
                .verdict());
    }

    @Test
    void growthThatStaysAfterTheMarkSweepIsALeak() {
        // little garbage at the start: the floor after the mark-sweep stands 8 MB and more above all before it
        LeakAnalysis a = analyse(heap(50, LEAK_PER_SECOND, 2, 0.05));
        assertEquals(LeakFinding.LEAK, a.verdict(), a.reasons().toString());
    }

    /** A series that never falls (RSS, or a heap before its first major collection) over a minute. */
    private static LeakAnalysis neverFalling(double mbOverTheMinute) {
        double[] t = new double[60];
        double[] v = new double[60];
        for (int i = 0; i < 60; i++) {
            t[i] = i;
            v[i] = (100 + mbOverTheMinute * i / 60 + 0.1 * Math.sin(i)) * MB;
        }
        return LeakDetector.analyse(t, v, false, 12, new double[0], LeakDetector.Params.defaults());
    }

    @Test
    void aSeriesThatNeverFellNeeds64MbInUnderTwoMinutes() {
        LeakAnalysis busy = neverFalling(50);
        assertEquals(LeakFinding.INCONCLUSIVE, busy.verdict(), busy.reasons().toString());
        assertTrue(busy.reasons().stream().anyMatch(r -> r.contains("never fell")), busy.reasons().toString());
        LeakAnalysis blatant = neverFalling(120);
        assertEquals(LeakFinding.LEAK, blatant.verdict(), blatant.reasons().toString());
    }

    /**
     * The floor points of a CI run of NodeRealtimeLeakIT (a Socket.IO service keeping 20 KB per connection, 150
     * connections/s), which were INCONCLUSIVE: RSS fell 15 MB once, at 16 s, and then rose 95 MB in 23 s, so the
     * lowest level after the last collection stood only 2.1 MB above the lowest before it. Between window minima
     * the samples stand 1 MB above the line through them; the peak before the fall is 137.5 MB.
     */
    private static final double[][] ONE_FALL_THEN_95_MB = {
        {8.1, 117.59616}, {11.099, 128.36864}, {13.099, 135.315456}, {16.099, 119.775232}, {17.1, 126.902272},
        {20.102, 144.19968}, {23.099, 165.146624}, {26.099, 174.075904}, {29.099, 183.566336}, {31.099, 191.660032},
        {34.102, 202.244096}, {37.099, 211.505152}, {39.099, 214.933504}};

    private static double[][] samplesThrough(double[][] minima) {
        int n = 41;
        double[] t = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i + 0.1;
            if (i < 8) {
                v[i] = (60 + 7 * i) * MB; // warm-up, before the analysis begins
                continue;
            }
            int k = 0;
            while (k < minima.length - 2 && minima[k + 1][0] <= t[i] + 1e-6) {
                k++;
            }
            double[] a = minima[k];
            double[] b = minima[k + 1];
            boolean onMinimum = Math.abs(a[0] - t[i]) < 0.01 || Math.abs(b[0] - t[i]) < 0.01;
            double line = a[1] + (b[1] - a[1]) * (t[i] - a[0]) / (b[0] - a[0]);
            v[i] = (onMinimum ? (Math.abs(a[0] - t[i]) < 0.01 ? a[1] : b[1]) : line + 1) * MB;
        }
        v[14] = 136.5 * MB;
        v[15] = 137.5 * MB;
        return new double[][] {t, v};
    }

    @Test
    void aRiseOf95MbAfterTheOnlyCollectionIsALeak() {
        double[][] s = samplesThrough(ONE_FALL_THEN_95_MB);
        LeakAnalysis a = LeakDetector.analyse(s[0], s[1], false, 8, new double[0], LeakDetector.Params.defaults());
        assertEquals(LeakFinding.LEAK, a.verdict(), a.reasons().toString());
        assertTrue(a.reasons().stream().anyMatch(r -> r.contains("without falling again")), a.reasons().toString());
        assertTrue(a.ci95MBPerHour()[0] > 5000, a.reasons().toString());
    }

    private static FloorEstimator.Floor fellThenRose(double acrossMB, double sinceLastMB, double largestFallMB) {
        return new FloorEstimator.Floor(new double[0], new double[0], FloorEstimator.Method.LOWER_ENVELOPE, "test",
                acrossMB, 0, 1, sinceLastMB, largestFallMB);
    }

    @Test
    void aRiseAfterTheLastCollectionMustPassWhatGarbageAndTheCyclesSeenExplain() {
        assertEquals(LeakFinding.LEAK, LeakVerdict.acrossCollections(leak(10000), fellThenRose(2, 95, 15), 32, 5)
                .verdict());
        // under 64 MB: as much as a busy heap piles up before a major collection
        assertEquals(LeakFinding.INCONCLUSIVE, LeakVerdict.acrossCollections(leak(6000), fellThenRose(2, 50, 15), 32,
                5).verdict());
        // a healthy sawtooth of 70 MB cycles that ends near the top of one: its next fall is due
        assertEquals(LeakFinding.INCONCLUSIVE, LeakVerdict.acrossCollections(leak(6000), fellThenRose(1, 70, 68), 90,
                5).verdict());
    }
}
