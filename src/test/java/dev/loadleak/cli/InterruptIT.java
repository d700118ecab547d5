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

/**
 * SIGTERM mid-run: exit 130, and result.json says "interrupted" with what was measured. SIGKILL
 * mid-run: no result.json, but the journal lets {@code report DIR} rebuild one marked "aborted".
 */
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

    @Test
    void aRunKilledWithSigkillIsRebuiltByReportAsAborted() throws Exception {
        Path out = Files.createTempDirectory("killed");
        Process run = Packaged.process("demo", "--duration", "30s", "--out", out.toString()).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(run.getErrorStream()));
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("[   6s/")) {
                // six seconds of load sent
            }
            run.destroyForcibly(); // SIGKILL: no hook runs, nothing is written at the end
            assertTrue(run.waitFor(20, TimeUnit.SECONDS));
            assertEquals(137, run.exitValue());
        } finally {
            run.destroyForcibly();
        }
        assertTrue(!Files.exists(out.resolve("result.json")), "a killed run writes no result");
        assertTrue(Files.size(out.resolve("journal.jsonl")) > 0);

        Process report = Packaged.process("report", out.toString(), "--format", "text").start();
        String stderr = new String(report.getErrorStream().readAllBytes());
        String stdout = new String(report.getInputStream().readAllBytes());
        assertTrue(report.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, report.exitValue(), stdout + stderr);
        assertTrue(stderr.contains("rebuilt " + out.resolve("result.json")), stderr);
        assertTrue(stdout.contains("aborted after"), stdout);
        JsonNode r = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("aborted", r.path("status").asText());
        double seconds = r.path("durationSeconds").asDouble();
        assertTrue(seconds >= 5 && seconds < 15, "covers the seconds the run wrote: " + seconds);
        long requests = r.path("overall").path("requests").asLong();
        assertTrue(requests > 300, r.path("overall").toString());
        long timelineRequests = 0;
        for (JsonNode p : r.path("timeline")) {
            timelineRequests += p.path("requests").asLong();
        }
        assertTrue(timelineRequests >= requests, "the timeline holds every second written, warm-up included");
        assertTrue(r.path("memory").size() > 0 && r.path("memory").get(0).path("samples").size() >= 5,
                "the target's memory samples are kept: " + r.path("memory"));
        assertTrue(Files.exists(out.resolve("report.html")) && Files.exists(out.resolve("junit.xml")));
    }
}
