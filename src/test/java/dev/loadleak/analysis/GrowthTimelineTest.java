package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.Growth;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Since when, and in which phase: the onset of growth and the slope per phase, on series whose truth is known. */
class GrowthTimelineTest {
    private static final LeakDetector.Params P = LeakDetector.Params.defaults();

    private static LeakAnalysis analyse(SyntheticMemory m, long seed) {
        double[][] s = m.generate(seed);
        return LeakDetector.analyse(s[0], s[1], false, 0.1 * m.durationSeconds, new double[0], P);
    }

    @Test
    void theOnsetOfALeakThatStartsMidwayIsFoundWithinTenPercentOfTheRun() {
        int found = 0;
        int close = 0;
        double worst = 0;
        for (long seed = 0; seed < 50; seed++) {
            SyntheticMemory m = new SyntheticMemory();
            m.leakMBPerHour = 200;
            m.leakStartsAt = 420;
            m.durationSeconds = 900;
            LeakAnalysis a = analyse(m, 70_000 + seed);
            Double onset = GrowthTimeline.onset(a.floor());
            if (onset != null) {
                found++;
                double error = Math.abs(onset - 420);
                worst = Math.max(worst, error);
                close += error <= 0.1 * 900 ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "onset of a leak starting at 420 s of 900 s: found in %d/50, within ±90 s in %d, "
                + "worst error %.0f s%n", found, close, worst);
        assertTrue(found >= 45, "found " + found);
        assertTrue(close >= 0.9 * found, close + " of " + found);
    }

    @Test
    void growthFromTheStartHasNoOnset() {
        int onsets = 0;
        for (long seed = 0; seed < 20; seed++) {
            SyntheticMemory m = new SyntheticMemory();
            m.leakMBPerHour = 200;
            m.durationSeconds = 900;
            onsets += GrowthTimeline.onset(analyse(m, 80_000 + seed).floor()) == null ? 0 : 1;
        }
        assertTrue(onsets <= 2, "onsets " + onsets + "/20 for growth that starts with the run");
    }

    @Test
    void aSpikeThatFillsAndHoldsIsNotALeakAndEachPhaseSaysSo() {
        int leaks = 0;
        int spikeGrew = 0;
        int recoveryFlat = 0;
        List<GrowthTimeline.Window> phases = List.of(new GrowthTimeline.Window("steady", 0, 300, false),
                new GrowthTimeline.Window("spike", 300, 480, false), new GrowthTimeline.Window("recovery", 480, 1200, false));
        for (long seed = 0; seed < 30; seed++) {
            SyntheticMemory m = new SyntheticMemory();
            m.leakMBPerHour = 900;
            m.leakStartsAt = 300;
            m.leakStopsAt = 480;
            m.durationSeconds = 1200;
            m.gcOnSample = true;
            LeakAnalysis a = analyse(m, 90_000 + seed);
            leaks += a.verdict().equals(LeakFinding.LEAK) ? 1 : 0;
            List<Growth.PhaseSlope> slopes = GrowthTimeline.perPhase(a.floor(), phases);
            for (Growth.PhaseSlope s : slopes) {
                if (s.phase().equals("spike") && s.ci95MBPerHour()[0] > 0) {
                    spikeGrew++;
                }
                if (s.phase().equals("recovery") && s.ci95MBPerHour()[0] <= 0 && s.ci95MBPerHour()[1] >= 0) {
                    recoveryFlat++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "spike (+900 MB/h for 3 min) then flat: %d/30 LEAK; spike grew in %d/30, recovery "
                + "flat in %d/30%n", leaks, spikeGrew, recoveryFlat);
        assertEquals(0, leaks);
        assertTrue(spikeGrew >= 27, "spike grew " + spikeGrew);
        assertTrue(recoveryFlat >= 24, "recovery flat " + recoveryFlat);
    }

    @Test
    void describesOnsetAndPhases() {
        Growth g = new Growth(List.of(
                new Growth.PhaseSlope("spike", 900.4, new double[] {700, 1100}, 12),
                new Growth.PhaseSlope("recovery", 0.4, new double[] {-3, 4}, 30)), 460.0, "spike");
        assertEquals(List.of("growth started at ~7 min 40 s, in phase spike",
                "per phase: spike +900.4 MB/h (95 % CI 700.0–1100.0 MB/h); recovery flat (95 % CI -3.0–4.0 MB/h)"),
                g.describe());
        assertNull(GrowthTimeline.onset(List.of(new double[] {0, 1}, new double[] {1, 1})));
        assertNotEquals(null, g.phases());
    }
}
