package dev.loadleak.engine.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstantRateScheduleTest {
    @ParameterizedTest(name = "{0}/s for {1} ns -> {2} requests")
    @CsvSource({
        "200, 30000000000, 6000",
        "1, 1000000000, 1",
        "1, 1000000001, 2",
        "0.5, 3000000000, 2",
        "3, 1000000000, 3",
        "10000, 1000000000, 10000",
        "0.83, 60000000000, 50",
    })
    void countIsEveryRequestDueBeforeTheEnd(double rate, long duration, long expected) {
        assertEquals(expected, new ConstantRateSchedule(rate, duration).count());
    }

    @ParameterizedTest(name = "{0}/s: request {1} at {2} ns")
    @CsvSource({
        "200, 0, 0",
        "200, 1, 5000000",
        "200, 5999, 29995000000",
        "3, 1, 333333333",
        "3, 2, 666666667",
        "3, 3, 1000000000",
        "0.5, 1, 2000000000",
        "10000, 12345, 1234500000",
    })
    void offsetsAreExact(double rate, long index, long expectedNanos) {
        assertEquals(expectedNanos, new ConstantRateSchedule(rate, 60_000_000_000L).offsetNanos(index));
    }

    @Test
    void offsetsNeverDriftOverALongRun() {
        // 24 h at 1000/s: the last request is due exactly 1 ms before the end, no accumulated error
        ConstantRateSchedule s = new ConstantRateSchedule(1000, 86_400_000_000_000L);
        assertEquals(86_400_000L, s.count());
        assertEquals(86_399_999_000_000L, s.offsetNanos(s.count() - 1));
    }

    @Test
    void rejectsNonPositiveRateAndDuration() {
        assertThrows(IllegalArgumentException.class, () -> new ConstantRateSchedule(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConstantRateSchedule(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConstantRateSchedule(1, 0));
    }
}
