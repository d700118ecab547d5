package dev.loadleak.engine.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchedulesTest {
    private static final long S = 1_000_000_000L;

    @Test
    void rampFrom10To200Over10Seconds() {
        RampSchedule r = new RampSchedule(10, 200, 10 * S);
        // N(t) = 10t + 9.5t²: N(10) = 1050 arrivals
        assertEquals(1050, r.expectedCount());
        assertEquals(0, r.offsetNanos(0));
        // request 10 is due where 10t + 9.5t² = 10: t = (√480 − 10) / 19 = 0.62678 s
        assertEquals(626_784_320L, r.offsetNanos(10), 1000);
        assertTrue(r.offsetNanos(1049) < 10 * S);
        assertTrue(r.offsetNanos(1050) >= 10 * S);
    }

    @Test
    void rampDownAndFlatRampMatchConstant() {
        RampSchedule down = new RampSchedule(100, 0, 10 * S);
        assertEquals(500, down.expectedCount());
        assertEquals(Long.MAX_VALUE, down.offsetNanos(501));
        RampSchedule flat = new RampSchedule(50, 50, 2 * S);
        ConstantRateSchedule c = new ConstantRateSchedule(50, 2 * S);
        for (long i = 0; i < 100; i++) {
            assertEquals(c.offsetNanos(i), flat.offsetNanos(i), 1);
        }
        assertThrows(IllegalArgumentException.class, () -> new RampSchedule(0, 0, S));
    }

    @Test
    void poissonKeepsTheMeanRateAndIsReproducible() {
        PoissonSchedule p = new PoissonSchedule(new ConstantRateSchedule(1000, 60 * S), 7);
        PoissonSchedule same = new PoissonSchedule(new ConstantRateSchedule(1000, 60 * S), 7);
        long count = 0;
        double sumGap = 0;
        double sumSq = 0;
        long prev = 0;
        while (p.offsetNanos(count) < 60 * S) {
            long t = p.offsetNanos(count);
            assertEquals(t, same.offsetNanos(count));
            double gap = (t - prev) / 1e6;
            sumGap += gap;
            sumSq += gap * gap;
            prev = t;
            count++;
        }
        assertEquals(60_000, count, 60_000 * 0.02);
        double mean = sumGap / count;
        double sd = Math.sqrt(sumSq / count - mean * mean);
        assertEquals(1.0, mean, 0.02);
        assertEquals(1.0, sd, 0.05, "exponential gaps: sd equals the mean");
        assertThrows(IllegalStateException.class, () -> p.offsetNanos(0));
    }
}
