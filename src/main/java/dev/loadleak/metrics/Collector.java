package dev.loadleak.metrics;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.TimelinePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Pulls interval histograms (every writer's, added up) and counters out of a {@link RunRecorder}
 * (once a second while a run goes on, and once at the end), keeps the per-second timeline, and accumulates the exact totals
 * per (phase, request) cell. Pure bookkeeping: the caller says what time it is, so tests drive it
 * with synthetic values and no sleeping.
 */
public final class Collector {
    private final RunRecorder rec;
    private final long startNanos;
    private final Histogram[] correctedTotals;
    private final Histogram[] uncorrectedTotals;
    private final Histogram[] sendLagTotals;
    private final Histogram[] errorTotals;
    private final long[] lastErrors;
    private final List<TimelinePoint> timeline = new ArrayList<>();
    private final Histogram intervalOverall = newHistogram();
    private final Histogram intervalOverallUncorrected = newHistogram();
    private volatile IntervalListener listener;
    private volatile LongSupplier inFlightGauge = () -> -1;
    private volatile LongSupplier connectionsGauge = () -> -1;

    /** Receives each second's overall interval histograms (e.g. for .hlog files). */
    public interface IntervalListener {
        void onInterval(double startSecond, double endSecond, Histogram corrected, Histogram uncorrected);
    }

    /**
     * Receives each second's figures as they are collected, per (phase, request) cell (a run's
     * journal, which lets a run killed midway be rebuilt). Called on the collecting thread; the
     * histograms are reused after the call returns.
     */
    public interface CellListener {
        void onCells(Interval interval);
    }

    /**
     * One collected interval: the histograms recorded in it per cell (and send lag per phase), and
     * the counters so far (cumulative).
     */
    public record Interval(double startSecond, double endSecond, TimelinePoint point, Histogram[] corrected,
                           Histogram[] uncorrected, Histogram[] answeredErrors, Histogram[] sendLag, long[] errors,
                           long[] lateSends, long[] sent, long[] uploadBytes, String[] firstErrorDetail,
                           FlowCounts.Snapshot flows) {
    }

    private volatile CellListener cellListener;

    /** Who receives each interval per cell from now on. */
    public void setCellListener(CellListener l) {
        cellListener = l;
    }

    /** This interval's histograms per cell (all writers added up); {@code scratch} receives one writer's at a time. */
    private final Histogram[] intervalCorrected;
    private final Histogram[] intervalUncorrected;
    private final Histogram[] intervalErrors;
    private final Histogram[] intervalLag;
    private final Histogram scratch = newHistogram();
    private long lastCollectNanos;

    public Collector(RunRecorder rec, long startNanos) {
        this.rec = rec;
        this.startNanos = startNanos;
        this.lastCollectNanos = startNanos;
        int cells = rec.cells();
        correctedTotals = new Histogram[cells];
        errorTotals = new Histogram[cells];
        uncorrectedTotals = new Histogram[cells];
        intervalCorrected = new Histogram[cells];
        intervalUncorrected = new Histogram[cells];
        intervalErrors = new Histogram[cells];
        for (int c = 0; c < cells; c++) {
            correctedTotals[c] = newHistogram();
            errorTotals[c] = newHistogram();
            uncorrectedTotals[c] = newHistogram();
            intervalCorrected[c] = newHistogram();
            intervalUncorrected[c] = newHistogram();
            intervalErrors[c] = newHistogram();
        }
        lastErrors = new long[rec.errors.length];
        sendLagTotals = new Histogram[rec.phases];
        intervalLag = new Histogram[rec.phases];
        for (int p = 0; p < rec.phases; p++) {
            sendLagTotals[p] = newHistogram();
            intervalLag[p] = newHistogram();
        }
    }

    /** {@code n} new histograms (see {@link #newHistogram}). */
    public static Histogram[] newHistograms(int n) {
        Histogram[] hs = new Histogram[n];
        for (int i = 0; i < n; i++) {
            hs[i] = newHistogram();
        }
        return hs;
    }

    public static Histogram newHistogram() {
        Histogram h = new Histogram(RunRecorder.SIGNIFICANT_DIGITS);
        h.setAutoResize(true);
        return h;
    }

    /** What each timeline point reads as its requests in flight and open connections (-1: unknown). */
    public void setGauges(LongSupplier inFlight, LongSupplier connections) {
        inFlightGauge = inFlight;
        connectionsGauge = connections;
    }

    /** Who receives each interval's overall histograms from now on. */
    public void setListener(IntervalListener l) {
        listener = l;
    }

    /**
     * Closes the interval that ends at {@code nowNanos}: adds it to the totals and appends one
     * timeline point for it.
     */
    public synchronized TimelinePoint collect(long nowNanos) {
        long successes = drainLatencies();
        drainSendLag();
        long[] byKind = new long[RunRecorder.KINDS];
        long errors = errorsSinceLast(byKind);
        Map<String, Long> kinds = nonZero(byKind);
        long second = Math.max(0, Math.round((lastCollectNanos - startNanos) / 1e9));
        IntervalListener l = listener;
        if (l != null) {
            l.onInterval((lastCollectNanos - startNanos) / 1e9, (nowNanos - startNanos) / 1e9, intervalOverall,
                    intervalOverallUncorrected);
        }
        double startSecond = (lastCollectNanos - startNanos) / 1e9;
        lastCollectNanos = nowNanos;
        boolean any = intervalOverall.getTotalCount() > 0;
        TimelinePoint p = new TimelinePoint(second, successes + errors, errors,
                any ? intervalOverall.getValueAtPercentile(50) : 0,
                any ? intervalOverall.getValueAtPercentile(95) : 0,
                any ? intervalOverall.getValueAtPercentile(99) : 0,
                any ? intervalOverall.getMaxValue() : 0, inFlightGauge.getAsLong(), connectionsGauge.getAsLong(), kinds,
                rec.flowCounts == null ? null : rec.flowCounts.realtimeOpen());
        timeline.add(p);
        CellListener cl = cellListener;
        if (cl != null) {
            cl.onCells(new Interval(startSecond, (nowNanos - startNanos) / 1e9, p, intervalCorrected,
                    intervalUncorrected, intervalErrors, intervalLag, lastErrors.clone(), sums(rec.lateSends),
                    sums(rec.sent), sums(rec.uploadBytes), details(), rec.flowCounts == null ? null
                    : rec.flowCounts.snapshot()));
        }
        return p;
    }

    /**
     * Moves each stripe's interval histograms of every request into this interval's and the run's totals.
     *
     * @return the interval's answered requests that were not errors
     */
    private long drainLatencies() {
        intervalOverall.reset();
        intervalOverallUncorrected.reset();
        long successes = 0;
        List<RunRecorder.Stripe> stripes = rec.stripes();
        for (int c = 0; c < correctedTotals.length; c++) {
            Histogram ic = intervalCorrected[c];
            Histogram iu = intervalUncorrected[c];
            Histogram ie = intervalErrors[c];
            ic.reset();
            iu.reset();
            ie.reset();
            for (RunRecorder.Stripe st : stripes) {
                st.corrected[c].getIntervalHistogramInto(scratch);
                ic.add(scratch);
                st.uncorrected[c].getIntervalHistogramInto(scratch);
                iu.add(scratch);
                st.answeredErrors[c].getIntervalHistogramInto(scratch);
                ie.add(scratch);
            }
            errorTotals[c].add(ie);
            correctedTotals[c].add(ic);
            uncorrectedTotals[c].add(iu);
            intervalOverall.add(ic);
            intervalOverallUncorrected.add(iu);
            successes += iu.getTotalCount();
        }
        return successes;
    }

    /** Moves each stripe's send lag of every phase into this interval's and the run's totals. */
    private void drainSendLag() {
        for (Histogram h : intervalLag) {
            h.reset();
        }
        for (RunRecorder.Stripe st : rec.stripes()) {
            for (int p = 0; p < sendLagTotals.length; p++) {
                st.sendLag[p].getIntervalHistogramInto(scratch);
                intervalLag[p].add(scratch);
            }
        }
        for (int p = 0; p < sendLagTotals.length; p++) {
            sendLagTotals[p].add(intervalLag[p]);
        }
    }

    /** Adds each kind's errors since the last collection into {@code byKind}; returns their sum. */
    private long errorsSinceLast(long[] byKind) {
        long errors = 0;
        for (int i = 0; i < lastErrors.length; i++) {
            long v = rec.errors[i].sum();
            errors += v - lastErrors[i];
            byKind[i % RunRecorder.KINDS] += v - lastErrors[i];
            lastErrors[i] = v;
        }
        return errors;
    }

    /** The kinds that occurred, by label, or null when none did. */
    private static Map<String, Long> nonZero(long[] byKind) {
        Map<String, Long> kinds = null;
        for (ErrorKind k : ErrorKind.values()) {
            if (byKind[k.ordinal()] > 0) {
                kinds = kinds == null ? new LinkedHashMap<>() : kinds;
                kinds.put(k.label(), byKind[k.ordinal()]);
            }
        }
        return kinds;
    }

    /**
     * Each request's outcomes as of the last {@link #collect}, over every phase, without copying a histogram:
     * {@code [request][0]} its successes, {@code [request][1 + kind]} its errors of each {@link ErrorKind}.
     */
    public synchronized long[][] outcomesByRequest() {
        long[][] out = new long[rec.requests][1 + RunRecorder.KINDS];
        for (int c = 0; c < correctedTotals.length; c++) {
            long[] r = out[c % rec.requests];
            r[0] += uncorrectedTotals[c].getTotalCount(); // one value per answer (corrected adds synthetic ones)
            for (int k = 0; k < RunRecorder.KINDS; k++) {
                r[1 + k] += lastErrors[c * RunRecorder.KINDS + k];
            }
        }
        return out;
    }

    /** A copy of everything collected so far (call {@link #collect} first for the latest). */
    public synchronized Totals totals() {
        int cells = correctedTotals.length;
        Histogram[] c = new Histogram[cells];
        Histogram[] u = new Histogram[cells];
        Histogram[] e = new Histogram[cells];
        long[] late = new long[cells];
        long[] sent = new long[cells];
        long[] upload = new long[cells];
        for (int i = 0; i < cells; i++) {
            c[i] = correctedTotals[i].copy();
            u[i] = uncorrectedTotals[i].copy();
            e[i] = errorTotals[i].copy();
            late[i] = rec.lateSends[i].sum();
            sent[i] = rec.sent[i].sum();
            upload[i] = rec.uploadBytes[i].sum();
        }
        Histogram[] lag = new Histogram[sendLagTotals.length];
        for (int p = 0; p < lag.length; p++) {
            lag[p] = sendLagTotals[p].copy();
        }
        return new Totals(rec.phases, rec.requests, c, u, e, lastErrors.clone(), late, sent, upload, lag,
                List.copyOf(timeline), details(), rec.flowCounts == null ? null : rec.flowCounts.snapshot());
    }

    private String[] details() {
        String[] details = new String[RunRecorder.KINDS];
        for (int k = 0; k < details.length; k++) {
            details[k] = rec.firstErrorDetail.get(k);
        }
        return details;
    }

    private static long[] sums(java.util.concurrent.atomic.LongAdder[] adders) {
        long[] out = new long[adders.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = adders[i].sum();
        }
        return out;
    }
}
