package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fault during a run, on the packaged application: loadleak launches the built-in target itself
 * (memory source {@code process} with {@code launch:}), and the test kills that target with
 * SIGKILL once loadleak has reported its 6th second of a 14 s run. The run must still finish on
 * time and write its result, count the later requests as connection errors, show the memory
 * series' gap with its reason, and call the leak verdict INCONCLUSIVE instead of fitting a slope
 * across the death. Bounded: one 14 s run on 127.0.0.1.
 */
class TargetKilledIT {

    @Test
    void launchedTargetKilledMidRun() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("killed-it");
        Path scenario = dir.resolve("killed.yaml");
        Files.writeString(scenario, "name: killed-it\ntarget: http://127.0.0.1:" + port + "\n"
                + "defaults: {timeout: 1s}\n"
                + "phases: [{name: steady, duration: 14s, rate: 50/s}]\n"
                + "requests: [{path: /api/v1/media/7}]\n"
                + "criteria: {required: [error_rate < 1%]}\n"
                + "memory:\n  interval: 250ms\n  warmupShare: 0.1\n  sources:\n"
                + "    - {name: rss, type: process, health: /health, launch: \""
                + String.join(" ", Packaged.command(List.of("-Xmx64m"), "target", "--port", Integer.toString(port)))
                + "\"}\n");
        Path out = dir.resolve("out");
        Process run = Packaged.process("run", scenario.toString(), "--out", out.toString())
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        long killedPid = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (killedPid < 0 && line.startsWith("[   6s/")) {
                    Optional<ProcessHandle> target = run.descendants()
                            .filter(p -> p.info().commandLine().orElse("").contains(" target --port " + port)).findFirst();
                    assertTrue(target.isPresent(), "the launched target is a child of loadleak");
                    killedPid = target.get().pid();
                    new ProcessBuilder("kill", "-KILL", Long.toString(killedPid)).start().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run ends");
        System.out.println(output);
        assertTrue(killedPid > 0, "the target was killed mid-run:\n" + output);

        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("completed", result.path("status").asText());
        JsonNode overall = result.path("overall");
        assertTrue(overall.path("errorsByKind").path("connect").asLong() > 0, overall.toString());
        assertTrue(overall.path("successes").asLong() > 200, "the first 6 s were answered: " + overall);
        assertEquals(700, overall.path("requests").asLong(), 14, "every intended request accounted for");

        JsonNode memory = result.path("memory").get(0);
        assertNotNull(memory);
        assertTrue(memory.path("gaps").size() > 0, "a gap: " + memory.path("gaps"));
        String reason = memory.path("gaps").get(0).path("reason").asText();
        // which words depend on when the sampler looked: after the reaper saw the exit, at the zombie, or in the
        // moment between the kill releasing the memory and the zombie
        assertTrue(reason.contains("(pid " + killedPid + ") exited") || reason.contains("process " + killedPid
                + " has exited") || reason.contains("process " + killedPid + " has no VmRSS: it is exiting"), reason);
        JsonNode analysis = memory.path("analysis");
        assertEquals("INCONCLUSIVE", analysis.path("verdict").asText(), analysis.toString());
        assertTrue(analysis.path("reasons").get(0).asText().contains("of samples missing"), analysis.toString());
        assertEquals(ExitCodes.CRITERIA_FAILED, run.exitValue(), output.toString());
        assertTrue(List.of(Files.list(out).map(p -> p.getFileName().toString()).toArray()).contains("target-rss.log"));
    }
}
