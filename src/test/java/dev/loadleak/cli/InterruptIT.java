package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM mid-run: exit 130, and result.json says "interrupted" with what was measured. */
class InterruptIT {

    @Test
    void terminatedRunWritesWhatItMeasuredAndExits130() throws Exception {
        Path out = Files.createTempDirectory("interrupt");
        Process run = Packaged.process("demo", "--duration", "30s", "--out",
                out.toString()).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(run.getErrorStream()));
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("[   6s/")) {
                // wait until six seconds of load were sent (the first three are the warm-up phase)
            }
            // SIGTERM, without Process.destroy(), which would also close our ends of its streams
            new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> {
                try {
                    run.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            drain.start();
            String stdout = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(20, TimeUnit.SECONDS));
            assertEquals(130, run.exitValue(), stdout);
            assertTrue(stdout.contains("interrupted after"), stdout);
            JsonNode r = new ObjectMapper().readTree(out.resolve("result.json").toFile());
            assertEquals("interrupted", r.path("status").asText());
            assertTrue(r.path("overall").path("requests").asLong() > 300, r.path("overall").toString());
            assertTrue(r.path("durationSeconds").asDouble() < 15);
        } finally {
            run.destroyForcibly();
        }
    }
}
