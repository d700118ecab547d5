package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What grows, on the packaged application: the built-in target as a JVM of its own with
 * {@code --leak 2KB}; {@code evidence: classHistogram} on its process source takes jcmd's class
 * histogram at the start and the end of the scored load, and the leaked type, byte arrays, is the
 * top grower. A pid that is not a JVM is a clear error before any load. Bounded: one run of 15 s.
 */
class EvidenceIT {
    private static Path scenario(Path dir, int port, long pid) throws Exception {
        Path f = dir.resolve("evidence.yaml");
        Files.writeString(f, "name: evidence-it\ntarget: http://127.0.0.1:" + port + "\n"
                + "phases:\n  - {name: warm, duration: 3s, rate: 100/s, warmup: true}\n"
                + "  - {name: steady, duration: 12s, rate: 200/s}\n"
                + "requests: [{path: /api/v1/media/7}]\n"
                + "memory:\n  sources:\n    - {name: target, type: process, pid: " + pid + ", evidence: classHistogram}\n");
        return f;
    }

    @Test
    void theLeakedTypeIsTheTopGrower() throws Exception {
        // under the native build the target is the native executable too: not a JVM, no class histogram
        org.junit.jupiter.api.Assumptions.assumeFalse(Packaged.isNative(), "the native target is not a JVM");
        try (Packaged.Target target = Packaged.startTarget(List.of("-Xmn8m"), "--leak", "2KB")) {
            Path dir = Files.createTempDirectory("evidence-it");
            Process run = Packaged.process("run", scenario(dir, target.port(), target.process().pid())
                    .toString(), "--out", dir.resolve("out").toString(), "--quiet").redirectErrorStream(true).start();
            String output = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(120, TimeUnit.SECONDS), output);
            System.out.println(output);
            assertTrue(output.contains("what grew in target (pid " + target.process().pid()), output);
            JsonNode g = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile()).path("classGrowth").get(0);
            assertEquals("[B", g.path("byBytes").get(0).path("className").asText(), g.toString());
            // 12 s at 200/s of 2 KB arrays: about 4.9 MB of them, minus what the first histogram already held
            long grown = g.path("byBytes").get(0).path("bytesDelta").asLong();
            assertTrue(grown > 3_000_000 && grown < 8_000_000, "byte arrays grew " + grown);
            assertTrue(g.path("fromSecond").asDouble() >= 2.5, "taken when the scored load starts: " + g);
        }
    }

    @Test
    void aPidThatIsNotAJvmIsAClearErrorBeforeAnyLoad() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try (Packaged.Target target = Packaged.startTarget(List.of())) {
            Path dir = Files.createTempDirectory("evidence-it");
            Process run = Packaged.process("run", scenario(dir, target.port(), sleeper.pid())
                    .toString(), "--out", dir.resolve("out").toString(), "--quiet").redirectErrorStream(true).start();
            String output = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(90, TimeUnit.SECONDS), output);
            assertEquals(3, run.exitValue(), output);
            assertTrue(output.contains("evidence: classHistogram of target: pid " + sleeper.pid()
                    + " is not a JVM jcmd can attach to"), output);
            assertTrue(output.contains("no load was sent"), output);
        } finally {
            sleeper.destroy();
        }
    }
}
