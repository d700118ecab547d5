package dev.loadleak.demoserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.FakeClock;
import org.junit.jupiter.api.Test;

class BehaviourTest {
    private static final long MS = 1_000_000L;

    private static TargetKnobs knobs(long latency, long jitter, double errorRate, long stall, long period) {
        return new TargetKnobs(latency, jitter, errorRate, 0, stall, period, 500);
    }

    @Test
    void stallHoldsResponsesUntilTheEndOfTheLastSecondOfEachPeriod() {
        FakeClock clock = new FakeClock(123_456);
        Behaviour b = new Behaviour(knobs(0, 0, 0, 1000 * MS, 10_000 * MS), clock::nanoTime, 1);
        long[][] table = {
            // ms since start, expected delay ms
            {0, 0}, {8_999, 0}, {9_000, 1000}, {9_250, 750}, {9_999, 1}, {10_000, 0}, {18_999, 0}, {19_500, 500},
        };
        long at = 0;
        for (long[] row : table) {
            clock.advanceMillis(row[0] - at);
            at = row[0];
            assertEquals(row[1] * MS, b.stallDelayNanos(), "at " + row[0] + " ms");
        }
    }

    @Test
    void errorRateIsExactAndEvenlySpread() {
        Behaviour b = new Behaviour(knobs(0, 0, 0.01, 0, 0), new FakeClock(0)::nanoTime, 1);
        int failures = 0;
        int firstFailure = -1;
        for (int i = 1; i <= 1000; i++) {
            if (b.nextFails()) {
                failures++;
                if (firstFailure < 0) {
                    firstFailure = i;
                }
            }
        }
        assertEquals(10, failures);
        assertEquals(100, firstFailure);
        Behaviour quarter = new Behaviour(knobs(0, 0, 0.25, 0, 0), new FakeClock(0)::nanoTime, 1);
        boolean[] pattern = new boolean[8];
        for (int i = 0; i < 8; i++) {
            pattern[i] = quarter.nextFails();
        }
        assertArrayEquals(new boolean[] {false, false, false, true, false, false, false, true}, pattern);
    }

    @Test
    void latencyWithJitterStaysInItsBandAndAveragesOut() {
        Behaviour b = new Behaviour(knobs(5 * MS, 2 * MS, 0, 0, 0), new FakeClock(0)::nanoTime, 42);
        long min = Long.MAX_VALUE;
        long max = 0;
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            long l = b.latencyNanos();
            min = Math.min(min, l);
            max = Math.max(max, l);
            sum += l;
        }
        assertTrue(min >= 3 * MS && max <= 7 * MS, min + ".." + max);
        assertTrue(min < 3.1 * MS && max > 6.9 * MS, "the whole band is used: " + min + ".." + max);
        assertEquals(5 * MS, sum / 10_000, 0.05 * MS);
        assertEquals(5 * MS, new Behaviour(knobs(5 * MS, 0, 0, 0, 0), new FakeClock(0)::nanoTime, 1).latencyNanos());
    }

    @Test
    void knobParsing() {
        assertArrayEquals(new long[] {5 * MS, 0}, TargetKnobs.parseLatency("5ms"));
        assertArrayEquals(new long[] {5 * MS, 2 * MS}, TargetKnobs.parseLatency("5ms±2ms"));
        assertArrayEquals(new long[] {5 * MS, 2 * MS}, TargetKnobs.parseLatency("5ms+-2ms"));
        assertArrayEquals(new long[] {1000 * MS, 10_000 * MS}, TargetKnobs.parseStall("1s/10s"));
        assertThrows(IllegalArgumentException.class, () -> TargetKnobs.parseStall("1s"));
        assertThrows(IllegalArgumentException.class, () -> knobs(0, 0, 0, 10_000 * MS, 10_000 * MS));
        assertThrows(IllegalArgumentException.class, () -> knobs(0, 0, 1.5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> knobs(MS, 2 * MS, 0, 0, 0));
    }
}
