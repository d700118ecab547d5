package dev.loadleak.metrics;

import dev.loadleak.engine.IterationEnd;
import dev.loadleak.engine.RealtimeEvent;
import dev.loadleak.engine.ResultSink;
import dev.loadleak.result.ErrorKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Records every request into one cell per (phase, request): HdrHistograms of corrected latency
 * (from the intended send time, as wrk2 does) and uncorrected latency (from the actual send),
 * plus counters. Each writer (an engine stripe, one per event loop) records into its own
 * {@link Stripe} of {@link SingleWriterRecorder}s, so that event loops never contend on a
 * histogram; the {@link Collector} reads and adds up the stripes' interval histograms from another
 * thread. Nothing here grows with the number of requests.
 *
 * <p>Latencies are recorded in microseconds with 3 significant digits; successful responses are
 * the latencies, failures are counted by kind, so that a run where everything fails never shows a
 * percentile as if it were a latency. Answers that arrived but failed (a status, an
 * {@code expect}) have a corrected-latency histogram of their own: how fast the errors came back.
 */
public final class RunRecorder implements ResultSink {
    static final int SIGNIFICANT_DIGITS = 3;
    static final int KINDS = ErrorKind.values().length;

    final int phases;
    final int requests;
    private final long lateBoundNanos;
    /** Every writer's histograms; the first is the one this recorder's own methods write. */
    private final List<Stripe> stripes = new CopyOnWriteArrayList<>();
    private final Stripe own;
    final LongAdder[] errors;
    final LongAdder[] lateSends;
    final LongAdder[] sent;
    final LongAdder[] uploadBytes;
    final AtomicReferenceArray<String> firstErrorDetail = new AtomicReferenceArray<>(KINDS);
    /** Flow iterations and skipped steps; null without flows. */
    final FlowCounts flowCounts;

    public RunRecorder(int phases, int requests, long lateBoundNanos) {
        this(phases, requests, lateBoundNanos, 0);
    }

