package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Synthetic values through the recorder and the per-second collector; no real time involved. */
class CollectorTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    /**
     * The live snapshot's counts per request (read without copying a histogram) are the result's: successes one per
     * answer even where the corrected histogram holds synthetic values (a closed phase's expected interval), errors
     * by kind, summed over the phases.
     */
    @Test
    void liveOutcomesPerRequestAreTheTotalsCounts() {
        RunRecorder rec = new RunRecorder(2, 2, 10 * MS);
        long t0 = 5 * S;
        Collector col = new Collector(rec, t0);
        for (int i = 0; i < 30; i++) {
            long at = t0 + i * MS;
            // 100 ms answers of users expected every 1 ms: the corrected histogram gets ~99 synthetic values each
            rec.onSuccess(i % 2, 0, 200, at, at, at + 100 * MS, MS);
        }
        rec.onError(0, 1, ErrorKind.TIMEOUT, "late", t0, t0, t0 + MS);
        rec.onError(1, 1, ErrorKind.TIMEOUT, "late", t0, t0, t0 + MS);
        rec.onError(1, 1, ErrorKind.STATUS_5XX, "HTTP 500", t0, t0, t0 + MS);
        rec.onSuccess(1, 1, 200, t0, t0, t0 + MS, 0);
        col.collect(t0 + S);
        long[][] live = col.outcomesByRequest();
        Totals totals = col.totals();
        for (int r = 0; r < 2; r++) {
            Stats st = totals.request(r, 1.0);
            assertEquals(st.successes(), live[r][0], "request " + r);
            for (ErrorKind k : ErrorKind.values()) {
                assertEquals(st.errorsByKind().getOrDefault(k.label(), 0L), live[r][1 + k.ordinal()], k.label());
            }
        }
        assertTrue(totals.corrected()[0].getTotalCount() + totals.corrected()[2].getTotalCount() > 30,
                "the corrected histograms hold synthetic values");
        assertEquals(30, live[0][0], "one success per answer, not per corrected value");
        assertEquals(2, live[1][1 + ErrorKind.TIMEOUT.ordinal()]);
        assertEquals(1, live[1][0]);
    }

    @Test
    void perSecondTimelineAndExactTotals() {
        RunRecorder rec = new RunRecorder(1, 2, 10 * MS);
        long t0 = 5 * S;
        Collector col = new Collector(rec, t0);
        // second 0: 100 successes of request 0, 1 ms corrected (sent 0.2 ms late), 2 errors of request 1
        for (int i = 0; i < 100; i++) {
            long intended = t0 + i * 10 * MS;
            rec.onSend(0, 0, intended, intended + 200_000, 0);
            rec.onSuccess(0, 0, 200, intended, intended + 200_000, intended + MS, 0);
        }
        rec.onError(0, 1, ErrorKind.STATUS_5XX, "HTTP 500", t0, t0, t0 + MS);
        rec.onError(0, 1, ErrorKind.CONNECT, "Connection refused", t0, t0, t0 + MS);
        TimelinePoint p0 = col.collect(t0 + S);
        // second 1: 50 successes of request 1 at 100 ms corrected, 20 ms uncorrected (waited 80 ms for a connection)
        for (int i = 0; i < 50; i++) {
            long intended = t0 + S + i * 20 * MS;
            rec.onSend(0, 1, intended, intended + 80 * MS, 0);
            rec.onSuccess(0, 1, 200, intended, intended + 80 * MS, intended + 100 * MS, 0);
        }
        TimelinePoint p1 = col.collect(t0 + 2 * S);

        assertEquals(new TimelinePoint(0, 102, 2, 1000, 1000, 1000, 1000, -1, -1,
                java.util.Map.of("connect", 1L, "status_5xx", 1L)), p0);
        assertEquals(1, p1.second());
        assertEquals(50, p1.requests());
        assertEquals(0, p1.errors());
        assertEquals(100_000, p1.p50(), 100); // 3 significant digits

        Totals totals = col.totals();
        assertEquals(List.of(p0, p1), totals.timeline());
        Stats all = totals.overall(2.0);
        assertEquals(152, all.requests());
        assertEquals(150, all.successes());
        assertEquals(2, all.errors());
        assertEquals(76.0, all.throughputPerSecond());
        assertEquals(2.0 / 152, all.errorRate(), 1e-12);
        assertEquals(50, all.lateSends(), "the 80 ms waits are late sends, the 0.2 ms ones are not");
        assertEquals(150, all.sent());

        Stats r0 = totals.request(0, 2.0);
        assertEquals(1000, r0.latencyMicros().corrected().p99(), 1);
        assertEquals(800, r0.latencyMicros().uncorrected().p99(), 1);
        Stats r1 = totals.request(1, 2.0);
        assertEquals(100_000, r1.latencyMicros().corrected().p50(), 100);
        assertEquals(20_000, r1.latencyMicros().uncorrected().p50(), 20);
        assertEquals(1L, r1.errorsByKind().get("status_5xx"));
        assertEquals(1L, r1.errorsByKind().get("connect"));
        assertEquals("Connection refused", totals.firstErrorDetail()[ErrorKind.CONNECT.ordinal()]);
    }

    @Test
    void totalsEqualOneHistogramOfAllValues() {
        RunRecorder rec = new RunRecorder(2, 3, 10 * MS);
        Collector col = new Collector(rec, 0);
        Histogram reference = new Histogram(3);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int second = 0; second < 5; second++) {
            for (int i = 0; i < 1000; i++) {
                long micros = 1 + rnd.nextLong(2_000_000);
                int phase = rnd.nextInt(2);
                int request = rnd.nextInt(3);
                rec.onSuccess(phase, request, 200, 0, 0, micros * 1000, 0);
                reference.recordValue(micros);
            }
            col.collect((second + 1) * S);
        }
        Histogram merged = Stats.decode(col.totals().overall(5).histograms().corrected());
        assertEquals(reference, merged);
        long perPhase = col.totals().phase(0, 5).requests() + col.totals().phase(1, 5).requests();
        assertEquals(5000, perPhase);
    }

    @Test
    void noSuccessMeansNoLatency() {
        RunRecorder rec = new RunRecorder(1, 1, MS);
        Collector col = new Collector(rec, 0);
        rec.onError(0, 0, ErrorKind.CONNECT, "refused", 0, 0, 1);
        TimelinePoint p = col.collect(S);
        assertEquals(0, p.p99());
        Stats s = col.totals().overall(1);
        assertNull(s.latencyMicros());
        assertEquals(1.0, s.errorRate());
    }
}
