package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import org.junit.jupiter.api.Test;

/** The verdict's edges: too little data, gaps, restarts, and the naive two-reading false alarm. */
class LeakDetectorTest {
    private static final LeakDetector.Params P = LeakDetector.Params.defaults();
    private static final double MB = LeakDetector.MB;

    @Test
    void twoReadingsOf97MBIn30SecondsAreNotALeak() {
        // the "9.7 MB in 30 s = 1,169 MB/hour" alarm: a GC sawtooth read at two points
        SyntheticMemory m = new SyntheticMemory();
        m.sawtoothMB = 10;
        m.periodSeconds = 30;
        m.durationSeconds = 600;
        m.gcOnSample = true;
        double[][] s = m.generate(3);
        LeakAnalysis a = LeakDetector.analyse(s[0], s[1], false, 120, new double[0], P);
        // not a LEAK; and not a NO_LEAK either while the interval reaches past the 5 MB/h threshold:
        // the verdict says so and how long would decide
        assertEquals(LeakFinding.INCONCLUSIVE, a.verdict(), a.reasons().toString());
        assertTrue(a.ci95MBPerHour()[1] > 5, a.reasons().toString());
        assertTrue(a.reasons().get(1).startsWith("cannot rule out growth up to 6.0 MB/h (threshold 5.0 MB/h); at this "
                + "noise about 15 min of samples after warm-up would decide"), a.reasons().toString());
        assertTrue(a.decideAfterSeconds() > a.floor().get(a.floor().size() - 1)[0] - a.floor().get(0)[0]);
        assertTrue(Math.abs(a.slopeMBPerHour()) < 20, a.reasons().toString());
    }

    @Test
    void tooFewSamplesIsInconclusive() {
        double[] t = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        LeakAnalysis a = LeakDetector.analyse(t, v, true, 0, new double[0], P);
        assertEquals(LeakFinding.INCONCLUSIVE, a.verdict());
        assertTrue(a.reasons().get(0).startsWith("only 10 samples after warm-up (need 20)"), a.reasons().toString());
    }

    @Test
    void manyGapsAreInconclusive() {
        double[] t = new double[60];
        double[] v = new double[60];
        for (int i = 0; i < 60; i++) {
            t[i] = i;
            v[i] = 100 * MB + i * MB;
        }
        double[] gaps = new double[30];
        for (int i = 0; i < 30; i++) {
            gaps[i] = 60 + i;
        }
        LeakAnalysis a = LeakDetector.analyse(t, v, true, 0, gaps, P);
        assertEquals(LeakFinding.INCONCLUSIVE, a.verdict());
        assertTrue(a.reasons().get(0).contains("% of samples missing"), a.reasons().toString());
    }

    @Test
    void aRestartIsInconclusiveNotASlope() {
        double[] t = new double[120];
        double[] v = new double[120];
        for (int i = 0; i < 120; i++) {
            t[i] = i < 60 ? i : i + 5;
            v[i] = (i < 60 ? 300 + i * 0.5 : 80 + (i - 60) * 0.5) * MB;
        }
        LeakAnalysis a = LeakDetector.analyse(t, v, true, 0, new double[] {61, 62, 63}, P);
        assertEquals(LeakFinding.INCONCLUSIVE, a.verdict());
        assertTrue(a.reasons().get(0).contains("restarted"), a.reasons().toString());
    }