    /** With {@code flows} user flows (0: the plain request path), whose steps are the requests. */
    public RunRecorder(int phases, int requests, long lateBoundNanos, int flows) {
        this.flowCounts = flows > 0 ? new FlowCounts(phases, flows, requests) : null;
        this.phases = phases;
        this.requests = requests;
        this.lateBoundNanos = lateBoundNanos;
        int cells = phases * requests;
        errors = new LongAdder[cells * KINDS];
        lateSends = new LongAdder[cells];
        sent = new LongAdder[cells];
        uploadBytes = new LongAdder[cells];
        for (int c = 0; c < cells; c++) {
            lateSends[c] = new LongAdder();
            sent[c] = new LongAdder();
            uploadBytes[c] = new LongAdder();
        }
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new LongAdder();
        }
        own = new Stripe();
        stripes.add(own);
    }

    int cells() {
        return phases * requests;
    }

    List<Stripe> stripes() {
        return stripes;
    }

    int cell(int phase, int request) {
        return phase * requests + request;
    }

    /** A sink for one more writer (e.g. an engine stripe on its own event loop), with its own histograms. */
    @Override
    public ResultSink forWriter() {
        Stripe s = new Stripe();
        stripes.add(s);
        return s;
    }

    @Override
    public void onSend(int phase, int request, long intendedNanos, long sentNanos, long bodyBytes) {
        own.onSend(phase, request, intendedNanos, sentNanos, bodyBytes);
    }

    @Override
    public void onSuccess(int phase, int request, int status, long intendedNanos, long sentNanos, long doneNanos,
                          long expectedIntervalNanos) {
        own.onSuccess(phase, request, status, intendedNanos, sentNanos, doneNanos, expectedIntervalNanos);
    }

    @Override
    public void onNotSent(int phase, int request, long intendedNanos, long nowNanos, String detail) {
        own.onNotSent(phase, request, intendedNanos, nowNanos, detail);
    }

    @Override
    public void onError(int phase, int request, ErrorKind kind, String detail, long intendedNanos, long sentNanos,
                        long doneNanos) {
        own.onError(phase, request, kind, detail, intendedNanos, sentNanos, doneNanos);
    }

    @Override
    public void onIterationStart(int phase, int flow) {
        own.onIterationStart(phase, flow);
    }

    @Override
    public void onIterationEnd(int phase, int flow, IterationEnd how, long intendedNanos, long firstSentNanos,
                               long endNanos) {
        own.onIterationEnd(phase, flow, how, intendedNanos, firstSentNanos, endNanos);
    }

    @Override
    public void onRealtime(int phase, int flow, RealtimeEvent what) {
        own.onRealtime(phase, flow, what);
    }

    @Override
    public void onSkipped(int phase, int request) {
        own.onSkipped(phase, request);
    }

    /** One writer's histograms; the counters are the recorder's (LongAdders do not contend). */
    final class Stripe implements ResultSink {
        @Override
        public void onIterationStart(int phase, int flow) {
            if (flowCounts != null) {
                flowCounts.started(phase, flow);
            }
        }

        @Override
        public void onIterationEnd(int phase, int flow, IterationEnd how, long intendedNanos, long firstSentNanos,
                                   long endNanos) {
            if (flowCounts != null) {
                flowCounts.ended(phase, flow, how, intendedNanos, firstSentNanos, endNanos);
            }
        }

        @Override
        public void onRealtime(int phase, int flow, RealtimeEvent what) {
            if (flowCounts != null) {
                flowCounts.realtime(phase, flow, what);
            }
        }

        @Override
        public void onSkipped(int phase, int request) {
            if (flowCounts != null) {
                flowCounts.skipped(phase, request);
            }
        }

        final SingleWriterRecorder[] corrected;
        final SingleWriterRecorder[] uncorrected;
        /** Per phase, so that warm-up phases can be left out like their latencies. */
        final SingleWriterRecorder[] sendLag;
        /** Corrected latency of the answers that arrived but failed. */
        final SingleWriterRecorder[] answeredErrors;

        Stripe() {
            int cells = cells();
            corrected = new SingleWriterRecorder[cells];
            uncorrected = new SingleWriterRecorder[cells];
            answeredErrors = new SingleWriterRecorder[cells];
            sendLag = new SingleWriterRecorder[phases];
            for (int p = 0; p < phases; p++) {
                sendLag[p] = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
            }
            for (int c = 0; c < cells; c++) {
                corrected[c] = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
                uncorrected[c] = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
                answeredErrors[c] = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
            }
        }

        @Override
        public void onSend(int phase, int request, long intendedNanos, long sentNanos, long bodyBytes) {
            int c = cell(phase, request);
            sent[c].increment();
            if (bodyBytes > 0) {
                uploadBytes[c].add(bodyBytes);
            }
            long lag = Math.max(0, sentNanos - intendedNanos);
            sendLag[phase].recordValue(lag / 1000);
            if (lag > lateBoundNanos) {
                lateSends[c].increment();
            }
        }

        @Override
        public void onSuccess(int phase, int request, int status, long intendedNanos, long sentNanos, long doneNanos,
                              long expectedIntervalNanos) {
            int c = cell(phase, request);
            long micros = Math.max(0, doneNanos - intendedNanos) / 1000;
            if (expectedIntervalNanos > 0) {
                // closed/max phases: add the samples a user stuck behind this response did not send
                corrected[c].recordValueWithExpectedInterval(micros, Math.max(1, expectedIntervalNanos / 1000));
            } else {
                corrected[c].recordValue(micros);
            }
            uncorrected[c].recordValue(Math.max(0, doneNanos - sentNanos) / 1000);
        }

        @Override
        public void onNotSent(int phase, int request, long intendedNanos, long nowNanos, String detail) {
            int c = cell(phase, request);
            lateSends[c].increment();
            onError(phase, request, ErrorKind.TIMEOUT, detail, intendedNanos, nowNanos, nowNanos);
        }

        @Override
        public void onError(int phase, int request, ErrorKind kind, String detail, long intendedNanos, long sentNanos,
                            long doneNanos) {
            int c = cell(phase, request);
            errors[c * KINDS + kind.ordinal()].increment();
            firstErrorDetail.compareAndSet(kind.ordinal(), null, detail);
            if (kind.answered()) {
                answeredErrors[c].recordValue(Math.max(0, doneNanos - intendedNanos) / 1000);
            }
        }
    }
}
