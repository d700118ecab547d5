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
                acrossMB, longestPeriod, collections);
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
}