    @Test
    void postGcSeriesIsItsOwnFloorAndASteadyLeakIsFound() {
        double[] t = new double[300];
        double[] v = new double[300];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < 300; i++) {
            t[i] = i;
            // 100 MB/h with 0.2 MB of noise, as jvm_gc_live_data_size_bytes would show it
            v[i] = (50 + 100.0 * i / 3600 + 0.2 * (r.nextDouble() - 0.5)) * MB;
        }
        LeakAnalysis a = LeakDetector.analyse(t, v, true, 60, new double[0], P);
        assertEquals(LeakFinding.LEAK, a.verdict(), a.reasons().toString());
        assertEquals(100, a.slopeMBPerHour(), 5);
        assertTrue(a.ci95MBPerHour()[0] < 100 && a.ci95MBPerHour()[1] > 100);
        assertEquals(a.slopeMBPerHour() * MB / 3600, a.slopeBytesPerSecond(), 1);
        assertTrue(a.reasons().get(0).matches("floor grew \\d+\\.\\d MB/h \\(95 % CI .*\\), Mann–Kendall p < 0.001, no plateau"),
                a.reasons().get(0));
    }

    /** An RSS sawtooth of seven collections in a minute above a floor of this shape (MB at second t). */
    private static double[][] sevenCycles(java.util.function.DoubleUnaryOperator floorMB) {
        double[] t = new double[76];
        double[] v = new double[76];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 76; i++) {
            t[i] = i;
            v[i] = (floorMB.applyAsDouble(i) + 9 * ((i % 8) / 7.0) + 0.3 * SyntheticMemory.gauss(r)) * MB;
        }
        return new double[][] {t, v};
    }

    @Test
    void blatantGrowthOverSevenCollectionsIsALeak() {
        // the real Express session store as CI saw it: seven collections after warm-up, the floor rising 3,900 MB/h
        // (R² 0.999); six whole cycles are too few minima for an interval, so the floor is read as the minima of
        // eight windows, most of which hold a collection
        double[][] s = sevenCycles(t -> 120 + 1.08 * t);
        LeakAnalysis a = LeakDetector.analyse(s[0], s[1], false, 15, new double[0], P);
        assertEquals(LeakFinding.LEAK, a.verdict(), a.reasons().toString());
        assertEquals(8, a.floor().size(), a.reasons().toString());
        assertEquals(3900, a.slopeMBPerHour(), 400);
        assertTrue(a.reasons().toString().contains("too few whole collection cycles for one minimum per cycle (8 in 60 s"),
                a.reasons().toString());
    }

    @Test
    void warmUpThatLevelsOffOverSevenCollectionsIsNotALeak() {
        // as fast at first, then flat from the middle on: the second half's slope does not carry the growth
        double[][] s = sevenCycles(t -> 120 + 1.08 * Math.min(t, 42));
        LeakAnalysis a = LeakDetector.analyse(s[0], s[1], false, 15, new double[0], P);
        assertTrue(!LeakFinding.LEAK.equals(a.verdict()), a.reasons().toString());
    }

    @Test
    void lessGrowthThanAWarmUpTakesIsNotALeakInItsFirstTwoMinutes() {
        // an envelope rising 2,000 MB/h, established: over 50 s that is 27.8 MB, what a process warming up grows
        LeakVerdict.Evidence shortRun = new LeakVerdict.Evidence(2000, 1800, 2200, 1e-6, null, null, null, Double.NaN, null,
                50, 25, 100, false, true);
        LeakVerdict.Decision d = LeakVerdict.decide(shortRun, 5);
        assertEquals(LeakFinding.INCONCLUSIVE, d.verdict(), d.reasons().toString());
        assertTrue(d.reasons().get(0).startsWith("growth of 27.8 MB over 50 s is within what a process warming up takes"),
                d.reasons().toString());
        assertTrue(d.decideAfterSeconds() >= 120, "says how long would decide: " + d.decideAfterSeconds());
        // the same slope over 100 s is 55.6 MB: beyond a warm-up, a LEAK
        LeakVerdict.Evidence longer = new LeakVerdict.Evidence(2000, 1800, 2200, 1e-6, null, null, null, Double.NaN, null,
                100, 50, 100, false, true);
        assertEquals(LeakFinding.LEAK, LeakVerdict.decide(longer, 5).verdict());
    }

    @Test
    void anEnvelopeThatGrewLessThanAnAllocatorsStepsIsNotALeakAtAnyLength() {
        // 40 MB/h over 8 minutes, established: 5.3 MB in all, the steps a healthy RSS takes
        LeakVerdict.Evidence small = new LeakVerdict.Evidence(40, 20, 60, 1e-6, null, null, null, Double.NaN, null,
                480, 240, 20, false, true);
        LeakVerdict.Decision d = LeakVerdict.decide(small, 5);
        assertEquals(LeakFinding.INCONCLUSIVE, d.verdict(), d.reasons().toString());
        assertTrue(d.reasons().get(0).startsWith("growth of 5.3 MB in all is within the steps a healthy process's"),
                d.reasons().toString());
        // the same slope grows 8 MB in 12 minutes: that is what it says would decide
        assertEquals(720, d.decideAfterSeconds(), 1);
        // over 15 minutes it is 10 MB, and a LEAK
        assertEquals(LeakFinding.LEAK, LeakVerdict.decide(new LeakVerdict.Evidence(40, 20, 60, 1e-6, null, null, null,
                Double.NaN, null, 900, 450, 20, false, true), 5).verdict());
        // cycle minima (not an envelope) are exact readings of what is kept: no such rule
        assertEquals(LeakFinding.LEAK, LeakVerdict.decide(new LeakVerdict.Evidence(40, 20, 60, 1e-6, null, null, null,
                Double.NaN, null, 480, 240, 20, false, false), 5).verdict());
    }

    @Test
    void aSecondHalfOfFewMinimaCountsByItsOwnSlope() {
        // 9 GC-cycle minima, 500 MB/h, one step back in the second half: its 4-5 points' interval reaches below the
        // threshold, its Theil–Sen slope does not (JVM 500 MB/h over 3 minutes: 30 -> 47 of 50 LEAK)
        LeakVerdict.Evidence e = new LeakVerdict.Evidence(343, 175, 470, 0.005, null, new double[] {300, 50, 600},
                new double[] {380, -100, 900}, 380, null, 112, 56, 150, false, false, 9);
        LeakVerdict.Decision d = LeakVerdict.decide(e, 5);
        assertEquals(LeakFinding.LEAK, d.verdict(), d.reasons().toString());
        // on 16 points or more, the half's own interval must establish it
        LeakVerdict.Evidence many = new LeakVerdict.Evidence(343, 175, 470, 0.005, null, new double[] {300, 50, 600},
                new double[] {380, -100, 900}, 380, null, 112, 56, 150, false, false, 16);
        assertEquals(LeakFinding.INCONCLUSIVE, LeakVerdict.decide(many, 5).verdict());
    }

    @Test
    void belowTheThresholdIsNoLeak() {
        double[] t = new double[300];
        double[] v = new double[300];
        for (int i = 0; i < 300; i++) {
            t[i] = i;
            v[i] = (50 + 2.0 * i / 3600) * MB + (i % 7) * 1000;
        }
        LeakAnalysis a = LeakDetector.analyse(t, v, true, 0, new double[0], P);
        assertEquals(LeakFinding.NO_LEAK, a.verdict());
        assertTrue(a.reasons().stream().anyMatch(r -> r.contains("growth above the 5.0 MB/h threshold is ruled out")),
                a.reasons().toString());
    }
}
