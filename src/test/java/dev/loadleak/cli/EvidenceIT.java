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
 * top grower; {@code forceGc} on the same target measures its bytes per request within ±5 % of JOL. A
 * pid that is not a JVM is a clear error before any load. Bounded: runs of 15 s and 35 s.
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

    /**
     * {@code forceGc: true} on the JVM target's pid, 30 s at 200 requests/s of {@code --leak 2KB}: the
     * bytes per request from the forced collections' live bytes must be within ±5 % of what JOL counts
     * for the target's own store (a 2048-byte array and its slot in the list, per request) between the
     * requests completed at the first and the last round.
     */
    @Test
    void forcedCollectionsMeasureWhatJolCountsWithinFivePercent() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Packaged.isNative(), "the native target is not a JVM");
        try (Packaged.Target target = Packaged.startTarget(List.of("-Xmn8m", "-XX:+UseSerialGC"), "--leak", "2KB")) {
            Path dir = Files.createTempDirectory("exact-jvm-it");
            Path f = dir.resolve("exact.yaml");
            Files.writeString(f, "name: exact-jvm-it\ntarget: http://127.0.0.1:" + target.port() + "\n"
                    + "phases:\n  - {name: warm, duration: 5s, rate: 200/s, warmup: true}\n"
                    + "  - {name: steady, duration: 30s, rate: 200/s}\n"
                    + "requests: [{path: /api/v1/media/7}]\n"
                    + "memory:\n  sources:\n    - {name: target, type: process, pid: " + target.process().pid()
                    + ", forceGc: true}\n");
            Process run = Packaged.process("run", f.toString(), "--out", dir.resolve("out").toString(), "--quiet")
                    .redirectErrorStream(true).start();
            String output = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(150, TimeUnit.SECONDS), output);
            System.out.println(output);
            JsonNode forced = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile()).path("forcedGc").get(0);
            assertEquals("jcmd GC.class_histogram", forced.path("how").asText(), forced.toString());
            JsonNode readings = forced.path("readings");
            assertEquals(6, readings.size(), forced.toString());
            long first = Math.round((readings.get(0).get(2).asDouble() + readings.get(1).get(2).asDouble()
                    + readings.get(2).get(2).asDouble()) / 3);
            long last = Math.round((readings.get(3).get(2).asDouble() + readings.get(4).get(2).asDouble()
                    + readings.get(5).get(2).asDouble()) / 3);
            double jol = jolPerRequest(2048, (int) first, (int) last);
            double measured = forced.path("bytesPerRequest").asDouble();
            System.out.printf("JOL %.1f B per request between %d and %d requests; forced collections %.1f (%+.2f %%)%n",
                    jol, first, last, measured, 100 * (measured / jol - 1));
            assertEquals(jol, measured, jol * 0.05, forced.toString());
            assertEquals("LEAK", forced.path("verdict").asText(), forced.toString());
            assertTrue(forced.path("pauseMillis").get(1).asDouble() > 0, forced.toString());
            assertTrue(output.contains("made to collect 9 times (jcmd GC.class_histogram)"), output);
        }
    }

    /** What JOL counts in the target's own store per request, from {@code from} requests to {@code to}. */
    private static double jolPerRequest(int size, int from, int to) {
        dev.loadleak.demoserver.LeakStore store = new dev.loadleak.demoserver.LeakStore();
        for (int i = 0; i < from; i++) {
            store.retain(size);
        }
        long a = org.openjdk.jol.info.GraphLayout.parseInstance(store).totalSize();
        for (int i = from; i < to; i++) {
            store.retain(size);
        }
        long b = org.openjdk.jol.info.GraphLayout.parseInstance(store).totalSize();
        return (b - a) / (double) (to - from);
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
