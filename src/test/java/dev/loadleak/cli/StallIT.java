package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Correctness under stalls, on the packaged application: 30 s at a constant 200 req/s against a
 * target that pauses 1 s in every 10 s, (a) the built-in target's own {@code --stall 1s/10s}, and
 * (b) a real OS-level pause: the target process stopped with SIGSTOP and resumed with SIGCONT.
 * A tenth of the requests are due during a pause and wait up to 1 s, so the corrected p95 must be
 * ≈ 0.5 s and p99 ≈ 0.9 s (each within ±15 %), the median unaffected, and the intended number of
 * requests completed (± 2 %). 300 connections, so that loadleak itself never runs short.
 */
class StallIT {
    private static final double RATE = 200;
    private static final int SECONDS = 30;

    /** Runs the scenario; {@code onSecond} is told each second of progress the run reports. */
    private static JsonNode run(int port, java.util.function.IntConsumer onSecond) throws Exception {
        Path dir = Files.createTempDirectory("stall-it");
        Path scenario = dir.resolve("stall.yaml");
        Files.writeString(scenario, "name: stall-it\ntarget: http://127.0.0.1:" + port + "\n"
                + "defaults: {timeout: 5s, maxConnections: 300}\n"
                + "phases: [{name: steady, duration: " + SECONDS + "s, rate: " + (int) RATE + "/s}]\n"
                + "requests: [{path: /api/v1/media/7}]\n");
        Process run = new ProcessBuilder(Packaged.command("run", scenario.toString(), "--out", dir.resolve("out").toString()))
                .redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream()))) {
            String line;
            Pattern progress = Pattern.compile("^\\[\\s*(\\d+)s/");
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                Matcher m = progress.matcher(line);
                if (m.find()) {
                    onSecond.accept(Integer.parseInt(m.group(1)));
                }
            }
        }
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        System.out.println(out);
        return new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
    }

    private static void check(String what, JsonNode result) {
        JsonNode overall = result.path("overall");
        JsonNode c = overall.path("latencyMicros").path("corrected");
        double p50 = c.path("p50").asDouble() / 1e6;
        double p95 = c.path("p95").asDouble() / 1e6;
        double p99 = c.path("p99").asDouble() / 1e6;
        long ok = overall.path("successes").asLong();
        System.out.printf(Locale.ROOT, "%s: corrected p50 %.4f s, p95 %.3f s, p99 %.3f s, %d of %d completed%n", what, p50,
                p95, p99, ok, result.path("intendedRequests").asLong());
        assertEquals(RATE * SECONDS, result.path("intendedRequests").asDouble(), 0.5);
        assertEquals(RATE * SECONDS, ok, 0.02 * RATE * SECONDS, what + ": intended requests completed");
        assertEquals(0.5, p95, 0.15 * 0.5, what + ": p95");
        assertEquals(0.9, p99, 0.15 * 0.9, what + ": p99");
        assertTrue(p50 < 0.05, what + ": the median is not the stall's: " + p50);
    }

    @Test
    void builtInStall() throws Exception {
        try (Packaged.Target target = Packaged.startTarget(List.of(), "--stall", "1s/10s")) {
            check("target --stall 1s/10s", run(target.port(), s -> { }));
        }
    }

    @Test
    void processPausedWithSigstop() throws Exception {
        Packaged.Target target = Packaged.startTarget(List.of());
        ScheduledExecutorService signals = Executors.newSingleThreadScheduledExecutor();
        List<String> sent = new ArrayList<>();
        try {
            int port = target.port();
            long pid = target.process().pid();
            boolean[] scheduled = {false};
            JsonNode result = run(port, second -> {
                if (second >= 2 && !scheduled[0]) {
                    scheduled[0] = true;
                    // pauses of 1 s at about 3, 13 and 23 s into the 30 s run: 10 % of the time
                    for (int k = 0; k < 3; k++) {
                        signals.schedule(() -> signal("STOP", pid, sent), 1000L + 10_000L * k, TimeUnit.MILLISECONDS);
                        signals.schedule(() -> signal("CONT", pid, sent), 2000L + 10_000L * k, TimeUnit.MILLISECONDS);
                    }
                }
            });
            assertEquals(6, sent.size(), "three pauses: " + sent);
            check("SIGSTOP 1 s every 10 s", result);
        } finally {
            signals.shutdownNow();
            signal("CONT", target.process().pid(), sent);
            target.close();
        }
    }

    private static void signal(String sig, long pid, List<String> log) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
            synchronized (log) {
                log.add(sig);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
