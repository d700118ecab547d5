package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The detector's accuracy on synthetic series with fixed seeds (figures printed for the notes).
 * Goals: no false LEAK over 200+ flat seeds; at least 95 % detection of 60 MB/h under a 50 MB
 * sawtooth in 5 minutes at 1 s sampling; median slope error at most 15 %.
 *
 * <p>Two models of when collections happen. "On sample": each GC falls on a sample time, so the
 * post-GC value is sampled exactly (the goals are checked here). "Between samples": each GC falls
 * anywhere between two samples, so the first sample after it is up to one interval of sawtooth
 * rise above the true floor (3.3 MB for 50 MB every 15 s at 1 s sampling): an information limit of
 * the sampling, not of the detector. Its figures are printed and held to what is measured, and the
 * flat-series test covers both models, since a false LEAK is never acceptable.
 */
class LeakDetectorAccuracyTest {
    private static final LeakDetector.Params P = LeakDetector.Params.defaults();

    private static LeakAnalysis run(SyntheticMemory m, long seed) {
        double[][] s = m.generate(seed);
        return LeakDetector.analyse(s[0], s[1], false, 0.2 * m.durationSeconds, new double[0], P);
    }

    private static SyntheticMemory series(Consumer<SyntheticMemory> setup) {
        SyntheticMemory m = new SyntheticMemory();
        setup.accept(m);
        return m;
    }

