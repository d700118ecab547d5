package dev.loadleak.metrics;

import dev.loadleak.engine.ErrorKind;
import java.util.List;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * Everything a run measured, per (phase, request) cell, so that any grouping (overall, per
 * request, per phase) is an exact sum: histograms are added, never averaged.
 */
public record Totals(int phases, int requests, Histogram[] corrected, Histogram[] uncorrected, long[] errors,
                     long[] lateSends, long[] sent, Histogram sendLag, List<TimelinePoint> timeline,
                     String[] firstErrorDetail) {

    public Stats overall(double durationSeconds) {
        return stats(c -> true, durationSeconds);
    }

    public Stats request(int request, double durationSeconds) {
        return stats(c -> c % requests == request, durationSeconds);
    }

    public Stats phase(int phase, double durationSeconds) {
        return stats(c -> c / requests == phase, durationSeconds);
    }

    /** Sums the cells that {@code include} accepts into one {@link Stats}. */
    private Stats stats(IntPredicate include, double durationSeconds) {
        Histogram c = Collector.newHistogram();
        Histogram u = Collector.newHistogram();
        long[] byKind = new long[ErrorKind.values().length];
        long late = 0;
        long sentCount = 0;
        for (int cell = 0; cell < corrected.length; cell++) {
            if (!include.test(cell)) {
                continue;
            }
            c.add(corrected[cell]);
            u.add(uncorrected[cell]);
            late += lateSends[cell];
            sentCount += sent[cell];
            for (int k = 0; k < byKind.length; k++) {
                byKind[k] += errors[cell * byKind.length + k];
            }
        }
        return Stats.of(c, u, byKind, late, sentCount, durationSeconds);
    }
}
