package dev.loadleak.metrics;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import java.util.List;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * Everything a run measured, per (phase, request) cell, so that any grouping (overall, per
 * request, per phase, scored phases only) is an exact sum: histograms are added, never averaged.
 */
public record Totals(int phases, int requests, Histogram[] corrected, Histogram[] uncorrected,
                     Histogram[] answeredErrors, long[] errors,
                     long[] lateSends, long[] sent, long[] uploadBytes, Histogram[] sendLagByPhase,
                     List<TimelinePoint> timeline, String[] firstErrorDetail, FlowCounts.Snapshot flows) {

    public Totals(int phases, int requests, Histogram[] corrected, Histogram[] uncorrected, Histogram[] answeredErrors,
                  long[] errors, long[] lateSends, long[] sent, long[] uploadBytes, Histogram[] sendLagByPhase,
                  List<TimelinePoint> timeline, String[] firstErrorDetail) {
        this(phases, requests, corrected, uncorrected, answeredErrors, errors, lateSends, sent, uploadBytes,
                sendLagByPhase, timeline, firstErrorDetail, null);
    }

    /** Send lag (µs) over the phases that {@code phaseIncluded} accepts. */
    public Histogram sendLag(IntPredicate phaseIncluded) {
        Histogram h = Collector.newHistogram();
        for (int p = 0; p < sendLagByPhase.length; p++) {
            if (phaseIncluded.test(p)) {
                h.add(sendLagByPhase[p]);
            }
        }
        return h;
    }

    /** All cells of the phases that {@code phaseIncluded} accepts. */
    public Stats overall(IntPredicate phaseIncluded, double durationSeconds) {
        return stats(c -> phaseIncluded.test(c / requests), durationSeconds);
    }

    public Stats overall(double durationSeconds) {
        return stats(c -> true, durationSeconds);
    }

    /** One request, over the phases that {@code phaseIncluded} accepts. */
    public Stats request(int request, IntPredicate phaseIncluded, double durationSeconds) {
        return stats(c -> c % requests == request && phaseIncluded.test(c / requests), durationSeconds);
    }

    public Stats request(int request, double durationSeconds) {
        return request(request, p -> true, durationSeconds);
    }

    public Stats phase(int phase, double durationSeconds) {
        return stats(c -> c / requests == phase, durationSeconds);
    }

    /** Sums the cells that {@code include} accepts into one {@link Stats}. */
    private Stats stats(IntPredicate include, double durationSeconds) {
        Histogram c = Collector.newHistogram();
        Histogram u = Collector.newHistogram();
        Histogram e = Collector.newHistogram();
        long[] byKind = new long[ErrorKind.values().length];
        long late = 0;
        long sentCount = 0;
        long upload = 0;
        for (int cell = 0; cell < corrected.length; cell++) {
            if (!include.test(cell)) {
                continue;
            }
            c.add(corrected[cell]);
            u.add(uncorrected[cell]);
            e.add(answeredErrors[cell]);
            late += lateSends[cell];
            sentCount += sent[cell];
            upload += uploadBytes[cell];
            for (int k = 0; k < byKind.length; k++) {
                byKind[k] += errors[cell * byKind.length + k];
            }
        }
        return Stats.of(c, u, e, byKind, late, sentCount, upload, durationSeconds);
    }
}
