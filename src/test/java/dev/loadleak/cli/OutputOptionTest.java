package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.scenario.Redactor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --output KIND=URL}: what is accepted, and each mistake an exit 2 that says what to write. */
class OutputOptionTest {
    private static RunOptions with(String... outputs) {
        RunOptions o = new RunOptions();
        o.outputs = List.of(outputs);
        o.outputInterval = "5s";
        return o;
    }

    @Test
    void aRemoteWriteUrlMakesAnExporter() {
        var x = with("prometheus-rw=http://127.0.0.1:9090/api/v1/write").exporters("r1", "smoke", Redactor.NONE);
        assertEquals(1, x.size());
        assertTrue(x.get(0).summary().startsWith("prometheus-rw http://127.0.0.1:9090/api/v1/write: 0 samples"));
        var both = with("prometheus-rw=http://127.0.0.1:9090/api/v1/write", "otlp=http://127.0.0.1:4318/v1/metrics")
                .exporters("r1", "smoke", Redactor.NONE);
        assertEquals(2, both.size());
        assertTrue(both.get(1).summary().startsWith("otlp http://127.0.0.1:4318/v1/metrics: 0 samples"));
    }

    @Test
    void mistakesExitTwo() {
        for (String bad : List.of("influxdb=http://127.0.0.1:8086", "prometheus-rw", "prometheus-rw=127.0.0.1:9090", "otlp",
                "otlp=grpc://127.0.0.1:4317",
                "prometheus-rw=ftp://127.0.0.1/x", "prometheus-rw=http://user:pw@127.0.0.1:9090/api/v1/write")) {
            LoadleakException e = assertThrows(LoadleakException.class, () -> with(bad).exporters("r", "s", Redactor.NONE),
                    bad);
            assertEquals(ExitCodes.INVALID_INPUT, e.exitCode(), bad);
            assertTrue(e.getMessage().startsWith("--output "), e.getMessage());
            assertTrue(!e.getMessage().contains("pw@"), "a password is never echoed: " + e.getMessage());
        }
        RunOptions fast = with("prometheus-rw=http://127.0.0.1:9090/api/v1/write");
        fast.outputInterval = "10ms";
        assertThrows(LoadleakException.class, () -> fast.exporters("r", "s", Redactor.NONE));
    }
}