    @Test
    void noFalseLeakOnFlatSeriesWithSawtooth() {
        double[] amplitudes = {5, 50, 200};
        double[] periods = {5, 20, 45};
        double[] noise = {0.1, 1, 3};
        int runs = 0;
        int falseLeaks = 0;
        int noLeak = 0;
        for (double a : amplitudes) {
            for (double p : periods) {
                for (double nz : noise) {
                    for (long seed = 0; seed < 10; seed++) {
                        boolean onSample = seed % 2 == 0;
                        SyntheticMemory m = series(x -> {
                            x.sawtoothMB = a;
                            x.periodSeconds = p;
                            x.floorNoiseMB = nz;
                            x.sampleNoiseMB = nz;
                            x.gcOnSample = onSample;
                        });
                        LeakAnalysis r = run(m, seed * 7919 + runs);
                        runs++;
                        noLeak += r.verdict().equals(LeakFinding.NO_LEAK) ? 1 : 0;
                        if (r.verdict().equals(LeakFinding.LEAK)) {
                            falseLeaks++;
                            System.out.println("false LEAK: a=" + a + " p=" + p + " noise=" + nz + " " + r.reasons());
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "flat series: %d runs, %d false LEAK, %d NO_LEAK, %d INCONCLUSIVE%n", runs,
                falseLeaks, noLeak, runs - falseLeaks - noLeak);
        assertTrue(runs >= 200);
        assertEquals(0, falseLeaks);
    }

    /** {detected, median relative slope error, NO_LEAK, INCONCLUSIVE} over {@code seeds} runs. */
    private static double[] detection(double rate, boolean onSample, double period, double duration, double interval,
                                      int seeds, long seedBase) {
        int detected = 0;
        int noLeak = 0;
        List<Double> errors = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            SyntheticMemory m = series(x -> {
                x.leakMBPerHour = rate;
                x.sawtoothMB = 50;
                x.periodSeconds = period;
                x.durationSeconds = duration;
                x.intervalSeconds = interval;
                x.gcOnSample = onSample;
            });
            LeakAnalysis r = run(m, seedBase + seed);
            detected += r.verdict().equals(LeakFinding.LEAK) ? 1 : 0;
            noLeak += r.verdict().equals(LeakFinding.NO_LEAK) ? 1 : 0;
            errors.add(Math.abs(r.slopeMBPerHour() - rate) / rate);
        }
        Collections.sort(errors);
        return new double[] {detected, errors.get(errors.size() / 2), noLeak, seeds - detected - noLeak};
    }

    @Test
    void detects60MBPerHourUnderA50MBSawtoothInFiveMinutes() {
        double[] on = detection(60, true, 15, 300, 1, 200, 1000);
        double[] between = detection(60, false, 15, 300, 1, 200, 1000);
        System.out.printf(Locale.ROOT, "60 MB/h under a 50 MB/15 s sawtooth, 5 min at 1 s: GC on sample: detected %.0f/200,"
                + " median slope error %.1f %%, %.0f NO_LEAK, %.0f INCONCLUSIVE; GC between samples: detected %.0f/200, "
                + "median slope error %.1f %%, %.0f NO_LEAK, %.0f INCONCLUSIVE%n", on[0], on[1] * 100, on[2], on[3],
                between[0], between[1] * 100, between[2], between[3]);
        // a series that leaks above the threshold is never called NO_LEAK
        assertEquals(0, on[2], "false NO_LEAK, GC on sample");
        assertEquals(0, between[2], "false NO_LEAK, GC between samples");
        assertTrue(on[0] >= 190, "detected " + on[0] + " of 200");
        assertTrue(on[1] <= 0.15, "median slope error " + on[1]);
        assertTrue(between[0] >= 20 && between[1] <= 0.25, "between samples: " + between[0] + ", " + between[1]);
    }

    @Test
    void slopeAccuracyAcrossLeakRates() {
        double[] rates = {10, 30, 100, 300, 1000};
        for (double rate : rates) {
            List<Double> errors = new ArrayList<>();
            int detected = 0;
            int noLeak = 0;
            for (long seed = 0; seed < 40; seed++) {
                SyntheticMemory m = series(x -> {
                    x.leakMBPerHour = rate;
                    x.sawtoothMB = 50;
                    x.periodSeconds = 15;
                    x.durationSeconds = 1800;
                    x.intervalSeconds = 2;
                    x.gcOnSample = true;
                });
                LeakAnalysis r = run(m, 5000 + seed);
                errors.add(Math.abs(r.slopeMBPerHour() - rate) / rate);
                detected += r.verdict().equals(LeakFinding.LEAK) ? 1 : 0;
                noLeak += r.verdict().equals(LeakFinding.NO_LEAK) ? 1 : 0;
            }
            Collections.sort(errors);
            double median = errors.get(errors.size() / 2);
            System.out.printf(Locale.ROOT, "%.0f MB/h, 30 min: detected %d/40, median slope error %.1f %%, %d NO_LEAK, "
                    + "%d INCONCLUSIVE%n", rate, detected, median * 100, noLeak, 40 - detected - noLeak);
            assertEquals(0, noLeak, rate + " MB/h: false NO_LEAK");
            assertTrue(median <= 0.15, rate + " MB/h: median error " + median);
            assertTrue(detected >= 38, rate + " MB/h: detected " + detected);
        }
    }

    @Test
    void stepThenPlateauIsNotALeak() {
        int[] leaks = new int[2];
        int[] plateaus = new int[2];
        int[] noLeaks = new int[2];
        for (long seed = 0; seed < 100; seed++) {
            boolean onSample = seed % 2 == 0;
            SyntheticMemory m = series(x -> {
                x.leakMBPerHour = 600;
                x.leakStartsAt = 0;
                x.leakStopsAt = 300;
                x.durationSeconds = 900;
                x.gcOnSample = onSample;
            });
            LeakAnalysis r = run(m, 9000 + seed);
            int k = onSample ? 0 : 1;
            leaks[k] += r.verdict().equals(LeakFinding.LEAK) ? 1 : 0;
            noLeaks[k] += r.verdict().equals(LeakFinding.NO_LEAK) ? 1 : 0;
            plateaus[k] += r.plateau() ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "50 MB of growth in the first 300 s, then flat to 900 s: GC on sample %d/50 LEAK "
                + "(%d plateau, %d NO_LEAK); GC between samples %d/50 LEAK (%d plateau, %d NO_LEAK)%n", leaks[0],
                plateaus[0], noLeaks[0], leaks[1], plateaus[1], noLeaks[1]);
        assertEquals(0, leaks[0]);
        assertTrue(leaks[1] <= 4, "between samples: " + leaks[1] + "/50 LEAK");
    }

    @Test
    void aLeakThatStartsMidwayIsFound() {
        int detected = 0;
        for (long seed = 0; seed < 50; seed++) {
            SyntheticMemory m = series(x -> {
                x.leakMBPerHour = 200;
                x.leakStartsAt = 300;
                x.durationSeconds = 900;
            });
            detected += run(m, 12000 + seed).verdict().equals(LeakFinding.LEAK) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "leak starting midway: detected %d/50%n", detected);
        assertTrue(detected >= 47, "detected " + detected);
    }

    @Test
    void rssWithAllocatorJumpsThatSettleIsNotALeak() {
        int leaks = 0;
        for (long seed = 0; seed < 50; seed++) {
            SyntheticMemory m = series(x -> {
                x.sawtoothMB = 10;
                x.periodSeconds = 20;
                x.jumpsEverySeconds = 40;
                x.jumpMB = 16;
                x.jumpsStopAt = 200;
                x.durationSeconds = 900;
            });
            leaks += run(m, 15000 + seed).verdict().equals(LeakFinding.LEAK) ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "RSS with allocator jumps in the first 200 s of 900 s: %d/50 LEAK%n", leaks);
        assertEquals(0, leaks);
    }

    /**
     * The suggested run length is advice that works: a series that a 4-minute run leaves
     * INCONCLUSIVE is decided by a run of the suggested length, with the same noise, in at least
     * 80 % of seeds: flat series as NO_LEAK (never LEAK), a 60 MB/h leak as LEAK (never NO_LEAK).
     */
    @Test
    void aRunOfTheSuggestedLengthDecides() {
        for (double leak : new double[] {0, 60}) {
            int cases = 0;
            int decided = 0;
            int wrong = 0;
            for (long seed = 0; seed < 40; seed++) {
                LeakAnalysis first = run(sawtooth(leak, 240), 40_000 + seed);
                if (!first.verdict().equals(LeakFinding.INCONCLUSIVE) || first.decideAfterSeconds() == null) {
                    continue;
                }
                // the first 20 % of a run are warm-up
                LeakAnalysis second = run(sawtooth(leak, first.decideAfterSeconds() / 0.8), 50_000 + seed);
                cases++;
                LeakFinding right = leak == 0 ? LeakFinding.NO_LEAK : LeakFinding.LEAK;
                decided += second.verdict().equals(right) ? 1 : 0;
                wrong += !second.verdict().equals(right) && !second.verdict().equals(LeakFinding.INCONCLUSIVE) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "suggested run length, %.0f MB/h: %d of %d inconclusive 4-minute runs decided "
                    + "rightly at the suggested length, %d wrongly%n", leak, decided, cases, wrong);
            assertTrue(cases >= 10, "inconclusive short runs: " + cases);
            assertTrue(decided >= 0.8 * cases, decided + " of " + cases);
            assertEquals(0, wrong);
        }
    }

    private static SyntheticMemory sawtooth(double leakMBPerHour, double seconds) {
        return series(x -> {
            x.leakMBPerHour = leakMBPerHour;
            x.sawtoothMB = 50;
            x.periodSeconds = 15;
            x.durationSeconds = seconds;
            x.floorNoiseMB = 1;
            x.sampleNoiseMB = 1;
        });
    }
}
