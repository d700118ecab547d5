package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * How often change-point detection is right, on fixed seeds: 30 runs of a metric with Gaussian
 * noise of a given coefficient of variation, stationary (every change found is false) or shifted by
 * a share at run 27 (found only if a change is placed within a run of it, with the newest run
 * after it). The measured rates are printed for the README and held by the assertions.
 */
class ChangePointsAccuracyTest {
    private static final int SERIES = 1000;

    private static double[] series(SplittableRandom r, int n, double cv, int shiftAt, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            double level = i >= shiftAt ? 100 * (1 + shift) : 100;
            x[i] = level * (1 + cv * SyntheticMemory.gauss(r));
        }
        return x;
    }

    private static double falseRate(double cv) {
        SplittableRandom r = new SplittableRandom(42);
        int any = 0;
        for (int s = 0; s < SERIES; s++) {
            if (!ChangePoints.find(series(r, 30, cv, 30, 0)).isEmpty()) {
                any++;
            }
        }
        return (double) any / SERIES;
    }

    /** A shift at run {@code 30 - after}, judged with {@code after} runs after it. */
    private static double foundRate(double cv, double shift, int after) {
        SplittableRandom r = new SplittableRandom(7);
        int found = 0;
        for (int s = 0; s < SERIES; s++) {
            int at = 30 - after;
            List<ChangePoints.Change> c = ChangePoints.find(series(r, 30, cv, at, shift));
            if (c.stream().anyMatch(ch -> Math.abs(ch.index() - at) <= 1 && ch.meanAfter() > ch.meanBefore())) {
                found++;
            }
        }
        return (double) found / SERIES;
    }

    /**
     * The bound no method at this significance can beat: the t-test at the true split (an oracle told
     * where the shift is) on the same series, p < 0.001.
     */
    private static double oracleRate(double cv, double shift, int after) {
        SplittableRandom r = new SplittableRandom(7);
        int found = 0;
        for (int s = 0; s < SERIES; s++) {
            int at = 30 - after;
            if (ChangePoints.pValue(series(r, 30, cv, at, shift), 0, at, 30) < ChangePoints.MAX_P_VALUE) {
                found++;
            }
        }
        return (double) found / SERIES;
    }

    @Test
    void stationarySeriesShiftsAndSpikes() {
        StringBuilder table = new StringBuilder("| series (30 runs) | rate | oracle |\n|---|---:|---:|\n");
        for (double cv : new double[] {0.03, 0.05, 0.10}) {
            double f = falseRate(cv);
            table.append(String.format(Locale.ROOT, "| stationary, CV %.0f %%: any change (false) | %.1f %% | |%n", cv * 100,
                    f * 100));
            assertTrue(f <= 0.01, "false changes at CV " + cv + ": " + f);
        }
        double[][] cases = {{0.03, 0.10, 3}, {0.03, 0.10, 5}, {0.10, 0.20, 3}, {0.10, 0.20, 5}, {0.10, 0.20, 8}};
        double[] measured = new double[cases.length];
        for (int i = 0; i < cases.length; i++) {
            measured[i] = foundRate(cases[i][0], cases[i][1], (int) cases[i][2]);
            table.append(String.format(Locale.ROOT, "| %.0f %% shift at CV %.0f %%, %d runs after it: found | %.1f %% | %.1f %% |%n",
                    cases[i][1] * 100, cases[i][0] * 100, (int) cases[i][2], measured[i] * 100,
                    oracleRate(cases[i][0], cases[i][1], (int) cases[i][2]) * 100));
        }
        System.out.println(table);
        // measured 93.4 % and 96.5 %: the goal of 95 % within 3 runs is not met (README); 20 % at CV 10 % is a shift
        // of 2 sigma, which 3 runs after it cannot establish against 27 before at this false-change rate (37 %)
        assertTrue(measured[0] >= 0.92, "10 % at CV 3 %, 3 runs after: " + measured[0]);
        assertTrue(measured[1] >= 0.95, "10 % at CV 3 %, 5 runs after: " + measured[1]);
        assertTrue(measured[4] >= 0.65, "20 % at CV 10 %, 8 runs after: " + measured[4]);
    }

    @Test
    void twoShiftsFiveRunsApartAreBothFoundAndASpikeIsNot() {
        SplittableRandom r = new SplittableRandom(3);
        int both = 0;
        int spikes = 0;
        for (int s = 0; s < 200; s++) {
            double[] x = series(r, 30, 0.03, 30, 0);
            for (int i = 15; i < 30; i++) {
                x[i] *= i < 20 ? 1.15 : 1.30;
            }
            List<ChangePoints.Change> c = ChangePoints.find(x);
            if (c.stream().anyMatch(ch -> Math.abs(ch.index() - 15) <= 1)
                    && c.stream().anyMatch(ch -> Math.abs(ch.index() - 20) <= 1)) {
                both++;
            }
            double[] y = series(r, 30, 0.03, 30, 0);
            y[14] *= 1.5;
            if (!ChangePoints.find(y).isEmpty()) {
                spikes++;
            }
        }
        System.out.printf(Locale.ROOT, "two shifts 5 runs apart: both found in %d of 200; a one-run spike called a change in %d%n",
                both, spikes);
        assertTrue(both >= 180, "both shifts (measured 184 of 200): " + both);
        // measured 1: no more than the stationary false-change rate (1 %) — a spike adds none of its own
        assertTrue(spikes <= 2, "a one-run spike is not a change: " + spikes);
    }

    /**
     * A 10 % shift at CV 3 % with 4 runs after it, one of which stalled (5× its neighbours, as a CI
     * machine's hiccup does to a p95): the stall must not hide the shift (before winsorising it hid
     * it always: the t-test saw the stall's variance).
     */
    @Test
    void aStalledRunAfterAShiftDoesNotHideIt() {
        SplittableRandom r = new SplittableRandom(5);
        int found = 0;
        double worst = 0;
        for (int s = 0; s < 200; s++) {
            double[] x = series(r, 14, 0.03, 10, 0.10);
            x[11 + r.nextInt(3)] *= 5;
            List<ChangePoints.Change> c = ChangePoints.find(x);
            var hit = c.stream().filter(ch -> Math.abs(ch.index() - 10) <= 1 && ch.meanAfter() > ch.meanBefore())
                    .findFirst();
            if (hit.isPresent()) {
                found++;
                worst = Math.max(worst, Math.abs(hit.get().relative() - 0.10));
            }
        }
        System.out.printf(Locale.ROOT, "10 %% shift at run 11 of 14, one later run stalled 5x: found in %d of 200, "
                + "size off by at most %.1f points%n", found, worst * 100);
        // measured 170 of 200 (without the stall rule 0 of 200), size within 7.7 points (counting the stall: +40)
        assertTrue(found >= 160, "found " + found + " of 200");
        assertTrue(worst < 0.10, "the stall is not counted into the change's size: " + worst);
    }

    /** The p95 (µs) of 14 real 1-second runs in CI: 5 ms then 8 ms from run 11, run 12 stalled at 52 ms. */
    @Test
    void theStalledRunRecordedInCi() {
        double[] p95 = {7983, 8059, 7783, 7707, 7611, 7547, 7663, 7607, 7551, 7611, 10591, 51839, 10519, 10575};
        List<ChangePoints.Change> all = ChangePoints.find(p95);
        // (the first three runs, 7.9 ms against 7.6 ms, are a real warm-up: an improvement at run 4, p = 6e-4)
        ChangePoints.Change c = all.stream().filter(ch -> ch.index() == 10).findFirst().orElseThrow(
                () -> new AssertionError("no change at run 11: " + all));
        assertTrue(Math.abs(c.meanAfter() - 10562) < 1, "the stall is not in the mean after: " + c);
        assertTrue(c.pValue() < 1e-6, c.toString());
    }
}
