package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500000000", "30s, 30000000000", "5m, 300000000000", "1h30m, 5400000000000",
        "2.5s, 2500000000", "250us, 250000", "1m30s, 90000000000", "0s, 0"})
    void durations(String text, long nanos) {
        assertEquals(nanos, Units.parseDurationNanos(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "30 sec", "1d", "-5s", "5s3"})
    void badDurations(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseDurationNanos(text));
        assertEquals(true, e.getMessage().contains("write e.g."), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"200/s, 200", "0.5/s, 0.5", "50 / s, 50", "30/min, 0.5", "30/m, 0.5", "7200/h, 2", "60 / min, 1"})
    void rates(String text, double perSecond) {
        assertEquals(perSecond, Units.parseRatePerSecond(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"50/fortnight", "50", "fast", "/s", "-1/s", "5/ms"})
    void badRates(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.parseRatePerSecond(text));
        assertEquals(true, e.getMessage().contains("write requests per second, e.g. 50/s or 0.83/s"));
    }

    @ParameterizedTest
    @CsvSource({"2KB, 2048", "512, 512", "512B, 512", "1.5MB, 1572864", "1GiB, 1073741824", "2kb, 2048"})
    void sizes(String text, long bytes) {
        assertEquals(bytes, Units.parseBytes(text));
    }

    @ParameterizedTest
    @CsvSource({"850, 850µs", "1210, 1.21ms", "12345, 12.3ms", "1020000, 1.02s"})
    void formatting(double micros, String text) {
        assertEquals(text, Units.formatMicros(micros));
    }
}
