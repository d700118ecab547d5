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
 * A tenth of the requests are due during a pause and wait until it ends, so the corrected p95 is
 * ≈ 0.5 s and p99 ≈ 0.9 s. The test measures loadleak, not its own scheduler: the expected p95 and
 * p99 are computed from the pauses as they really happened (each signal's time recorded, relative
 * to the run's {@code startedAt}) and the rate — a CONT that came late makes a longer pause, and
 * a longer expected p95 — and loadleak's figures must match them within ±15 %. The built-in
 * stall runs on the target's own clock, whose phase the test does not know: loadleak's figures
 * must lie within the range the possible phases give (±15 %). The median is unaffected, and the
 * intended number of requests completed (± 2 %). 300 connections, so that loadleak itself never
 * runs short.
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
        Process run = Packaged.process("run", scenario.toString(), "--out", dir.resolve("out").toString())
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

    /**
     * The corrected latency quantile {@code q} (seconds) of a constant-rate run over {@code seconds}
     * whose target answered nothing during {@code pauses} ([start, end] in seconds of the run): a
     * request due at {@code t} inside a pause completes when the pause ends, the others at once.
     */
    static double expectedQuantile(List<double[]> pauses, double seconds, double q) {
        int n = (int) Math.round(RATE * seconds);
        double[] latency = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / RATE;
            for (double[] p : pauses) {
                if (t >= p[0] && t < p[1]) {
                    latency[i] = p[1] - t;
                }
            }
        }
        java.util.Arrays.sort(latency);
        return latency[(int) Math.min(n - 1, Math.ceil(q * n) - 1)];
    }

    /** The range of p95 and p99 over every phase (in 10 ms steps) of a 1 s in 10 s stall of the target's clock. */
    static double[][] builtInStallRange() {
        double[][] range = {{Double.MAX_VALUE, 0}, {Double.MAX_VALUE, 0}};
        for (int phase = 0; phase < 1000; phase++) {
            List<double[]> pauses = new ArrayList<>();
            for (int k = -1; k <= SECONDS / 10; k++) {
                double start = phase / 100.0 + 10.0 * k;
                pauses.add(new double[] {start, start + 1});
            }
            double p95 = expectedQuantile(pauses, SECONDS, 0.95);
            double p99 = expectedQuantile(pauses, SECONDS, 0.99);
            range[0] = new double[] {Math.min(range[0][0], p95), Math.max(range[0][1], p95)};
            range[1] = new double[] {Math.min(range[1][0], p99), Math.max(range[1][1], p99)};
        }
        return range;
    }

    private static void check(String what, JsonNode result, double[] p95Range, double[] p99Range) {
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
        System.out.printf(Locale.ROOT, "%s: expected p95 %.3f-%.3f s, p99 %.3f-%.3f s%n", what, p95Range[0], p95Range[1],
                p99Range[0], p99Range[1]);
        assertTrue(p95 >= 0.85 * p95Range[0] && p95 <= 1.15 * p95Range[1], what + ": p95 " + p95 + " s, expected "
                + p95Range[0] + "-" + p95Range[1] + " s ±15 %");
        assertTrue(p99 >= 0.85 * p99Range[0] && p99 <= 1.15 * p99Range[1], what + ": p99 " + p99 + " s, expected "
                + p99Range[0] + "-" + p99Range[1] + " s ±15 %");
        assertTrue(p50 < 0.05, what + ": the median is not the stall's: " + p50);
    }

    @Test
    void builtInStall() throws Exception {
        try (Packaged.Target target = Packaged.startTarget(List.of(), "--stall", "1s/10s")) {
            double[][] range = builtInStallRange();
            check("target --stall 1s/10s", run(target.port(), s -> { }), range[0], range[1]);
        }
    }

    @Test
    void processPausedWithSigstop() throws Exception {
        Packaged.Target target = Packaged.startTarget(List.of());
        ScheduledExecutorService signals = Executors.newSingleThreadScheduledExecutor();
        List<long[]> sent = new ArrayList<>();
        try {
            int port = target.port();
            long pid = target.process().pid();
            boolean[] scheduled = {false};
            JsonNode result = run(port, second -> {
                if (second >= 2 && !scheduled[0]) {
                    scheduled[0] = true;
                    // pauses of about 1 s at about 3, 13 and 23 s into the 30 s run: 10 % of the time
                    for (int k = 0; k < 3; k++) {
                        signals.schedule(() -> signal("STOP", pid, sent), 1000L + 10_000L * k, TimeUnit.MILLISECONDS);
                        signals.schedule(() -> signal("CONT", pid, sent), 2000L + 10_000L * k, TimeUnit.MILLISECONDS);
                    }
                }
            });
            assertEquals(6, sent.size(), "three pauses");
            // each pause from its STOP to its CONT as they really happened (the middle of each kill), in run seconds
            long start = java.time.Instant.parse(result.path("startedAt").asText()).toEpochMilli();
            List<double[]> pauses = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                long[] stop = sent.get(2 * k);
                long[] cont = sent.get(2 * k + 1);
                pauses.add(new double[] {((stop[0] + stop[1]) / 2.0 - start) / 1000, ((cont[0] + cont[1]) / 2.0 - start) / 1000});
                System.out.printf(Locale.ROOT, "pause %d: %.3f-%.3f s of the run%n", k, pauses.get(k)[0], pauses.get(k)[1]);
            }
            double p95 = expectedQuantile(pauses, SECONDS, 0.95);
            double p99 = expectedQuantile(pauses, SECONDS, 0.99);
            check("SIGSTOP 1 s every 10 s", result, new double[] {p95, p95}, new double[] {p99, p99});
        } finally {
            signals.shutdownNow();
            signal("CONT", target.process().pid(), new ArrayList<>());
            target.close();
        }
    }

    /** Sends {@code sig}; logs the wall-clock milliseconds before and after the kill command. */
    private static void signal(String sig, long pid, List<long[]> log) {
        try {
            long before = System.currentTimeMillis();
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
            long after = System.currentTimeMillis();
            synchronized (log) {
                log.add(new long[] {before, after});
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
