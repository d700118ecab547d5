package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exact retention end to end on the packaged application, against real Node services on 127.0.0.1
 * started with {@code --inspect=127.0.0.1:PORT} by the scenario's {@code launch:}, side by side:
 * <ul>
 *   <li>src/test/node/retain-service (no dependencies), keeping a 4096-character string per request
 *       and saying so on its way out: 60 s at 300 requests/s after 5 s of warm-up, {@code forceGc: true};
 *       the bytes per request must be within ±10 % of the service's own count;</li>
 *   <li>src/test/node/session-service (Express, express-session's MemoryStore) with the store on:
 *       30 s at 300 requests/s, {@code evidence: heapSnapshot}; the evidence must name what grows and
 *       the MemoryStore's {@code sessions} as its holder, and no session's text may reach an output.</li>
 * </ul>
 */
class NodeExactRetentionIT {
    private static final Path RETAIN = Path.of("src/test/node/retain-service").toAbsolutePath();
    private static final Path SESSION = Path.of("src/test/node/session-service").toAbsolutePath();
    private static Run retain;
    private static Run session;

    record Run(JsonNode result, String output, Path out, JsonNode stats) {
    }

    @BeforeAll
    static void runBoth() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("node", "--version").start().waitFor() == 0, "no node on PATH");
        CompletableFuture<Run> sessions = CompletableFuture.supplyAsync(() -> {
            try {
                if (!Files.isDirectory(SESSION.resolve("node_modules/express-session"))) {
                    return null; // npm ci has not been run (.ci/run does it): that test is skipped
                }
                return run("session", SESSION, "SESSION_STORE=1", 18952, 19952, "/api/cart", 30,
                        "evidence: heapSnapshot");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        retain = run("retain", RETAIN, "RETAIN_BYTES=4096", 18951, 19951, "/api/retain", 60, "forceGc: true");
        session = sessions.get(200, TimeUnit.SECONDS);
    }

    private static Run run(String name, Path service, String env, int port, int inspect, String path, int seconds,
                           String option) throws Exception {
        Path dir = Files.createTempDirectory("node-exact-it");
        Path scenario = dir.resolve(name + ".yaml");
        Files.writeString(scenario, "name: " + name + "\ntarget: http://127.0.0.1:" + port + "\n"
                + "phases:\n  - {name: warm, duration: 5s, rate: 300/s, warmup: true}\n"
                + "  - {name: steady, duration: " + seconds + "s, rate: 300/s}\n"
                + "requests: [{path: " + path + "}]\n"
                + "memory:\n  interval: 1s\n  sources:\n"
                + "    - name: rss\n      type: process\n      launch: \"env PORT=" + port + " " + env
                + " node --inspect=127.0.0.1:" + inspect + " " + service.resolve("server.js") + "\"\n"
                + "      health: http://127.0.0.1:" + port + "/health\n"
                + "    - {name: v8, type: node, inspect: \"127.0.0.1:" + inspect + "\", " + option + "}\n");
        Path out = dir.resolve("out");
        Process p = Packaged.process(List.of(), "run", scenario.toString(), "--out", out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(seconds + 120, TimeUnit.SECONDS));
        System.out.println(output);
        JsonNode result = new ObjectMapper().readTree(out.resolve("result.json").toFile());
        assertEquals("completed", result.path("status").asText(), output);
        // the service's own count, which it writes on SIGTERM into the log loadleak keeps of what it launched
        JsonNode stats = null;
        for (String line : Files.readAllLines(out.resolve("target-rss.log"))) {
            if (line.startsWith("stats ")) {
                stats = new ObjectMapper().readTree(line.substring(6));
            }
        }
        return new Run(result, output, out, stats);
    }

    private static JsonNode forced(Run r) {
        JsonNode f = r.result().path("forcedGc").path(0);
        assertEquals("v8", f.path("source").asText(), r.output());
        return f;
    }

    @Test
    void bytesPerRequestAreTheServicesOwnCountWithinTenPercent() {
        JsonNode f = forced(retain);
        JsonNode stats = retain.stats();
        assertTrue(stats != null && stats.path("requests").asLong() > 0, "no /stats from the service: " + stats);
        double own = stats.path("retainedBytes").asDouble() / stats.path("requests").asDouble();
        double measured = f.path("bytesPerRequest").asDouble();
        assertEquals(own, measured, own * 0.10, f.toString());
        assertTrue(f.path("bytesPerRequestCi95").get(0).asDouble() > own * 0.9, f.toString());
        assertEquals("LEAK", f.path("verdict").asText(), f.toString());
        assertEquals(9, f.path("collections").asInt(), "three to settle, three at the scored start, three at the end: " + f);
        assertEquals(6, f.path("readings").size(), f.toString());
        assertTrue(f.path("pauseMillis").get(1).asDouble() > 0, f.toString());
        // the exact series stands for v8 beside the sampled one
        boolean exactSeries = false;
        for (JsonNode m : retain.result().path("memory")) {
            exactSeries |= m.path("source").asText().equals("v8 (forced GC)")
                    && m.path("analysis").path("verdict").asText().equals("LEAK");
        }
        assertTrue(exactSeries, retain.result().path("memory").toString());
        assertTrue(retain.output().contains("made to collect 9 times"), retain.output());
    }

    @Test
    void theSnapshotsNameWhatGrowsAndTheSessionStoreThatHoldsIt() throws Exception {
        Assumptions.assumeTrue(session != null, "npm ci has not been run in " + SESSION + " (.ci/run does it)");
        JsonNode g = forced(session).path("heapGrowth");
        assertTrue(g.path("error").isNull() || g.path("error").isMissingNode(), g.toString());
        assertEquals("(string)", g.path("top").get(0).path("name").asText(), g.toString());
        boolean held = false;
        for (JsonNode r : g.path("retainers")) {
            held |= r.path("path").asText().contains("MemoryStore.sessions → Object[key]");
        }
        assertTrue(held, g.path("retainers").toString());
        assertTrue(session.output().contains("MemoryStore.sessions"), session.output());
        assertTrue(Files.size(session.out().resolve("heap-v8-end.heapsnapshot")) > 1_000_000);
        // the snapshots hold the sessions' text; nothing loadleak writes or prints does
        for (String f : List.of("result.json", "report.html", "summary.md")) {
            String text = Files.readString(session.out().resolve(f));
            assertFalse(text.contains("\"sku") || text.contains("originalMaxAge"), f + " shows a session's text");
        }
        assertFalse(session.output().contains("sku"), session.output());
    }
}
