package dev.loadleak.metrics;

import dev.loadleak.engine.IterationEnd;
import dev.loadleak.engine.RealtimeEvent;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Flow iterations per (phase, flow): started, completed, failed and aborted, their durations
 * (corrected from the intended start, uncorrected from the first send; microseconds), and the
 * steps skipped per (phase, request), and what the real-time steps' connections did per (phase, flow,
 * {@link RealtimeEvent}). Every engine stripe writes here: counters are LongAdders,
 * durations go to HdrHistogram {@link Recorder}s (wait-free for writers).
 */
public final class FlowCounts {
    private final int phases;
    private final int flows;
    private final int requests;
    private final LongAdder[] started;
    private final LongAdder[] ended;
    private final Recorder[] corrected;
    private final Recorder[] uncorrected;
    private final LongAdder[] skipped;
    private final LongAdder[] realtime;
    private final Histogram[] correctedTotals;
    private final Histogram[] uncorrectedTotals;

    public FlowCounts(int phases, int flows, int requests) {
        this.phases = phases;
        this.flows = flows;
        this.requests = requests;
        int cells = phases * flows;
        started = adders(cells);
        ended = adders(cells * IterationEnd.values().length);
        skipped = adders(phases * requests);
        realtime = adders(cells * RealtimeEvent.values().length);
        corrected = new Recorder[cells];
        uncorrected = new Recorder[cells];
        correctedTotals = new Histogram[cells];
        uncorrectedTotals = new Histogram[cells];
        for (int c = 0; c < cells; c++) {
            corrected[c] = new Recorder(RunRecorder.SIGNIFICANT_DIGITS);
            uncorrected[c] = new Recorder(RunRecorder.SIGNIFICANT_DIGITS);
            correctedTotals[c] = Collector.newHistogram();
            uncorrectedTotals[c] = Collector.newHistogram();
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void started(int phase, int flow) {
        started[phase * flows + flow].increment();
    }

    void ended(int phase, int flow, IterationEnd how, long intendedNanos, long firstSentNanos, long endNanos) {
        int c = phase * flows + flow;
        ended[c * IterationEnd.values().length + how.ordinal()].increment();
        if (how != IterationEnd.ABORTED) {
            corrected[c].recordValue(Math.max(0, endNanos - intendedNanos) / 1000);
            uncorrected[c].recordValue(Math.max(0, endNanos - firstSentNanos) / 1000);
        }
    }

    void realtime(int phase, int flow, RealtimeEvent what) {
        realtime[(phase * flows + flow) * RealtimeEvent.values().length + what.ordinal()].increment();
    }

    /** Real-time connections open now (opened less closed), or null when none was ever opened. */
    public Long realtimeOpen() {
        long opened = 0;
        long closed = 0;
        int kinds = RealtimeEvent.values().length;
        for (int c = 0; c < phases * flows; c++) {
            opened += realtime[c * kinds + RealtimeEvent.OPENED.ordinal()].sum();
            closed += realtime[c * kinds + RealtimeEvent.CLOSED.ordinal()].sum();
        }
        return opened == 0 ? null : opened - closed;
    }

    void skipped(int phase, int request) {
        skipped[phase * requests + request].increment();
    }

    /** What was counted so far (the durations of completed and failed iterations, not of aborted ones). */
    public synchronized Snapshot snapshot() {
        int cells = phases * flows;
        Histogram[] c = new Histogram[cells];
        Histogram[] u = new Histogram[cells];
        for (int i = 0; i < cells; i++) {
            correctedTotals[i].add(corrected[i].getIntervalHistogram());
            uncorrectedTotals[i].add(uncorrected[i].getIntervalHistogram());
            c[i] = correctedTotals[i].copy();
            u[i] = uncorrectedTotals[i].copy();
        }
        long[] s = new long[cells];
        long[] e = new long[ended.length];
        long[] k = new long[skipped.length];
        for (int i = 0; i < cells; i++) {
            s[i] = started[i].sum();
        }
        for (int i = 0; i < e.length; i++) {
            e[i] = ended[i].sum();
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = skipped[i].sum();
        }
        long[] rt = new long[realtime.length];
        for (int i = 0; i < rt.length; i++) {
            rt[i] = realtime[i].sum();
        }
        return new Snapshot(phases, flows, requests, s, e, k, c, u, rt);
    }

    /** Counts per (phase, flow) cell; skipped per (phase, request); real-time events per (phase, flow, event), or null. */
    public record Snapshot(int phases, int flows, int requests, long[] started, long[] ended, long[] skipped,
                           Histogram[] corrected, Histogram[] uncorrected, long[] realtime) {
        public Snapshot(int phases, int flows, int requests, long[] started, long[] ended, long[] skipped,
                        Histogram[] corrected, Histogram[] uncorrected) {
            this(phases, flows, requests, started, ended, skipped, corrected, uncorrected, null);
        }

        /** How often users of {@code flow} whose iteration started in {@code phase} saw {@code what} (0 if not counted). */
        public long realtime(int phase, int flow, RealtimeEvent what) {
            return realtime == null ? 0 : realtime[(phase * flows + flow) * RealtimeEvent.values().length + what.ordinal()];
        }

        public long started(int phase, int flow) {
            return started[phase * flows + flow];
        }

        public long ended(int phase, int flow, IterationEnd how) {
            return ended[(phase * flows + flow) * IterationEnd.values().length + how.ordinal()];
        }

        public long skipped(int phase, int request) {
            return skipped[phase * requests + request];
        }

        public Histogram corrected(int phase, int flow) {
            return corrected[phase * flows + flow];
        }

        public Histogram uncorrected(int phase, int flow) {
            return uncorrected[phase * flows + flow];
        }
    }
}
