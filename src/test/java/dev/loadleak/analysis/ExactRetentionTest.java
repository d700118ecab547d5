package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.ForcedGcResult;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.TimelinePoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact retention from forced collections: figures against a known retention, and verdicts both ways. */
class ExactRetentionTest {
    /** 300 requests completed each second for {@code seconds}. */
    private static List<TimelinePoint> steady(int seconds) {
        List<TimelinePoint> t = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            t.add(new TimelinePoint(s, 300, 0, 1000, 2000, 3000, 4000));
        }
        return t;
    }

    /** Three readings a round at {@code seconds}, the heap {@code base + perRequest × requests so far}, ± jitter. */
    private static ExactRetention.Forced forced(double base, double perRequest, double jitter, double... seconds) {
        List<ExactRetention.Reading> rs = new ArrayList<>();
        for (int r = 0; r < seconds.length; r++) {
            for (int i = 0; i < 3; i++) {
                double t = seconds[r] + i * 0.05;
                double requests = Math.min(t, 60) * 300;
                rs.add(new ExactRetention.Reading(r, t, base + perRequest * requests + (i - 1) * jitter, 20 + i));
            }
        }
        return new ExactRetention.Forced("v8", "HeapProfiler.collectGarbage", rs, null, null);
    }

    @Test
    void bytesPerRequestComeBackWithAnIntervalFromTheRepeatedReadings() {
        ExactRetention.Outcome o = ExactRetention.of(forced(20e6, 4120, 20_000, 10, 60.2), steady(60), 5);
        ForcedGcResult r = o.result();
        assertEquals(4120, r.bytesPerRequest(), 4120 * 0.01);
        assertTrue(r.bytesPerRequestCi95()[0] < 4120 && r.bytesPerRequestCi95()[1] > 4120, r.toString());
        assertEquals(LeakFinding.LEAK, r.verdict());
        assertEquals(6, r.collections());
        assertEquals(21, r.pauseMillis()[0]);
        assertEquals(ExactRetention.seriesName("v8"), o.series().source());
        assertEquals(LeakFinding.LEAK, o.series().analysis().verdict());
        assertEquals(4120, o.series().retained().bytes(), 4120 * 0.01);
    }

    @Test
    void aFlatHeapIsNoLeakAndASmallRiseIsNeverCalledALeak() {
        ForcedGcResult flat = ExactRetention.of(forced(20e6, 0, 4_000, 10, 40, 60.2), steady(60), 5).result();
        assertEquals(LeakFinding.NO_LEAK, flat.verdict(), flat.reasons().toString());
        // 0.3 MB in 50 s is 21 MB/h, steep but too little in all: exact mode leaves it to a longer run
        ForcedGcResult small = ExactRetention.of(forced(20e6, 20, 100, 10, 60.2), steady(60), 5).result();
        assertEquals(LeakFinding.INCONCLUSIVE, small.verdict(), small.reasons().toString());
        assertTrue(small.reasons().get(0).contains("a longer run decides"), small.reasons().toString());
    }

    @Test
    void oneRoundIsNoEstimateAndSaysWhy() {
        ExactRetention.Forced f = new ExactRetention.Forced("v8", "x", List.of(new ExactRetention.Reading(0, 5, 1e6, 10)),
                "the inspector closed the connection", null);
        ExactRetention.Outcome o = ExactRetention.of(f, steady(10), 5);
        assertNull(o.series());
        assertNull(o.result().bytesPerRequest());
        assertTrue(o.result().reasons().get(0).contains("the inspector closed the connection"));
    }

    @Test
    void requestsByATimeCountAShareOfTheSecondItFallsIn() {
        assertEquals(300 * 10 + 150, ExactRetention.completedBy(steady(60), 10.5), 1e-9);
        assertEquals(300 * 60, ExactRetention.completedBy(steady(60), 75), 1e-9);
    }

    @Test
    void withFlowsTheExactSeriesSaysWhatOneIterationKeeps() {
        // 4 requests per iteration, 1000 B per request: 4000 B per iteration, the interval scaled alike
        ExactRetention.Outcome o = ExactRetention.of(forced(20e6, 1000, 5_000, 10, 60.2), steady(60), 5, 4.0);
        ForcedGcResult r = o.result();
        assertEquals(1000, r.bytesPerRequest(), 10);
        assertEquals(4000, r.bytesPerIteration(), 40);
        assertEquals(r.bytesPerRequestCi95()[0] * 4, r.bytesPerIterationCi95()[0], 1);
        assertEquals("iteration", o.series().retained().per());
        assertEquals(4000, o.series().retained().bytes(), 40);
        assertNull(ExactRetention.of(forced(20e6, 1000, 5_000, 10, 60.2), steady(60), 5).result().bytesPerIteration());
    }
}
